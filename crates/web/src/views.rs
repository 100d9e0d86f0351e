//! What pages show of the domain in general: texts in the reader's language (with the
//! language a fallback is in), instants in Beijing time and the reader's zone, labels of
//! the reference lists, CSV downloads.

use crate::caller::Ctx;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use roadshow_domain::Localized;
use roadshow_domain::time::{BEIJING, day_differs, format_clock, format_date, utc_offset_label};

/// A CSV download.
pub fn csv_response(filename: &str, body: String) -> Response {
    download(filename, "text/csv; charset=utf-8", body)
}

/// `body` as a file to save under `filename`, of `content_type`.
pub fn download(filename: &str, content_type: &'static str, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// A text in the reader's language, or a fallback marked with its own language.
#[derive(Debug, Clone, Default)]
pub struct LText {
    pub text: String,
    pub lang: &'static str,
}

pub fn loc(ctx: &Ctx, value: &Localized) -> LText {
    match value.resolve(ctx.lang) {
        Some((lang, text)) => LText {
            text: text.to_string(),
            lang: lang.code(),
        },
        None => LText {
            text: String::new(),
            lang: ctx.lang.code(),
        },
    }
}

/// An instant in Beijing time and in the reader's zone.
#[derive(Debug, Clone)]
pub struct TimeView {
    pub iso: String,
    pub beijing_date: String,
    pub beijing_clock: String,
    pub local_date: String,
    pub local_clock: String,
    pub local_offset: String,
    /// Whether the reader is in Beijing time already (then one time is enough).
    pub same_zone: bool,
    /// Whether the local date differs from the Beijing date.
    pub other_day: bool,
}

pub fn time_view(ctx: &Ctx, t: DateTime<Utc>) -> TimeView {
    let same_zone = utc_offset_label(t, ctx.zone) == utc_offset_label(t, BEIJING);
    TimeView {
        iso: t.to_rfc3339(),
        beijing_date: format_date(t, BEIJING, ctx.lang),
        beijing_clock: format_clock(t, BEIJING),
        local_date: format_date(t, ctx.zone, ctx.lang),
        local_clock: format_clock(t, ctx.zone),
        local_offset: utc_offset_label(t, ctx.zone),
        same_zone,
        other_day: day_differs(t, ctx.zone),
    }
}

pub fn industry_label(ctx: &Ctx, code: &str) -> String {
    ctx.t(&format!("industry-{code}"))
}

pub fn size_label(ctx: &Ctx, code: &str) -> String {
    ctx.t(&format!("size-{}", code.replace('+', "plus")))
}

/// Every country, by name in the reader's language.
pub fn country_choices(ctx: &Ctx) -> Vec<crate::forms::Choice> {
    let mut countries: Vec<crate::forms::Choice> = roadshow_domain::countries::COUNTRIES
        .iter()
        .map(|c| crate::forms::Choice {
            value: c.code.to_string(),
            label: roadshow_domain::reference::country_name(c.code, ctx.lang),
        })
        .collect();
    countries.sort_by(|a, b| a.label.cmp(&b.label));
    countries
}

/// Field errors as (field, message in the reader's language), for pages that list them.
pub(crate) fn field_errors(
    ctx: &Ctx,
    fields: &[roadshow_domain::FieldError],
) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| (f.field.clone(), crate::error::field_message(ctx.lang, f)))
        .collect()
}
