//! The player a page shows for a stream, and the Content-Security-Policy that page then
//! needs: frames from exactly the embeds' hosts, media and connections to the playlists'
//! hosts, workers from Roadshow itself. Every other page keeps the default policy.

use crate::caller::Ctx;
use crate::live::pages::script_json;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use roadshow_domain::broadcast::{PageSources, Player, Source, Stream, StreamKind};
use serde_json::json;

/// One choice of source: the main stream or a language's own.
#[derive(Debug, Clone)]
pub struct SourceOption {
    pub label: String,
    /// `hls`, `frame` or `link`.
    pub kind: &'static str,
    pub provider: &'static str,
    pub src: String,
}

/// A text track of Roadshow's player: chapters or uploaded subtitles.
#[derive(Debug, Clone)]
pub struct Track {
    pub kind: &'static str,
    pub src: String,
    pub lang: String,
    pub label: String,
}

/// What a page shows for a stream.
#[derive(Debug, Clone)]
pub struct PlayerView {
    /// The replay's chapters and subtitles (Roadshow's player only).
    pub tracks: Vec<Track>,
    /// `hls`, `frame` or `link`.
    pub kind: &'static str,
    pub provider: &'static str,
    /// The provider's name, as the link button says it.
    pub provider_name: &'static str,
    pub src: String,
    /// The main stream and each language's own, when there are alternatives.
    pub options: Vec<SourceOption>,
    /// Whether playing is reported (Roadshow's player, YouTube, Vimeo, PeerTube).
    pub measured: bool,
    /// Whether the demo's sample stream plays.
    pub sample: bool,
    /// The player's settings for player.js.
    pub data: String,
}

fn provider_name(kind: StreamKind) -> &'static str {
    match kind {
        StreamKind::Hls => "HLS",
        StreamKind::Youtube => "YouTube",
        StreamKind::Vimeo => "Vimeo",
        StreamKind::Peertube => "PeerTube",
        StreamKind::Owncast => "Owncast",
        StreamKind::Bilibili => "Bilibili",
        StreamKind::TencentVideo => "腾讯视频",
        StreamKind::Iframe => "Player",
        StreamKind::Link => "Zoom / Teams / Webex / 腾讯会议",
    }
}

fn option_of(label: String, source: &Source) -> SourceOption {
    let (kind, src) = match source.player() {
        Player::Hls { url } => ("hls", url),
        Player::Frame { src, .. } => ("frame", src),
        Player::Link { url } => ("link", url),
    };
    SourceOption {
        label,
        kind,
        provider: source.kind.code(),
        src,
    }
}

/// Where the page sends its heartbeats, and as which mode.
pub struct Beats<'a> {
    pub slug: &'a str,
    /// `live` or `replay`.
    pub mode: &'static str,
    pub session_id: Option<i64>,
    /// Whether the reader is a participant (only they send heartbeats).
    pub participant: bool,
}

/// The player for `stream` as `ctx`'s reader sees it.
pub fn player(
    ctx: &Ctx,
    stream: &Stream,
    beats: Beats<'_>,
    extra: serde_json::Value,
) -> PlayerView {
    let main = option_of(ctx.t("player-original"), &stream.source);
    let mut options = Vec::new();
    if !stream.alternatives.is_empty() {
        options.push(main.clone());
        for a in &stream.alternatives {
            options.push(option_of(a.language.endonym().to_string(), &a.source));
        }
    }
    let strings: serde_json::Map<String, serde_json::Value> = [
        "player-audio",
        "player-captions-off",
        "player-unsupported",
        "player-error",
        "player-default-track",
    ]
    .iter()
    .map(|k| (k.to_string(), json!(ctx.t(k))))
    .collect();
    let data = script_json(&json!({
        "slug": beats.slug,
        "lang": ctx.lang.code(),
        "mode": beats.mode,
        "session_id": beats.session_id,
        "beats": beats.participant,
        "csrf": if beats.participant { ctx.csrf().to_string() } else { String::new() },
        "provider": stream.source.kind.code(),
        "options": options.iter().map(|o| json!({"label": o.label, "kind": o.kind, "provider": o.provider, "src": o.src})).collect::<Vec<_>>(),
        "strings": strings,
        "extra": extra,
    }));
    PlayerView {
        tracks: Vec::new(),
        kind: main.kind,
        provider: main.provider,
        provider_name: provider_name(stream.source.kind),
        sample: main.src.contains("/demo/stream/"),
        src: main.src,
        options,
        measured: stream.source.kind.reports_playing(),
        data,
    }
}

/// The default policy with what `sources` need; `frame-ancestors 'none'` stays.
pub fn csp(sources: &PageSources) -> String {
    let frames = if sources.frames.is_empty() {
        "'none'".to_string()
    } else {
        sources.frames.join(" ")
    };
    let media = sources.media.join(" ");
    let with = |base: &str| {
        if media.is_empty() {
            base.to_string()
        } else {
            format!("{base} {media}")
        }
    };
    format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; \
         frame-src {frames}; media-src {}; connect-src {}; worker-src 'self'",
        with("'self' blob:"),
        with("'self'"),
    )
}

/// Gives a page the policy its streams need (the security layer keeps a policy a page
/// set and adds the default to every other).
pub fn with_csp(mut response: Response, sources: &PageSources) -> Response {
    if let Ok(value) = HeaderValue::from_str(&csp(sources)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}
