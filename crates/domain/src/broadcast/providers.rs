//! Addresses and ids of the video providers: what each accepts, reduced to the id or
//! address the store keeps.

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The part of `url` after the scheme, split into host and the rest.
pub(super) fn host_and_path(url: &str) -> Option<(String, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = match authority.strip_prefix('[') {
        Some(v6) => format!("[{}]", v6.split(']').next().unwrap_or("")),
        None => authority.split(':').next().unwrap_or("").to_string(),
    };
    Some((host.to_ascii_lowercase(), &rest[end..]))
}

/// `scheme://host[:port]` of an address, as a CSP source names it.
pub fn origin(url: &str) -> Option<String> {
    let scheme_end = url.find("://")?;
    let rest = &url[scheme_end + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(format!("{}{}", &url[..scheme_end + 3], &rest[..end]).to_ascii_lowercase())
}

/// The host of an address, lower case (what `ROADSHOW_EMBED_HOSTS` lists).
pub fn host(url: &str) -> Option<String> {
    host_and_path(url).map(|(h, _)| h)
}

fn query_param<'a>(path: &'a str, name: &str) -> Option<&'a str> {
    let query = path.split_once('?')?.1.split('#').next()?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

fn segments(path: &str) -> Vec<&str> {
    path.split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect()
}

fn host_is(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// A YouTube video id from an id or any of YouTube's addresses for a video or stream.
pub(super) fn youtube_id(value: &str) -> Option<String> {
    let ok = |id: &str| (id.len() == 11 && id.chars().all(is_id_char)).then(|| id.to_string());
    let Some((host, path)) = host_and_path(value) else {
        return ok(value);
    };
    let segs = segments(path);
    if host_is(&host, "youtu.be") {
        return segs.first().and_then(|id| ok(id));
    }
    if !(host_is(&host, "youtube.com") || host_is(&host, "youtube-nocookie.com")) {
        return None;
    }
    match segs.as_slice() {
        ["watch", ..] => query_param(path, "v").and_then(ok),
        ["embed" | "live" | "shorts" | "v", id, ..] => ok(id),
        _ => None,
    }
}

pub(super) fn vimeo_id(value: &str) -> Option<String> {
    let ok = |id: &str| {
        (!id.is_empty() && id.len() <= 12 && id.chars().all(|c| c.is_ascii_digit()))
            .then(|| id.to_string())
    };
    let Some((host, path)) = host_and_path(value) else {
        return ok(value);
    };
    if !host_is(&host, "vimeo.com") {
        return None;
    }
    segments(path).into_iter().rev().find_map(ok)
}

pub(super) fn bilibili_id(value: &str) -> Option<String> {
    let ok = |id: &str| {
        (id.len() == 12 && id.starts_with("BV") && id.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| id.to_string())
    };
    let Some((host, path)) = host_and_path(value) else {
        return ok(value);
    };
    if !host_is(&host, "bilibili.com") {
        return None;
    }
    segments(path)
        .into_iter()
        .find_map(ok)
        .or_else(|| query_param(path, "bvid").and_then(ok))
}

pub(super) fn tencent_id(value: &str) -> Option<String> {
    let ok = |id: &str| {
        (id.len() == 11 && id.chars().all(|c| c.is_ascii_alphanumeric())).then(|| id.to_string())
    };
    let Some((host, path)) = host_and_path(value) else {
        return ok(value);
    };
    if !host_is(&host, "v.qq.com") {
        return None;
    }
    if let Some(vid) = query_param(path, "vid") {
        return ok(vid);
    }
    segments(path)
        .last()
        .and_then(|last| ok(last.trim_end_matches(".html")))
}

/// A PeerTube video's embed path from a watch, short or embed address.
pub(super) fn peertube_video(path: &str) -> Option<String> {
    let ok = |id: &str| {
        (!id.is_empty() && id.len() <= 64 && id.chars().all(is_id_char)).then(|| id.to_string())
    };
    match segments(path).as_slice() {
        ["w", id] | ["videos", "watch", id] | ["videos", "embed", id] => ok(id),
        _ => None,
    }
}
