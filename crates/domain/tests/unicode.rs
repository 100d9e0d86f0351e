//! Arbitrary Unicode in every text field of every input type: parsing never panics, a
//! control character (NUL above all, which PostgreSQL cannot store) is refused with a
//! `control_character` error on that very field, and text without one is never refused
//! for it — so SQLite and PostgreSQL are given the same text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use roadshow_domain::departments::DepartmentInput;
use roadshow_domain::directory::{ParkInput, PolicyInput, StoryInput};
use roadshow_domain::events::agenda::{SessionInput, SpeakerInput};
use roadshow_domain::events::{EventInput, FieldKind, FormField};
use roadshow_domain::materials::LinkInput;
use roadshow_domain::polls::PollInput;
use roadshow_domain::questions::ModerationInput;
use roadshow_domain::questions::{AnswerInput, QuestionInput};
use roadshow_domain::registrations::RegistrationInput;
use roadshow_domain::{Invalid, Lang, Localized, SessionId};
use serde_json::{Value, json};

type Parse = fn(Value) -> Result<(), Invalid>;

fn read<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the template keeps its shape")
}

/// Each input type with a valid example; every string in it is a field under test.
fn inputs() -> Vec<(&'static str, Value, Parse)> {
    let localized = json!({"de": "Text", "en": "Text", "zh": "文字", "fr": "Texte"});
    vec![
        (
            "event",
            json!({"slug": "two-zones", "title": localized, "theme": localized,
                   "description": localized, "focus_industries": ["smart-manufacturing"],
                   "target_countries": ["DE"], "languages": ["de", "en"],
                   "starts_at": "2026-12-01T15:00", "ends_at": "2026-12-01T17:00",
                   "timezone": "Asia/Shanghai",
                   "stream": {"type": "hls", "url": "https://cdn.example/live/master.m3u8",
                              "alternatives": [{"language": "de", "type": "youtube", "id": "dQw4w9WgXcQ"}]},
                   "recording": {"type": "vimeo", "url": "https://vimeo.com/76979871"},
                   "recording_started_at": "2026-12-01T14:57",
                   "privacy_version": "2026-01"}),
            |v| read::<EventInput>(v).parse(None).map(|_| ()),
        ),
        (
            "session",
            json!({"starts_at": "2026-12-01T15:00", "ends_at": "2026-12-01T16:00",
                   "kind": "presentation", "title": localized, "summary": localized,
                   "presenter": localized}),
            |v| {
                let start = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
                let end = Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap();
                read::<SessionInput>(v)
                    .parse(chrono_tz::Asia::Shanghai, start, end)
                    .map(|_| ())
            },
        ),
        (
            "speaker",
            json!({"name": "Li Wei", "role": localized}),
            |v| read::<SpeakerInput>(v).parse().map(|_| ()),
        ),
        (
            "department",
            json!({"slug": "commerce", "kind": "bureau", "name": localized,
                   "description": localized, "website": "https://d.example"}),
            |v| read::<DepartmentInput>(v).parse().map(|_| ()),
        ),
        (
            "park",
            json!({"slug": "zgc", "name": localized, "district": localized,
                   "summary": localized, "focus_industries": ["ai-robotics"],
                   "website": "https://p.example", "contact": "office@p.example"}),
            |v| read::<ParkInput>(v).parse().map(|_| ()),
        ),
        (
            "policy",
            json!({"slug": "tax", "title": localized, "issuing_body": localized,
                   "region": localized, "sectors": ["ai-robotics"], "benefit_types": ["tax"],
                   "summary": localized, "valid_from": "2026-01-01",
                   "source_url": "https://s.example"}),
            |v| read::<PolicyInput>(v).parse().map(|_| ()),
        ),
        (
            "story",
            json!({"slug": "s", "company_name": "Muster GmbH", "country": "DE",
                   "title": localized, "body": localized}),
            |v| read::<StoryInput>(v).parse().map(|_| ()),
        ),
        (
            "poll",
            json!({"question": localized, "options": [localized, localized]}),
            |v| read::<PollInput>(v).parse().map(|_| ()),
        ),
        (
            "registration",
            json!({"email": "erika@muster.example.de", "name": "Erika Muster",
                   "job_title": "CEO", "language": "de",
                   "company": {"name": "Muster GmbH", "country": "DE",
                               "industry": "smart-manufacturing", "size": "50-249",
                               "website": "https://muster.example.de"},
                   "consent": true, "consents": {"cross_border": true}, "answers": {"interest": "Shunyi"}}),
            |v| {
                let field = FormField {
                    key: "interest".into(),
                    label: Localized::one(Lang::En, "Interest"),
                    required: false,
                    kind: FieldKind::Text,
                    options: vec![],
                };
                read::<RegistrationInput>(v)
                    .parse(&[field], "2026-01", Lang::De)
                    .map(|_| ())
            },
        ),
        (
            "question",
            json!({"text": "Welche Förderung gibt es?", "lang": "de"}),
            |v| read::<QuestionInput>(v).parse(Lang::De).map(|_| ()),
        ),
        (
            "answer",
            json!({"body": "Es gibt drei Programme.", "lang": "de"}),
            |v| read::<AnswerInput>(v).parse(Lang::De).map(|_| ()),
        ),
        (
            "moderation",
            json!({"action": "dismiss", "reason": "Doppelt"}),
            |v| read::<ModerationInput>(v).parse().map(|_| ()),
        ),
        (
            "link",
            json!({"title": "Broschüre", "url": "https://b.example/x.pdf"}),
            |v| read::<LinkInput>(v).parse(SessionId(1)).map(|_| ()),
        ),
    ]
}

/// The dotted paths of every string in `value` (`title.de`, `company.name`, `options.0.de`).
fn string_paths(value: &Value, path: &str, out: &mut Vec<String>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match value {
        Value::String(_) => out.push(path.to_string()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_paths(item, &join(&i.to_string()), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                string_paths(item, &join(k), out);
            }
        }
        _ => {}
    }
}

fn replace(value: &mut Value, path: &str, text: &str) {
    let mut at = value;
    for part in path.split('.') {
        at = match at {
            Value::Array(items) => &mut items[part.parse::<usize>().unwrap()],
            Value::Object(map) => map.get_mut(part).unwrap(),
            _ => unreachable!(),
        };
    }
    *at = Value::String(text.to_string());
}

#[test]
fn every_example_is_valid() {
    for (name, example, parse) in inputs() {
        if let Err(err) = parse(example) {
            panic!("{name}: {err}");
        }
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        // The characters fuzzers and attackers reach for, mixed with ordinary text.
        proptest::collection::vec(
            prop_oneof![
                Just('\u{0}'),
                Just('\u{7}'),
                Just('\u{1b}'),
                Just('\u{7f}'),
                Just('\u{85}'),
                Just('\t'),
                Just('\n'),
                Just('\u{200f}'),
                Just('\u{202e}'),
                Just('\u{feff}'),
                Just('🙂'),
                Just('税'),
                Just('ß'),
                Just('a'),
            ],
            0..12
        )
        .prop_map(|chars| chars.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn arbitrary_unicode_in_every_field(which in 0usize..13, field in 0usize..64, s in text()) {
        let all = inputs();
        let (name, example, parse) = &all[which % all.len()];
        let mut paths = Vec::new();
        string_paths(example, "", &mut paths);
        let path = &paths[field % paths.len()];
        let mut value = example.clone();
        replace(&mut value, path, &s);
        let result = parse(value);
        let flagged = result
            .as_ref()
            .err()
            .is_some_and(|e| e.0.iter().any(|f| f.code == "control_character" && &f.field == path));
        let forbidden_anywhere = s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
        if forbidden_anywhere {
            prop_assert!(flagged, "{name}.{path} = {s:?} was not refused: {result:?}");
        }
        if !s.chars().any(char::is_control) {
            prop_assert!(!flagged, "{name}.{path} = {s:?} refused for a control character");
        }
    }
}
