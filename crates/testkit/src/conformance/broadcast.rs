//! The broadcast: heartbeats folded into viewing intervals (the same as the domain's fold,
//! whichever process writes them and in whichever order), and captions.

use super::{Fixture, at};
use crate::Db;
use roadshow_domain::Lang;
use roadshow_domain::broadcast::viewing::{Heartbeat, Mode, Span, Viewing, spans_of};
use roadshow_domain::broadcast::{BroadcastStore, Caption, StampedBeat};

fn beat(
    event: roadshow_domain::EventId,
    reg: roadshow_domain::RegistrationId,
    at: i64,
    mode: Mode,
    lang: &str,
) -> StampedBeat {
    StampedBeat {
        event_id: event,
        registration_id: reg,
        at,
        beat: Heartbeat {
            session_id: None,
            mode,
            position_s: Some(12.5),
            audio_language: Some(lang.into()),
            caption_language: None,
        },
    }
}

fn spans(viewings: &[Viewing], reg: i64, mode: Mode) -> Vec<Span> {
    let mut out: Vec<Span> = viewings
        .iter()
        .filter(|v| v.registration_id == reg && v.mode == mode)
        .map(|v| v.span)
        .collect();
    out.sort();
    out
}

pub async fn heartbeats_fold_into_viewing_and_captions_round_trip(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let erika = f.register(&event, "erika@muster.example", "Erika").await;
    let max = f.register(&event, "max@muster.example", "Max").await;
    let t0 = at(2026, 12, 1, 7).timestamp();

    // Erika's beats arrive out of order, repeated, from two processes, in several
    // transactions; one beat bridges two intervals.
    let live: Vec<i64> = vec![0, 60, 120, 60, 400, 1000, 1160, 1080, 460, 0];
    let other = f.second().await;
    for (i, chunk) in live.chunks(3).enumerate() {
        let beats: Vec<_> = chunk
            .iter()
            .map(|s| beat(event.id, erika.id, t0 + s, Mode::Live, "de"))
            .collect();
        let store: &dyn BroadcastStore = if i % 2 == 0 {
            f.store.as_ref()
        } else {
            other.as_ref()
        };
        store.record_beats(&beats).await.unwrap();
    }
    // Max watches the replay the next day, in Chinese.
    let replay: Vec<i64> = vec![90_000, 90_060, 90_120];
    let beats: Vec<_> = replay
        .iter()
        .map(|s| beat(event.id, max.id, t0 + s, Mode::Replay, "zh"))
        .collect();
    f.store.record_beats(&beats).await.unwrap();

    let viewings = f.store.viewings(event.id).await.unwrap();
    let expected = |beats: &[i64]| spans_of(&beats.iter().map(|s| t0 + s).collect::<Vec<_>>());
    assert_eq!(spans(&viewings, erika.id.0, Mode::Live), expected(&live));
    assert_eq!(
        spans(&viewings, erika.id.0, Mode::Live),
        vec![
            Span {
                start: t0,
                end: t0 + 120
            },
            Span {
                start: t0 + 400,
                end: t0 + 460
            },
            Span {
                start: t0 + 1000,
                end: t0 + 1160
            }
        ]
    );
    assert_eq!(spans(&viewings, max.id.0, Mode::Replay), expected(&replay));
    assert!(spans(&viewings, max.id.0, Mode::Live).is_empty());
    assert!(
        viewings
            .iter()
            .filter(|v| v.registration_id == max.id.0)
            .all(|v| v.audio_language.as_deref() == Some("zh"))
    );
    assert_eq!(f.store.viewings_of(erika.id).await.unwrap().len(), 3);

    // Watching now: viewing that reaches the moment, begun by then.
    assert_eq!(
        f.store
            .watching_since(event.id, t0 + 1100, t0 + 1160)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        f.store
            .watching_since(event.id, t0 + 1200, t0 + 1260)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        f.store
            .watching_since(event.id, t0 - 100, t0 - 50)
            .await
            .unwrap(),
        0,
        "viewing not yet begun"
    );

    // Finished intervals as they are (the demo's sample).
    f.store
        .add_viewings(
            event.id,
            &[Viewing {
                registration_id: max.id.0,
                mode: Mode::Live,
                session_id: None,
                span: Span {
                    start: t0 + 30,
                    end: t0 + 630,
                },
                audio_language: Some("en".into()),
                caption_language: Some("de".into()),
            }],
        )
        .await
        .unwrap();
    let viewings = f.store.viewings(event.id).await.unwrap();
    assert_eq!(
        spans(&viewings, max.id.0, Mode::Live),
        vec![Span {
            start: t0 + 30,
            end: t0 + 630
        }]
    );

    // Captions per language: replaced, listed, removed; the event's and a session's apart.
    let caption = |lang, text: &str| Caption {
        language: lang,
        vtt: format!("WEBVTT\n\n00:00.000 --> 00:02.000\n{text}\n"),
        updated_at: at(2026, 12, 2, 8),
    };
    f.store
        .set_caption(event.id, "event", &caption(Lang::De, "Guten Tag"))
        .await
        .unwrap();
    f.store
        .set_caption(event.id, "event", &caption(Lang::Zh, "你好"))
        .await
        .unwrap();
    f.store
        .set_caption(event.id, "event", &caption(Lang::De, "Willkommen"))
        .await
        .unwrap();
    f.store
        .set_caption(event.id, "session-1", &caption(Lang::Fr, "Bonjour"))
        .await
        .unwrap();
    let list = f.store.captions(event.id, "event").await.unwrap();
    assert_eq!(
        list.iter().map(|c| c.language).collect::<Vec<_>>(),
        vec![Lang::De, Lang::Zh]
    );
    assert!(list[0].vtt.contains("Willkommen"));
    assert_eq!(list[1].vtt, caption(Lang::Zh, "你好").vtt);
    f.store
        .delete_caption(event.id, "event", Lang::De)
        .await
        .unwrap();
    assert_eq!(f.store.captions(event.id, "event").await.unwrap().len(), 1);
    assert_eq!(
        f.store.captions(event.id, "session-1").await.unwrap().len(),
        1
    );
}
