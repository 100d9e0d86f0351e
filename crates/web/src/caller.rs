//! Who is calling and how they read: the caller's language, time zone, identity, CSRF
//! token and address, taken from each request by one extractor ([`Ctx`]) that the API,
//! the pages and the live streams share.
//!
//! The one rule for identity ([`identify`]): under `/api` a caller is who their bearer
//! token says (no token: anonymous; an unknown token: 401), and cookies are not read, so
//! the API has no CSRF surface; on pages a caller is the staff member of a current
//! sign-in session, else the participant of a personal-link cookie, else anonymous.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chrono_tz::Tz;
use roadshow_app::{Guards, Principal};
use roadshow_domain::Lang;
use roadshow_domain::time::default_zone;
use roadshow_i18n::{ArgValue, t, t_with};
use std::net::SocketAddr;

pub const LANG_COOKIE: &str = "rs_lang";
pub const TZ_COOKIE: &str = "rs_tz";
pub const SESSION_COOKIE: &str = "rs_session";
pub const CSRF_COOKIE: &str = "rs_csrf";
/// A participant's personal token, set when they open their personal link, so that the
/// live page knows them.
pub const PARTICIPANT_COOKIE: &str = "rs_participant";

/// The value of a cookie in the request, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The caller's address for rate limits: the connection's peer address.
pub fn client_address(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The request context of a page.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub zone: Tz,
    pub principal: Principal,
    /// The token forms must carry: the login session's, or the visitor's cookie's; read
    /// it through [`Ctx::csrf`], which tells the security layer to set the cookie.
    csrf: String,
    /// Set when a visitor without a CSRF cookie is given a new token by this request.
    csrf_issue: Option<CsrfIssue>,
    pub client: String,
    /// The path of this page, for language links and redirects after sign-in.
    pub path: String,
    /// The path with its query, without `lang=`.
    pub path_and_query: String,
}

/// A CSRF token made for a visitor who has none yet. The security layer sets it as a
/// cookie only when a form was rendered with it, so pages without a form send no
/// per-visitor cookie and stay cacheable.
#[derive(Debug, Clone, Default)]
pub struct CsrfIssue(std::sync::Arc<std::sync::Mutex<Option<(String, bool)>>>);

impl CsrfIssue {
    /// The token to set as a cookie, if one was made and used.
    pub fn used(&self) -> Option<String> {
        let slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(_, used)| *used)
            .map(|(token, _)| token.clone())
    }

    fn make(&self) -> String {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| (roadshow_app::secrets::random_secret(), false))
            .0
            .clone()
    }

    fn mark_used(&self) {
        if let Some((_, used)) = self.0.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            *used = true;
        }
    }
}

impl Ctx {
    /// The token a form on this page must carry.
    pub fn csrf(&self) -> &str {
        if let Some(issue) = &self.csrf_issue {
            issue.mark_used();
        }
        &self.csrf
    }

    /// Whether a submitted token is this caller's (compared in constant time).
    pub fn csrf_matches(&self, token: &str) -> bool {
        !token.is_empty()
            && !self.csrf.is_empty()
            && crate::forms::constant_time_eq(token.as_bytes(), self.csrf.as_bytes())
    }

    /// The interface string `key` in the reader's language.
    pub fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }

    /// The string with one named argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        t_with(self.lang, key, &[(name, ArgValue::Text(value.to_string()))])
    }

    /// The string with several named arguments.
    pub fn t_args(&self, key: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(&str, ArgValue)> = args
            .iter()
            .map(|(n, v)| (*n, ArgValue::Text((*v).to_string())))
            .collect();
        t_with(self.lang, key, &args)
    }

    /// The string with a count.
    pub fn tn(&self, key: &str, count: impl std::borrow::Borrow<i64>) -> String {
        t_with(
            self.lang,
            key,
            &[("count", ArgValue::Number(*count.borrow() as f64))],
        )
    }

    /// The label of an event status (`draft`, `published`...).
    pub fn status_label(&self, code: &str) -> String {
        t(self.lang, &format!("status-{code}"))
    }

    /// Whether `lang` is the page's language (for `aria-current`).
    pub fn is_current(&self, lang: impl std::borrow::Borrow<Lang>) -> bool {
        *lang.borrow() == self.lang
    }

    /// The link to this page in another language.
    pub fn lang_link(&self, lang: impl std::borrow::Borrow<Lang>) -> String {
        let lang = lang.borrow();
        let sep = if self.path_and_query.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{sep}lang={}", self.path_and_query, lang.code())
    }

    pub fn languages(&self) -> [Lang; 4] {
        Lang::ALL
    }

    pub fn is_participant(&self) -> bool {
        matches!(self.principal, Principal::Participant(_))
    }

    pub fn is_staff(&self) -> bool {
        matches!(self.principal, Principal::Staff(_))
    }

    pub fn staff_name(&self) -> String {
        match &self.principal {
            Principal::Staff(s) => s.display_name.clone(),
            _ => String::new(),
        }
    }

    /// Whether the caller organises (what the navigation offers; the use cases decide).
    pub fn is_organiser(&self) -> bool {
        self.principal.as_organiser().is_ok()
    }

    /// An investment officer or organiser: who sees the leads pipeline.
    pub fn is_lead_staff(&self) -> bool {
        self.principal.as_officer().is_ok()
    }

    pub fn is_official(&self) -> bool {
        matches!(&self.principal, Principal::Staff(s) if s.role == roadshow_domain::accounts::Role::Official)
    }

    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }
}

fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Decodes `%2F` in a time zone name from a query string.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn decode_component(value: &str) -> String {
    percent_decode(value)
}

/// Whether a path is the API's (bearer tokens, problem documents) rather than a page's.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path == "/healthz" || path == "/readyz"
}

/// The reader's language: on pages `?lang=`, then the cookie, then Accept-Language; in the
/// API Accept-Language only; English when nothing matches. The flag says whether
/// `?lang=` chose it (to remember it in a cookie).
pub fn negotiate_lang(uri: &axum::http::Uri, headers: &HeaderMap) -> (Lang, bool) {
    if is_api_path(uri.path()) {
        return (accept_language(headers), false);
    }
    let query = uri.query().unwrap_or("");
    if let Some(lang) = query_param(query, "lang").and_then(|l| l.parse().ok()) {
        return (lang, true);
    }
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|l| l.parse().ok()) {
        return (lang, false);
    }
    (accept_language(headers), false)
}

fn accept_language(headers: &HeaderMap) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Lang::negotiate(accept).unwrap_or(Lang::En)
}

/// What a request presents to say who it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Credentials<'a> {
    /// The `Authorization` header's value, if any (API only).
    pub authorization: Option<&'a str>,
    /// The sign-in session cookie (pages only).
    pub session: Option<&'a str>,
    /// The participant's personal-link cookie (pages only).
    pub participant: Option<&'a str>,
}

impl<'a> Credentials<'a> {
    /// The credentials a request carries for its kind of path.
    pub fn of(path: &str, headers: &'a HeaderMap) -> Credentials<'a> {
        if is_api_path(path) {
            Credentials {
                authorization: headers
                    .get(header::AUTHORIZATION)
                    .map(|v| v.to_str().unwrap_or("")),
                ..Default::default()
            }
        } else {
            Credentials {
                session: cookie(headers, SESSION_COOKIE),
                participant: cookie(headers, PARTICIPANT_COOKIE),
                ..Default::default()
            }
        }
    }
}

/// Who is calling, and the CSRF token of their sign-in session if they have one: the one
/// place where this is worked out, for the API, the pages and the live streams alike.
pub async fn identify(
    app: &roadshow_app::App,
    credentials: Credentials<'_>,
) -> Result<(Principal, Option<String>), roadshow_app::AppError> {
    if let Some(value) = credentials.authorization {
        let token = value.strip_prefix("Bearer ").map(str::trim).unwrap_or("");
        return Ok((app.accounts().token_principal(token).await?, None));
    }
    if let Some(secret) = credentials.session {
        match app.accounts().session_principal(secret).await {
            Ok(Some((account, csrf))) => return Ok((Principal::Staff(account), Some(csrf))),
            Ok(None) => {}
            // A store failure while reading a cookie leaves the reader anonymous rather
            // than failing a public page; it is logged.
            Err(err) => tracing::error!(
                error = &err as &dyn std::error::Error,
                "reading the login session failed"
            ),
        }
    }
    if let Some(token) = credentials
        .participant
        .filter(|t| t.starts_with(roadshow_app::accounts::PARTICIPANT_PREFIX) && t.len() <= 100)
    {
        // An unknown or withdrawn token just leaves the reader anonymous.
        if let Ok(p) = app.accounts().token_principal(token).await {
            return Ok((p, None));
        }
    }
    Ok((Principal::Anonymous, None))
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = crate::error::Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let path = parts.uri.path().to_string();
        let is_api = is_api_path(&path);
        let (lang, _) = negotiate_lang(&parts.uri, &parts.headers);
        let cookie_zone = cookie(&parts.headers, TZ_COOKIE)
            .map(percent_decode)
            .and_then(|z| z.parse::<Tz>().ok());
        let zone = cookie_zone.unwrap_or_else(|| default_zone(lang));
        let (principal, session_csrf) =
            identify(&state.app, Credentials::of(&path, &parts.headers)).await?;
        // Forms carry the sign-in session's token, or the visitor's cookie's; a visitor
        // with neither (a leftover session cookie included) is issued one by the security
        // layer if a form is shown. The API has no forms.
        let mut csrf_issue = None;
        let csrf = if is_api {
            String::new()
        } else {
            match session_csrf.or_else(|| {
                cookie(&parts.headers, CSRF_COOKIE)
                    .filter(|v| v.len() >= 32 && v.len() <= 64)
                    .map(str::to_string)
            }) {
                Some(token) => token,
                None => {
                    let issue = parts
                        .extensions
                        .get::<CsrfIssue>()
                        .cloned()
                        .unwrap_or_default();
                    let token = issue.make();
                    csrf_issue = Some(issue);
                    token
                }
            }
        };
        let query: Vec<&str> = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let path_and_query = if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{}", query.join("&"))
        };
        let ctx = Ctx {
            lang,
            zone,
            principal,
            csrf,
            csrf_issue,
            client: client_address(&parts.extensions),
            path,
            path_and_query,
        };
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_names_are_decoded() {
        assert_eq!(percent_decode("Europe%2FBerlin"), "Europe/Berlin");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
