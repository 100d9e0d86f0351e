//! The addresses that emails and calendars link to, in one place: the pages' routes as
//! `web` serves them, under the public address the operator set (`ROADSHOW_BASE_URL`).
//! A route renamed in `web` is renamed here once; the HTTP suite follows each link.

/// An event's public page.
pub fn event(base: &str, slug: &str) -> String {
    format!("{base}/events/{slug}")
}

/// A participant's meetings of an event (requests, availability, the schedule).
pub fn event_meetings(base: &str, slug: &str) -> String {
    format!("{base}/events/{slug}/meetings")
}

/// The live exchange of an event.
pub fn event_live(base: &str, slug: &str) -> String {
    format!("{base}/events/{slug}/live")
}

/// A participant's personal page, reached by the token of their confirmation email.
pub fn personal(base: &str, token: &str) -> String {
    format!("{base}/p/{token}")
}

/// A satisfaction survey, reached by the token of its email.
pub fn survey(base: &str, token: &str) -> String {
    format!("{base}/survey/{token}")
}

/// A lead in the agency's follow-up.
pub fn lead(base: &str, id: i64) -> String {
    format!("{base}/admin/leads/{id}")
}
