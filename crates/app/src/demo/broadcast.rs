//! The demo's broadcast: the sample stream Roadshow serves itself (marked as sample),
//! a recording covering the agenda, captions for it, and sample viewing that makes the
//! attendance page meaningful.

use super::EVENT_SLUG;
use crate::{App, AppResult, Principal};
use roadshow_domain::Lang;
use roadshow_domain::broadcast::viewing::{Mode, Span, Viewing};
use roadshow_domain::broadcast::{BroadcastInput, SourceInput, StreamInput};
use roadshow_domain::events::Event;
use roadshow_domain::registrations::RegistrationFilter;

/// The sample stream's addresses under the public address.
pub(super) fn sample_broadcast(
    base_url: &str,
    recording_started_at: Option<String>,
) -> BroadcastInput {
    let hls = |mode: &str| StreamInput {
        source: SourceInput {
            kind: Some("hls".into()),
            url: Some(format!("{base_url}/demo/stream/{mode}/master.m3u8")),
            id: None,
        },
        alternatives: Vec::new(),
    };
    BroadcastInput {
        stream: Some(hls("live")),
        recording: Some(hls("replay")),
        recording_started_at,
    }
}

/// A number from 0 to `n - 1` that depends only on `seed`: the sample is the same each
/// time the demo is loaded.
fn pick(seed: i64, n: i64) -> i64 {
    let x = (seed as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(17);
    (x % n.max(1) as u64) as i64
}

fn clock(seconds: i64) -> String {
    format!(
        "{:02}:{:02}:{:02}.000",
        seconds / 3600,
        (seconds / 60) % 60,
        seconds % 60
    )
}

impl App {
    /// Captions of the recording in German and Chinese: each session's title when it
    /// begins, and the sample viewing of the registrations.
    pub(super) async fn demo_broadcast(&self, organiser: &Principal) -> AppResult<()> {
        let page = self.events().event_page(organiser, EVENT_SLUG).await?;
        let event: &Event = &page.event;
        let recorded_from = event
            .broadcast
            .recording_started_at
            .unwrap_or(event.starts_at)
            .timestamp();
        for lang in [Lang::De, Lang::Zh] {
            let mut vtt = String::from("WEBVTT\n");
            for (i, s) in page.sessions.iter().enumerate() {
                let at = (s.starts_at.timestamp() - recorded_from).max(0);
                vtt.push_str(&format!(
                    "\n{}\n{} --> {}\n{}\n",
                    i + 1,
                    clock(at),
                    clock(at + 8),
                    s.title.get(lang)
                ));
            }
            self.broadcast()
                .set_caption(organiser, EVENT_SLUG, lang.code(), &vtt)
                .await?;
        }
        let registrations = self
            .store
            .registrations(event.id, &RegistrationFilter::default())
            .await?;
        let (start, end) = (event.starts_at.timestamp(), event.ends_at.timestamp());
        let length = end - start;
        let mut viewings = Vec::new();
        for (i, r) in registrations.iter().enumerate() {
            let seed = r.id.0 * 31 + i as i64;
            // Most watch; some join late, some leave early, a few only watch the replay.
            let kind = pick(seed, 10);
            if kind == 9 {
                continue;
            }
            let language = match (r.language, pick(seed + 1, 5)) {
                (Lang::Zh, _) => "zh",
                (_, 0) => "en",
                (_, 1) => "zh",
                _ => "de",
            };
            let live = |from: i64, to: i64| Viewing {
                registration_id: r.id.0,
                mode: Mode::Live,
                session_id: None,
                span: Span {
                    start: from,
                    end: to,
                },
                audio_language: Some(language.to_string()),
                caption_language: None,
            };
            if kind == 8 {
                let replay_start = end + 86_400 + pick(seed + 2, 3600);
                viewings.push(Viewing {
                    mode: Mode::Replay,
                    ..live(replay_start, replay_start + 600 + pick(seed + 3, 2400))
                });
                continue;
            }
            let join = start + pick(seed + 4, length / 4);
            let leave = if kind < 3 {
                join + 300 + pick(seed + 5, length / 2)
            } else {
                end - pick(seed + 6, 600)
            };
            // A break in the middle for some: two intervals.
            if kind == 5 {
                let pause = join + (leave - join) / 2;
                viewings.push(live(join, pause));
                viewings.push(live(pause + 420, leave));
            } else {
                viewings.push(live(join, leave.max(join)));
            }
        }
        // The demo's event is always upcoming; its sample viewing is as if it had been
        // held, as are its sample questions, meetings and survey answers.
        self.store.add_viewings(event.id, &viewings).await?;
        Ok(())
    }
}
