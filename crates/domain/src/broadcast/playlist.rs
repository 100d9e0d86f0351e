//! What an HLS master playlist offers a viewer (audio languages, subtitles, variants),
//! and what in it would keep a participant from choosing their language: the check an
//! organiser runs before going live.

use m3u8_rs::{AlternativeMediaType, Playlist};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AudioTrack {
    pub language: Option<String>,
    pub name: String,
    pub default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubtitleTrack {
    pub language: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    pub bandwidth: u64,
    /// `1280x720`, when the playlist says.
    pub resolution: Option<String>,
}

/// Something in the playlist a viewer would notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaylistWarning {
    /// Not a playlist at all (or not one this parser can read).
    Unreadable,
    /// A media playlist: one rendition, no choice of language or quality.
    NotMaster,
    /// A master playlist without a variant stream.
    NoVariants,
    /// No audio renditions: the sound is muxed into the video, one language only.
    AudioMuxedOnly,
    /// A variant names an audio group that has no renditions.
    MissingAudioGroup,
    /// A variant without `CODECS`: players must guess, some refuse.
    MissingCodecs,
    /// A variant with video but no `RESOLUTION`.
    MissingResolution,
    /// An audio rendition without `LANGUAGE`: the menu cannot start on the viewer's.
    AudioWithoutLanguage,
    /// Several audio renditions, none `DEFAULT=YES`.
    NoDefaultAudio,
    /// A subtitle rendition without `LANGUAGE`.
    SubtitlesWithoutLanguage,
}

impl PlaylistWarning {
    pub fn code(self) -> &'static str {
        match self {
            PlaylistWarning::Unreadable => "unreadable",
            PlaylistWarning::NotMaster => "not_master",
            PlaylistWarning::NoVariants => "no_variants",
            PlaylistWarning::AudioMuxedOnly => "audio_muxed_only",
            PlaylistWarning::MissingAudioGroup => "missing_audio_group",
            PlaylistWarning::MissingCodecs => "missing_codecs",
            PlaylistWarning::MissingResolution => "missing_resolution",
            PlaylistWarning::AudioWithoutLanguage => "audio_without_language",
            PlaylistWarning::NoDefaultAudio => "no_default_audio",
            PlaylistWarning::SubtitlesWithoutLanguage => "subtitles_without_language",
        }
    }
}

/// What a playlist offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlaylistReport {
    pub audio: Vec<AudioTrack>,
    pub subtitles: Vec<SubtitleTrack>,
    pub variants: Vec<Variant>,
    pub warnings: Vec<PlaylistWarning>,
}

/// Reads a playlist's bytes.
pub fn inspect(bytes: &[u8]) -> PlaylistReport {
    let mut report = PlaylistReport::default();
    let master = match m3u8_rs::parse_playlist_res(bytes) {
        Ok(Playlist::MasterPlaylist(m)) => m,
        Ok(Playlist::MediaPlaylist(_)) => {
            report.warnings.push(PlaylistWarning::NotMaster);
            return report;
        }
        Err(_) => {
            report.warnings.push(PlaylistWarning::Unreadable);
            return report;
        }
    };
    let warn = |w: PlaylistWarning, report: &mut PlaylistReport| {
        if !report.warnings.contains(&w) {
            report.warnings.push(w);
        }
    };
    for m in &master.alternatives {
        let language = m.language.clone().filter(|l| !l.trim().is_empty());
        match m.media_type {
            AlternativeMediaType::Audio => {
                if language.is_none() {
                    warn(PlaylistWarning::AudioWithoutLanguage, &mut report);
                }
                report.audio.push(AudioTrack {
                    language,
                    name: m.name.clone(),
                    default: m.default,
                });
            }
            AlternativeMediaType::Subtitles => {
                if language.is_none() {
                    warn(PlaylistWarning::SubtitlesWithoutLanguage, &mut report);
                }
                report.subtitles.push(SubtitleTrack {
                    language,
                    name: m.name.clone(),
                });
            }
            _ => {}
        }
    }
    let variants: Vec<_> = master.variants.iter().filter(|v| !v.is_i_frame).collect();
    if variants.is_empty() {
        warn(PlaylistWarning::NoVariants, &mut report);
    }
    for v in &variants {
        if v.codecs.as_deref().is_none_or(|c| c.trim().is_empty()) {
            warn(PlaylistWarning::MissingCodecs, &mut report);
        }
        let audio_only = v.codecs.as_deref().is_some_and(|c| {
            c.split(',').all(|c| {
                c.trim().starts_with("mp4a")
                    || c.trim().starts_with("ac-3")
                    || c.trim().starts_with("ec-3")
                    || c.trim().starts_with("opus")
            })
        });
        if v.resolution.is_none() && !audio_only {
            warn(PlaylistWarning::MissingResolution, &mut report);
        }
        if let Some(group) = &v.audio {
            let has = master
                .alternatives
                .iter()
                .any(|m| m.media_type == AlternativeMediaType::Audio && &m.group_id == group);
            if !has {
                warn(PlaylistWarning::MissingAudioGroup, &mut report);
            }
        }
        report.variants.push(Variant {
            bandwidth: v.bandwidth,
            resolution: v.resolution.map(|r| format!("{}x{}", r.width, r.height)),
        });
    }
    if !variants.is_empty() && report.audio.is_empty() {
        warn(PlaylistWarning::AudioMuxedOnly, &mut report);
    }
    if report.audio.len() > 1 && !report.audio.iter().any(|a| a.default) {
        warn(PlaylistWarning::NoDefaultAudio, &mut report);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERPRETED: &str = "#EXTM3U
#EXT-X-VERSION:6
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"Deutsch\",LANGUAGE=\"de\",DEFAULT=YES,AUTOSELECT=YES,URI=\"de.m3u8\"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"中文\",LANGUAGE=\"zh\",URI=\"zh.m3u8\"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"Deutsch\",LANGUAGE=\"de\",URI=\"subs_de.m3u8\"
#EXT-X-STREAM-INF:BANDWIDTH=1500000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\",AUDIO=\"aud\",SUBTITLES=\"subs\"
video_720.m3u8
";

    #[test]
    fn an_interpreted_stream_lists_its_languages() {
        let r = inspect(INTERPRETED.as_bytes());
        assert_eq!(r.warnings, vec![]);
        assert_eq!(
            r.audio
                .iter()
                .map(|a| (a.language.as_deref(), a.default))
                .collect::<Vec<_>>(),
            vec![(Some("de"), true), (Some("zh"), false)]
        );
        assert_eq!(r.subtitles.len(), 1);
        assert_eq!(
            r.variants,
            vec![Variant {
                bandwidth: 1_500_000,
                resolution: Some("1280x720".into())
            }]
        );
    }

    #[test]
    fn what_keeps_a_viewer_from_their_language_is_named() {
        let muxed = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow.m3u8\n";
        assert_eq!(
            inspect(muxed.as_bytes()).warnings,
            vec![
                PlaylistWarning::MissingCodecs,
                PlaylistWarning::MissingResolution,
                PlaylistWarning::AudioMuxedOnly
            ]
        );
        let media = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg0.ts\n";
        assert_eq!(
            inspect(media.as_bytes()).warnings,
            vec![PlaylistWarning::NotMaster]
        );
        assert_eq!(
            inspect(b"<html>not found</html>").warnings,
            vec![PlaylistWarning::Unreadable]
        );
        let no_default = INTERPRETED
            .replace("DEFAULT=YES,", "")
            .replace("LANGUAGE=\"zh\",", "");
        assert_eq!(
            inspect(no_default.as_bytes()).warnings,
            vec![
                PlaylistWarning::AudioWithoutLanguage,
                PlaylistWarning::NoDefaultAudio
            ]
        );
    }
}
