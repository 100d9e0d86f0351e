//! The building blocks of the wire types' schemas, so that what the document promises is
//! what the domain's rules accept: lengths from the domain's own constants, texts without
//! control characters (tab and line breaks only where a field is multi-line), required
//! texts that are more than blanks, per-language texts, the fixed reference lists as
//! enumerations. Each wire field that needs one names a small function of its own module
//! with `#[schema(schema_with = ...)]`.

use roadshow_domain::reference::{BENEFIT_TYPES, COMPANY_SIZES, INDUSTRIES};
use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::AdditionalProperties;
use utoipa::openapi::schema::{
    AnyOfBuilder, ArrayBuilder, KnownFormat, Object, ObjectBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};

/// No control character (Unicode Cc) at all.
const ONE_LINE: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";
/// No control character but tab and line breaks.
const MANY_LINES: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";
/// One line with something besides blanks.
const ONE_LINE_FILLED: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$";
/// Lines with something besides blanks.
const MANY_LINES_FILLED: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// Whether a text may hold tab and line breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

pub fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// A bound, or none for [`UNBOUNDED`].
fn bound(max: usize) -> Option<usize> {
    (max != UNBOUNDED).then_some(max)
}

/// For a text or list the rules set no bound on (the body's size limit still holds).
pub const UNBOUNDED: usize = usize::MAX;

pub(crate) fn nullable(types: Type) -> SchemaType {
    SchemaType::from_iter([types, Type::Null])
}

fn pattern(lines: Lines, filled: bool) -> &'static str {
    match (lines, filled) {
        (Lines::One, false) => ONE_LINE,
        (Lines::Many, false) => MANY_LINES,
        (Lines::One, true) => ONE_LINE_FILLED,
        (Lines::Many, true) => MANY_LINES_FILLED,
    }
}

/// A text of at most `max` characters.
pub fn text(max: usize, lines: Lines) -> Object {
    string()
        .max_length(bound(max))
        .pattern(Some(pattern(lines, false)))
        .build()
}

/// A text of at most `max` characters that must hold more than blanks.
pub fn filled(max: usize, lines: Lines) -> Object {
    string()
        .max_length(bound(max))
        .pattern(Some(pattern(lines, true)))
        .build()
}

/// A text, or null (the same as leaving it out).
pub fn optional_text(max: usize, lines: Lines) -> Object {
    ObjectBuilder::new()
        .schema_type(nullable(Type::String))
        .max_length(bound(max))
        .pattern(Some(pattern(lines, false)))
        .build()
}

/// An absolute http(s) address with a host, as `validation::is_http_url` takes it.
const URL: &str = "https?://[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:[0-9]{1,5})?([/?#][^\\s\\u0000-\\u001F\\u007F-\\u009F\"<]*)?";

/// An http(s) address, or null or empty (none).
pub fn optional_url() -> Object {
    ObjectBuilder::new()
        .schema_type(nullable(Type::String))
        .max_length(Some(roadshow_domain::validation::URL_MAX))
        .pattern(Some(format!("^({URL})?$")))
        .description(Some("An http or https address; empty or null for none"))
        .build()
}

/// An http(s) address.
pub fn url() -> Object {
    string()
        .max_length(Some(roadshow_domain::validation::URL_MAX))
        .pattern(Some(format!("^{URL}$")))
        .build()
}

/// A slug: lower-case letters, digits and single hyphens.
pub fn slug() -> Object {
    string()
        .max_length(Some(roadshow_domain::validation::SLUG_MAX))
        .pattern(Some("^[a-z0-9]+(-[a-z0-9]+)*$"))
        .build()
}

/// A text in up to four languages (`de`, `en`, `zh`, `fr`), each at most `max`
/// characters; `required`: filled in at least one of them.
pub fn localized(max: usize, required: bool, lines: Lines) -> Schema {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .description(Some(if required {
            "A text per language (de, en, zh, fr), in at least one of them; read with a fallback"
        } else {
            "A text per language (de, en, zh, fr); read with a fallback"
        }));
    for lang in ["de", "en", "zh", "fr"] {
        object = object.property(lang, text(max, lines));
    }
    if !required {
        return Schema::Object(object.build());
    }
    let mut any = AnyOfBuilder::new();
    for lang in ["de", "en", "zh", "fr"] {
        any = any.item(
            ObjectBuilder::new()
                .required(lang)
                .property(lang, filled(max, lines)),
        );
    }
    Schema::AllOf(
        utoipa::openapi::schema::AllOfBuilder::new()
            .item(object)
            .item(any)
            .build(),
    )
}

/// A per-language text as the server writes it (no constraints to keep).
pub fn localized_out() -> Object {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "A text per language (de, en, zh, fr); missing languages are left out",
        ));
    for lang in ["de", "en", "zh", "fr"] {
        object = object.property(lang, string());
    }
    object.build()
}

/// One of a fixed list of codes.
pub fn one_of(values: &[&str]) -> Object {
    string()
        .enum_values(Some(values.iter().map(|v| Value::from(*v))))
        .build()
}

/// One of a fixed list, or null.
pub fn optional_one_of(values: &[&str]) -> Object {
    let mut all: Vec<Value> = values.iter().map(|v| Value::from(*v)).collect();
    all.push(Value::Null);
    ObjectBuilder::new()
        .schema_type(nullable(Type::String))
        .enum_values(Some(all))
        .build()
}

/// A list of codes of a fixed list, at most `max` of them.
pub fn list_of(values: &[&str], max: usize) -> ArrayBuilder {
    ArrayBuilder::new()
        .items(one_of(values))
        .max_items(bound(max))
}

/// An industry of the reference list.
pub fn industry() -> Object {
    one_of(INDUSTRIES)
}

/// Industries of the reference list.
pub fn industries(max: usize) -> ArrayBuilder {
    list_of(INDUSTRIES, max)
}

/// A company size of the reference list.
pub fn company_size() -> Object {
    one_of(COMPANY_SIZES)
}

/// Kinds of benefit of the reference list.
pub fn benefits(max: usize) -> ArrayBuilder {
    list_of(BENEFIT_TYPES, max)
}

/// One of the four languages.
pub fn lang() -> Object {
    one_of(&["de", "en", "zh", "fr"])
}

/// An id Roadshow gave out.
pub fn id() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
        .build()
}

/// An id, or null.
pub fn optional_id() -> Object {
    ObjectBuilder::new()
        .schema_type(nullable(Type::Integer))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
        .build()
}

/// Ids, at most `max` of them.
pub fn ids(max: usize) -> ArrayBuilder {
    ArrayBuilder::new().items(id()).max_items(bound(max))
}

/// A day of the years Roadshow takes (2000–2100, `SUPPORTED_YEARS`), leap days included.
const DAY: &str = "((20[0-9]{2}|2100)-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|20([02468][048]|[13579][26])-02-29)";
/// A day of 2001–2099: a wall-clock time on it lies in the supported years in every time
/// zone.
const INNER_DAY: &str = "((200[1-9]|20[1-9][0-9])-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|20(0[48]|[2468][048]|[13579][26])-02-29)";
/// A time of day, with seconds and an offset if given.
const CLOCK: &str = "([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?";

/// A calendar date, `YYYY-MM-DD`, in 2000–2100.
pub fn date() -> Object {
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(format!("^{DAY}$")))
        .build()
}

/// A calendar date, or null or empty (none).
pub fn optional_date() -> Object {
    ObjectBuilder::new()
        .schema_type(nullable(Type::String))
        .pattern(Some(format!("^({DAY})?$")))
        .description(Some("`YYYY-MM-DD`; empty or null for none"))
        .build()
}

/// A query parameter's date, or empty (none).
pub fn date_or_empty() -> Object {
    string()
        .pattern(Some(format!("^({DAY})?$")))
        .description(Some("`YYYY-MM-DD`; empty for none"))
        .build()
}

/// A time as an organiser types it: `YYYY-MM-DDTHH:MM` in the event's zone, or an RFC
/// 3339 instant.
pub fn local_time() -> Object {
    string()
        .pattern(Some(format!("^{INNER_DAY}T{CLOCK}$")))
        .description(Some(
            "`YYYY-MM-DDTHH:MM` in the event's time zone, or an RFC 3339 instant",
        ))
        .build()
}

/// A time as [`local_time`], or null or empty (none).
pub fn optional_local_time() -> Object {
    ObjectBuilder::new()
        .schema_type(nullable(Type::String))
        .pattern(Some(format!("^({INNER_DAY}T{CLOCK})?$")))
        .description(Some(
            "`YYYY-MM-DDTHH:MM` in the event's time zone, or an RFC 3339 instant; empty or null for none",
        ))
        .build()
}

/// A query parameter that is one of a fixed list, or empty (no filter).
pub fn one_of_or_empty(values: &[&str]) -> Object {
    let mut all: Vec<&str> = vec![""];
    all.extend(values);
    one_of(&all)
}

/// A page number of a list, 1 to `max` (a power of ten), or empty (the first).
pub fn page(max: i64) -> Object {
    let digits = max.to_string().len().saturating_sub(1);
    string()
        .pattern(Some(format!(
            "^([1-9][0-9]{{0,{}}}|{max})?$",
            digits.saturating_sub(1)
        )))
        .description(Some(format!("1 to {max}; empty for the first")))
        .build()
}

/// A schema as a field of a wire type takes it.
pub fn boxed(schema: impl Into<Schema>) -> RefOr<Schema> {
    RefOr::T(schema.into())
}

/// A wire type whose schema is written by hand, because its fields depend on each other
/// (an action and what it needs): `hand_written!(Type, function)`.
macro_rules! hand_written {
    ($type:ident, $schema:path) => {
        impl utoipa::PartialSchema for $type {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::RefOr::T($schema().into())
            }
        }

        impl utoipa::ToSchema for $type {
            fn name() -> std::borrow::Cow<'static, str> {
                stringify!($type).into()
            }
        }
    };
}
pub(crate) use hand_written;
