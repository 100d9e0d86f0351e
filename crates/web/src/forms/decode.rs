//! Reading a submitted form into the typed inputs the API takes, so that a page and the
//! API give a use case the same thing and their field errors name the same fields.
//!
//! A form is a list of (name, value) pairs; it is read as the JSON object the API would
//! be sent, by these rules:
//! - a dotted name is a nested field: `title.de` is `{"title": {"de": …}}`, and
//!   `hosts.0.department_id` or `hosts[0].department_id` the first host's (numeric keys
//!   make a list, in their order);
//! - a name given several times (checkboxes, a multiple select) is a list;
//! - numbers, flags and choices are read from their text where the type asks for them
//!   (`"12"` is 12; `1`, `true`, `on`, `yes` are true; `0`, `false`, `off`, `no` and an
//!   unticked box are false; a decimal comma is a decimal point, as German and French
//!   write it);
//! - a blank field is as if it were not sent: an optional field is absent, one with a
//!   default takes it, a required one is missing, a list leaves it out, a per-language
//!   text has no entry in that language (texts in nested fields are trimmed, as people
//!   type spaces around them);
//! - `csrf` is the form's protection, checked by [`super::Form`], never an input.

use roadshow_app::AppError;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use std::collections::BTreeMap;
use std::fmt;

/// How a value that should be a number and is not is told; the field error's code is
/// `invalid_number` (see [`crate::api::wrong_field`]).
pub const NOT_A_NUMBER: &str = "not a number";

/// Decodes the pairs of a form into `T`; a field of the wrong shape is a 422 naming it.
pub fn decode<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, AppError> {
    let node = tree(pairs);
    serde_path_to_error::deserialize::<_, T>(node)
        .map_err(|e| AppError::Invalid(crate::api::wrong_field(e.path(), &e.inner().to_string())))
}

/// A form field's value(s), or its sub-fields.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Values(Vec<String>),
    Fields(BTreeMap<String, Node>),
}

fn tree(pairs: &[(String, String)]) -> Node {
    let mut root = BTreeMap::new();
    for (name, value) in pairs {
        // A blank field is as if it were not sent: an optional field is absent, one with
        // a default takes it, a required one is named as missing.
        if name == "csrf" || name.is_empty() || value.trim().is_empty() {
            continue;
        }
        // `criteria[0].field` is `criteria.0.field`, as the API's errors name it.
        let name = name.replace('[', ".").replace(']', "");
        let parts: Vec<&str> = name.split('.').filter(|p| !p.is_empty()).collect();
        insert(&mut root, &parts, value);
    }
    Node::Fields(root)
}

fn insert(fields: &mut BTreeMap<String, Node>, path: &[&str], value: &str) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match fields
            .entry((*first).to_string())
            .or_insert_with(|| Node::Values(Vec::new()))
        {
            Node::Values(values) => values.push(value.to_string()),
            // A name that is also a group (`a` and `a.b`): the group is what a type
            // asks for; the lone value is dropped.
            Node::Fields(_) => {}
        }
        return;
    }
    let entry = fields
        .entry((*first).to_string())
        .or_insert_with(|| Node::Fields(BTreeMap::new()));
    if let Node::Values(_) = entry {
        *entry = Node::Fields(BTreeMap::new());
    }
    if let Node::Fields(inner) = entry {
        // Inside a group, a blank text is no entry (a per-language text not given in
        // that language), and texts are trimmed.
        if rest.len() == 1 && value.trim().is_empty() {
            return;
        }
        insert(inner, rest, value.trim());
    }
}

/// Why a form did not read as its type; serde's own messages name what was expected.
#[derive(Debug)]
pub struct DecodeError(String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError(msg.to_string())
    }
}

impl Node {
    fn is_blank(&self) -> bool {
        match self {
            Node::Values(values) => values.iter().all(|v| v.trim().is_empty()),
            Node::Fields(fields) => fields.is_empty(),
        }
    }

    /// The one text of a field; a field given several times counts by its last value
    /// (as a browser's `FormData.get` would read a repeated name).
    fn text(self) -> Result<String, DecodeError> {
        match self {
            Node::Values(mut values) => Ok(values.pop().unwrap_or_default()),
            Node::Fields(_) => Err(de::Error::invalid_type(
                de::Unexpected::Map,
                &"a single value",
            )),
        }
    }

    /// A whole number as people write it: `1 000 000`, `1,000,000` and `1'000'000` are
    /// a million.
    fn whole<N: std::str::FromStr>(self) -> Result<N, DecodeError> {
        let text = self.text()?;
        let digits: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '\'' | '_'))
            .collect();
        digits
            .parse()
            .map_err(|_| DecodeError(format!("{NOT_A_NUMBER}: {text:?}")))
    }

    /// A decimal number; a decimal comma is a decimal point (`12,5`).
    fn decimal<N: std::str::FromStr>(self) -> Result<N, DecodeError> {
        let text = self.text()?;
        let trimmed = text.trim();
        let written = if trimmed.contains(',') && !trimmed.contains('.') {
            trimmed.replacen(',', ".", 1)
        } else {
            trimmed.to_string()
        };
        written
            .parse()
            .map_err(|_| DecodeError(format!("{NOT_A_NUMBER}: {text:?}")))
    }

    /// The items of a list: repeated values (blank ones left out), or sub-fields
    /// numbered `0`, `1`… in their numeric order.
    fn items(self) -> Result<Vec<Node>, DecodeError> {
        match self {
            Node::Values(values) => Ok(values
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Node::Values(vec![v]))
                .collect()),
            Node::Fields(fields) => {
                let mut numbered = Vec::with_capacity(fields.len());
                for (key, node) in fields {
                    let index: usize = key
                        .parse()
                        .map_err(|_| de::Error::invalid_type(de::Unexpected::Map, &"a list"))?;
                    numbered.push((index, node));
                }
                numbered.sort_by_key(|(i, _)| *i);
                Ok(numbered.into_iter().map(|(_, n)| n).collect())
            }
        }
    }
}

macro_rules! numbers {
    ($($method:ident => $visit:ident : $ty:ty, $read:ident);* $(;)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
                visitor.$visit(self.$read::<$ty>()?)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self {
            Node::Values(values) if values.len() > 1 => {
                visitor.visit_seq(Items(Node::Values(values).items()?.into_iter()))
            }
            Node::Values(mut values) => visitor.visit_string(values.pop().unwrap_or_default()),
            Node::Fields(fields) => visitor.visit_map(Fields {
                entries: fields.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if self.is_blank() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let text = self.text()?;
        match text.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "on" | "yes" => visitor.visit_bool(true),
            "" | "0" | "false" | "off" | "no" => visitor.visit_bool(false),
            _ => Err(de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &"yes or no",
            )),
        }
    }

    numbers! {
        deserialize_i8 => visit_i8: i8, whole;
        deserialize_i16 => visit_i16: i16, whole;
        deserialize_i32 => visit_i32: i32, whole;
        deserialize_i64 => visit_i64: i64, whole;
        deserialize_u8 => visit_u8: u8, whole;
        deserialize_u16 => visit_u16: u16, whole;
        deserialize_u32 => visit_u32: u32, whole;
        deserialize_u64 => visit_u64: u64, whole;
        deserialize_f32 => visit_f32: f32, decimal;
        deserialize_f64 => visit_f64: f64, decimal;
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_string(self.text()?)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_byte_buf(self.text()?.into_bytes())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_seq(Items(self.items()?.into_iter()))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self {
            Node::Fields(fields) => visitor.visit_map(Fields {
                entries: fields.into_iter(),
                value: None,
            }),
            // A group with nothing filled in sends no sub-field at all.
            node if node.is_blank() => visitor.visit_map(Fields {
                entries: BTreeMap::new().into_iter(),
                value: None,
            }),
            Node::Values(_) => Err(de::Error::invalid_type(
                de::Unexpected::Str("text"),
                &"a group of fields",
            )),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let text: de::value::StringDeserializer<DecodeError> = self.text()?.into_deserializer();
        visitor.visit_enum(text)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }
}

struct Items(std::vec::IntoIter<Node>);

impl<'de> SeqAccess<'de> for Items {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields {
    entries: std::collections::btree_map::IntoIter<String, Node>,
    value: Option<Node>,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key: de::value::StringDeserializer<DecodeError> = key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        match self.value.take() {
            Some(node) => seed.deserialize(node),
            None => Err(de::Error::custom("a value without its field")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roadshow_domain::{Lang, Localized};
    use serde::Deserialize;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Stage {
        New,
        Visit,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Host {
        department_id: i64,
        tables: Option<u32>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Input {
        slug: Option<String>,
        #[serde(default)]
        title: Localized,
        #[serde(default)]
        languages: Vec<String>,
        #[serde(default)]
        policy_ids: Vec<i64>,
        area_km2: Option<f64>,
        #[serde(default)]
        follow_up: bool,
        stage: Option<Stage>,
        #[serde(default)]
        hosts: Vec<Host>,
        #[serde(default)]
        capex: i64,
    }

    #[test]
    fn a_form_reads_as_the_json_the_api_takes() {
        let input: Input = decode(&pairs(&[
            ("csrf", "token"),
            ("slug", "airport-park"),
            ("title.de", "  Flughafen  "),
            ("title.en", ""),
            ("title.zh", "临空"),
            ("languages", "de"),
            ("languages", "zh"),
            ("policy_ids", "3"),
            ("policy_ids", ""),
            ("policy_ids", "1"),
            ("area_km2", " 12,5 "),
            ("follow_up", "on"),
            ("stage", "visit"),
            ("hosts[1].department_id", "9"),
            ("hosts.0.department_id", "4"),
            ("hosts.0.tables", "2"),
            ("hosts.1.tables", ""),
            ("capex", "1'250 000"),
        ]))
        .unwrap();
        assert_eq!(input.slug.as_deref(), Some("airport-park"));
        assert_eq!(input.title.exact(Lang::De), "Flughafen");
        assert_eq!(input.title.exact(Lang::En), "");
        assert_eq!(input.title.exact(Lang::Zh), "临空");
        assert_eq!(input.languages, ["de", "zh"]);
        assert_eq!(input.policy_ids, [3, 1]);
        assert_eq!(input.area_km2, Some(12.5));
        assert_eq!(input.capex, 1_250_000);
        assert!(input.follow_up);
        assert_eq!(input.stage, Some(Stage::Visit));
        assert_eq!(
            input.hosts,
            [
                Host {
                    department_id: 4,
                    tables: Some(2)
                },
                Host {
                    department_id: 9,
                    tables: None
                }
            ]
        );
    }

    #[test]
    fn blank_fields_are_absent_and_unticked_boxes_false() {
        let input: Input =
            decode(&pairs(&[("slug", " "), ("area_km2", ""), ("stage", "")])).unwrap();
        assert_eq!(input.slug, None);
        assert_eq!(input.area_km2, None);
        assert_eq!(input.stage, None);
        assert!(!input.follow_up);
        assert!(input.title.is_empty());
        assert!(input.hosts.is_empty());
    }

    #[test]
    fn wrong_fields_are_named_as_the_api_names_them() {
        let error = |list: &[(&str, &str)]| match decode::<Input>(&pairs(list)) {
            Err(AppError::Invalid(fields)) => (fields[0].field.clone(), fields[0].code.to_string()),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            error(&[("area_km2", "twelve")]),
            ("area_km2".into(), "invalid_number".into())
        );
        assert_eq!(
            error(&[("policy_ids", "1"), ("policy_ids", "x")]),
            ("policy_ids[1]".into(), "invalid_number".into())
        );
        assert_eq!(
            error(&[("stage", "lost")]),
            ("stage".into(), "unknown_choice".into())
        );
        assert_eq!(
            error(&[("hosts.0.tables", "2")]),
            ("hosts[0].department_id".into(), "required".into())
        );
        assert_eq!(
            error(&[("follow_up", "perhaps")]),
            ("follow_up".into(), "invalid_type".into())
        );
        assert_eq!(
            error(&[("surprise", "1")]),
            ("surprise".into(), "invalid_type".into())
        );
    }
}
