//! The demo's sample stream, served by Roadshow itself so that the demo plays without an
//! encoder: eight seconds of a test picture with three audio languages and subtitles
//! (assets/demo-stream), looped into a recording as long as the demo's agenda. Each loop
//! starts with a discontinuity, as the segments' timestamps start again. The live page
//! plays it too (`live`): a sample has no encoder to follow, and a sliding live window
//! over repeated segments stalls players that align audio and video by timestamp.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

macro_rules! fixture {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../assets/demo-stream/", $name)) as &[u8])),*]
    };
}

const FILES: &[(&str, &[u8])] = fixture!(
    "master.m3u8",
    "video.m3u8",
    "de.m3u8",
    "zh.m3u8",
    "en.m3u8",
    "subtitles.m3u8",
    "video_0.ts",
    "video_1.ts",
    "de_0.ts",
    "de_1.ts",
    "de_2.ts",
    "zh_0.ts",
    "zh_1.ts",
    "zh_2.ts",
    "en_0.ts",
    "en_1.ts",
    "en_2.ts",
    "video0.vtt",
    "video1.vtt",
);

/// The recording's length: the demo's agenda (14:00–17:30) and a margin.
const REPLAY_SECONDS: f64 = 4.0 * 3600.0;

fn file(name: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// A media playlist's segments: duration and file.
fn segments(playlist: &str) -> Vec<(f64, &str)> {
    let mut out = Vec::new();
    let mut duration = None;
    for line in playlist.lines() {
        if let Some(rest) = line.strip_prefix("#EXTINF:") {
            duration = rest
                .split(',')
                .next()
                .and_then(|d| d.trim().parse::<f64>().ok());
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            if let Some(d) = duration.take() {
                out.push((d, line.trim()));
            }
        }
    }
    out
}

/// The fixture's playlist repeated into a recording of `REPLAY_SECONDS`.
pub fn looped(playlist: &str) -> String {
    let segs = segments(playlist);
    let loop_len: f64 = segs.iter().map(|(d, _)| d).sum();
    if segs.is_empty() || loop_len <= 0.0 {
        return playlist.to_string();
    }
    let target = segs.iter().map(|(d, _)| d.ceil() as u64).max().unwrap_or(4);
    let loops = (REPLAY_SECONDS / loop_len).ceil() as u64;
    let mut out = format!(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:{target}\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    );
    for i in 0..loops {
        if i > 0 {
            out.push_str("#EXT-X-DISCONTINUITY\n");
        }
        for (d, name) in &segs {
            out.push_str(&format!("#EXTINF:{d:.6},\n{name}\n"));
        }
    }
    out.push_str("#EXT-X-ENDLIST\n");
    out
}

/// `/demo/stream/{mode}/{name}`: `live` or `replay`, then a file of the fixture.
pub async fn sample(Path((mode, name)): Path<(String, String)>) -> Response {
    if !matches!(mode.as_str(), "live" | "replay") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(bytes) = file(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (body, content_type, cache) = if name == "master.m3u8" {
        (
            bytes.to_vec(),
            "application/vnd.apple.mpegurl",
            "public, max-age=60",
        )
    } else if name.ends_with(".m3u8") {
        let body = looped(&String::from_utf8_lossy(bytes)).into_bytes();
        (
            body,
            "application/vnd.apple.mpegurl",
            "public, max-age=3600",
        )
    } else if name.ends_with(".vtt") {
        (
            bytes.to_vec(),
            "text/vtt; charset=utf-8",
            "public, max-age=3600",
        )
    } else {
        (bytes.to_vec(), "video/mp2t", "public, max-age=3600")
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recording_loops_with_discontinuities() {
        let video = String::from_utf8_lossy(file("video.m3u8").unwrap_or_default()).to_string();
        let replay = looped(&video);
        let loops = (REPLAY_SECONDS / 8.0).ceil() as usize;
        assert_eq!(replay.matches("#EXT-X-DISCONTINUITY\n").count(), loops - 1);
        assert_eq!(replay.matches("video_0.ts").count(), loops);
        assert!(replay.ends_with("#EXT-X-ENDLIST\n"));
    }
}
