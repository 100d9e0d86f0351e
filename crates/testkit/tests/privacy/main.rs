//! Privacy on both databases: the data map covers every column; a participant's export
//! holds every personal column that has a value for them; erasure leaves neither their
//! name nor their email in any text column (nor in the SQLite file) while the event's
//! figures stay; consents stop the survey; the audit chain verifies and finds tampering;
//! the retention sweep anonymises once with two processes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use roadshow_domain::privacy::map;
use roadshow_testkit::{Db, TestApp};
use serde_json::{Value, json};
use sqlx::{Connection, Row};

mod chain;
use chain::*;

const EVENT: &str = "two-zones-germany";

/// Every table of the database and its columns, as the database lists them.
async fn columns(t: &TestApp) -> Vec<(String, Vec<String>)> {
    let mut conn = sqlx::AnyConnection::connect(&t.url).await.unwrap();
    let rows = match t.db {
        Db::Sqlite => {
            sqlx::query("SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid")
                .fetch_all(&mut conn)
                .await
                .unwrap()
        }
        Db::Postgres => {
            sqlx::query("SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
                .fetch_all(&mut conn)
                .await
                .unwrap()
        }
    };
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for r in rows {
        let (table, column): (String, String) = (r.get("t"), r.get("c"));
        match out.last_mut() {
            Some((t, cols)) if *t == table => cols.push(column),
            _ => out.push((table, vec![column])),
        }
    }
    out
}

/// The text columns of every table that hold `needle`, as `table.column`.
async fn holding(t: &TestApp, needle: &str) -> Vec<String> {
    let mut conn = sqlx::AnyConnection::connect(&t.url).await.unwrap();
    let mut found = Vec::new();
    for (table, cols) in columns(t).await {
        for c in cols {
            let has = match t.db {
                Db::Sqlite => format!("instr(CAST({c} AS TEXT), $1) > 0"),
                Db::Postgres => format!("strpos(CAST({c} AS TEXT), $1) > 0"),
            };
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {has}"))
                .bind(needle)
                .fetch_one(&mut conn)
                .await
                .unwrap_or(0);
            if n > 0 {
                found.push(format!("{table}.{c}"));
            }
        }
    }
    found
}

async fn the_data_map_covers_every_column(db: Db) {
    let t = TestApp::start(db).await;
    let (missing, stale) = map::differences(&columns(&t).await);
    assert!(
        missing.is_empty(),
        "columns without an entry in crates/domain/src/privacy/tables.rs: {missing:?}"
    );
    assert!(stale.is_empty(), "entries of no column: {stale:?}");
}

/// The figures erasure must not change.
async fn figures(t: &TestApp, organiser: &str) -> Value {
    let r = t
        .get_as(&format!("/api/v1/events/{EVENT}/report"), organiser)
        .await
        .json();
    json!({
        "registered": r["headline"]["registered"],
        "questions": r["headline"]["questions"],
        "meetings": r["headline"]["meetings_held"],
        "votes": r["questions"]["votes"],
    })
}

/// The demo participant with data in the most tables of the map, and their export.
async fn busiest(t: &TestApp, organiser: &str) -> (i64, Value) {
    let store = &t.app.store;
    let event = store.event_by_slug(EVENT).await.unwrap().unwrap();
    let regs = store
        .registrations(event.id, &Default::default())
        .await
        .unwrap();
    let mut best: Option<(usize, i64, Value)> = None;
    for r in regs.iter().take(62) {
        let id = r.participant_id.0;
        let e = t
            .get_as(&format!("/api/v1/participants/{id}/export"), organiser)
            .await;
        assert_eq!(e.status.as_u16(), 200, "{}", e.body);
        let doc = e.json();
        let n = doc["data"].as_object().unwrap().len();
        if best.as_ref().is_none_or(|(m, _, _)| n > *m) {
            best = Some((n, id, doc));
        }
    }
    let (_, id, doc) = best.unwrap();
    (id, doc)
}

async fn erasure_walks_the_data_map(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let (id, _) = busiest(&t, &organiser).await;
    // They also vote for a question and, after the event, answer the survey naming
    // themselves, and are emailed the survey.
    let store = &t.app.store;
    let r = store
        .registrations(
            store.event_by_slug(EVENT).await.unwrap().unwrap().id,
            &roadshow_domain::registrations::RegistrationFilter {
                participant: Some(roadshow_domain::ParticipantId(id)),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .remove(0);
    let them = roadshow_domain::accounts::Principal::Participant(
        roadshow_domain::accounts::ParticipantAccess {
            registration_id: r.id,
            participant_id: r.participant_id,
            event_id: r.event_id,
        },
    );
    let questions = t
        .get_as(
            &format!("/api/v1/events/{EVENT}/questions?state=approved"),
            &organiser,
        )
        .await
        .json();
    let question = questions["questions"][0]["id"]
        .as_i64()
        .expect("an approved question");
    t.app
        .questions()
        .vote(&them, roadshow_domain::QuestionId(question), true)
        .await
        .unwrap();
    let now = Utc::now();
    t.reschedule_demo(
        now - Duration::days(2),
        now - Duration::days(2) + Duration::hours(3),
    )
    .await;
    let sent = t
        .json(
            "POST",
            &format!("/api/v1/events/{EVENT}/survey/send"),
            Some(&organiser),
            "{}",
        )
        .await;
    assert!(sent.status.is_success(), "{}", sent.body);
    let input = roadshow_domain::surveys::ResponseInput {
        interest: Some("planning".into()),
        comment: Some(format!("{} will visit Shunyi in spring", r.name)),
        consent: Some(true),
        ..Default::default()
    };
    t.app.surveys().answer(&them, EVENT, &input).await.unwrap();
    let before = figures(&t, &organiser).await;
    let export = t
        .get_as(&format!("/api/v1/participants/{id}/export"), &organiser)
        .await
        .json();
    let name = export["participant"]["name"].as_str().unwrap().to_string();
    let email = export["participant"]["email"].as_str().unwrap().to_string();
    let data = export["data"].as_object().unwrap();
    // The person has done what the map's erasure has to reach.
    for table in [
        "participants",
        "registrations",
        "consents",
        "questions",
        "question_votes",
        "poll_votes",
        "meeting_requests",
        "meetings",
        "survey_responses",
        "survey_links",
        "viewings",
        "signals",
        "outbox",
        "live_events",
    ] {
        assert!(
            data.contains_key(table),
            "{table} missing from {:?}",
            data.keys().collect::<Vec<_>>()
        );
    }
    assert!(!holding(&t, &email).await.is_empty());
    eprintln!(
        "erasing #{id}, with data in {:?}",
        data.keys().collect::<Vec<_>>()
    );

    // The export holds every annotated personal column that has a value for them.
    let mut conn = sqlx::AnyConnection::connect(&t.url).await.unwrap();
    for table in map::tables()
        .iter()
        .filter(|t| t.person == Some("participant_id = $1"))
    {
        for c in table.personal {
            let n: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {} WHERE participant_id = $1 AND {} IS NOT NULL",
                table.name, c.name
            ))
            .bind(id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            if n > 0 {
                let exported = &data[table.name];
                let at = exported["columns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .position(|k| k == c.name)
                    .unwrap_or_else(|| panic!("{}.{} not exported", table.name, c.name));
                assert!(
                    exported["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| !r[at].is_null()),
                    "{}.{} has no value in the export",
                    table.name,
                    c.name
                );
            }
        }
    }

    let erased = t
        .json(
            "POST",
            &format!("/api/v1/participants/{id}/erasure"),
            Some(&organiser),
            &json!({"reason": "Letter of 1 December, identity checked by phone"}).to_string(),
        )
        .await;
    assert_eq!(erased.status.as_u16(), 200, "{}", erased.body);
    let outcome = erased.json();
    assert!(
        outcome["changed"]["participants"].as_u64() == Some(1),
        "{outcome}"
    );

    assert_eq!(holding(&t, &email).await, Vec::<String>::new(), "the email");
    assert_eq!(holding(&t, &name).await, Vec::<String>::new(), "the name");
    if db == Db::Sqlite {
        // Nor in the file's free pages or its log.
        for file in ["roadshow.db", "roadshow.db-wal"] {
            let bytes = std::fs::read(t.dir.path().join(file)).unwrap_or_default();
            let hit = bytes.windows(email.len()).any(|w| w == email.as_bytes());
            assert!(!hit, "the email is still in {file}");
        }
    }
    assert_eq!(figures(&t, &organiser).await, before);
    // Only a keyed hash of the address is left: enough to recognise it, not to read it.
    let agency = store.event_by_slug(EVENT).await.unwrap().unwrap().agency_id;
    assert!(
        t.app
            .privacy()
            .erased_before(agency, &email.to_uppercase())
            .await
            .unwrap()
    );
    assert!(
        !t.app
            .privacy()
            .erased_before(agency, "someone@else.example")
            .await
            .unwrap()
    );
    // Done once: a second erasure is a conflict, the export refused.
    let again = t
        .json(
            "POST",
            &format!("/api/v1/participants/{id}/erasure"),
            Some(&organiser),
            &json!({"reason": "again"}).to_string(),
        )
        .await;
    assert_eq!(again.status.as_u16(), 409, "{}", again.body);
    // The request is on record, done, with who handled it.
    let requests = t
        .get_as("/api/v1/privacy/requests", &organiser)
        .await
        .json();
    let r = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["participant_id"] == id && r["kind"] == "erasure")
        .unwrap();
    assert_eq!(r["state"], "done");
    assert!(r["handled_by"].is_i64());
    // The chain still verifies, and holds nothing of the person.
    assert_eq!(
        t.app.privacy().verify_audit().await.unwrap().map(|n| n > 0),
        Ok(true)
    );
}

async fn consents_are_separate_and_withdrawing_stops_the_survey(db: Db) {
    let t = TestApp::with_demo(db).await;
    // The cross-border consent is its own, required, and named when missing.
    let mut body: Value = serde_json::from_str(&roadshow_testkit::registration(
        "lina@grenze.example.de",
        "Lina Grenze",
        "de",
    ))
    .unwrap();
    body["consents"] = json!({});
    let refused = t
        .json(
            "POST",
            &format!("/api/v1/events/{EVENT}/registrations"),
            None,
            &body.to_string(),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    assert_eq!(
        refused.json()["errors"][0]["field"],
        "consents.cross_border"
    );

    let lina = t.participant("lina@grenze.example.de", "Lina Grenze").await;
    let mine = t.get_as("/api/v1/me/privacy", &lina).await.json();
    let consent = |m: &Value, p: &str| {
        m["consents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["purpose"] == p)
            .cloned()
            .unwrap()
    };
    assert_eq!(consent(&mine, "cross_border")["given"], true);
    assert_eq!(
        consent(&mine, "cross_border")["version"],
        roadshow_domain::privacy::NOTICE_VERSION
    );
    assert_eq!(consent(&mine, "contact")["given"], true);
    assert_eq!(consent(&mine, "sharing")["given"], false);

    // Withdrawn: the survey goes to others, not to her.
    let changed = t
        .json(
            "PUT",
            "/api/v1/me/consents",
            Some(&lina),
            &json!({"consents": {"contact": false}}).to_string(),
        )
        .await;
    assert_eq!(changed.status.as_u16(), 200, "{}", changed.body);
    let unknown = t
        .json(
            "PUT",
            "/api/v1/me/consents",
            Some(&lina),
            &json!({"consents": {"golf": true}}).to_string(),
        )
        .await;
    assert_eq!(unknown.status.as_u16(), 422);
    let now = Utc::now();
    t.reschedule_demo(
        now - Duration::days(2),
        now - Duration::days(2) + Duration::hours(3),
    )
    .await;
    let organiser = t.token("organiser@roadshow.example").await;
    let sent = t
        .json(
            "POST",
            &format!("/api/v1/events/{EVENT}/survey/send"),
            Some(&organiser),
            "{}",
        )
        .await;
    assert!(sent.status.is_success(), "{}", sent.body);
    let outbox = t
        .app
        .store
        .outbox(
            t.app
                .store
                .event_by_slug(EVENT)
                .await
                .unwrap()
                .unwrap()
                .agency_id,
            None,
            500,
        )
        .await
        .unwrap();
    let to_lina = outbox
        .iter()
        .filter(|e| e.message.to == "lina@grenze.example.de")
        .count();
    let surveys = outbox
        .iter()
        .filter(|e| e.message.body_text.contains("/survey/"))
        .count();
    assert!(surveys > 0, "the survey went to those who agreed");
    assert_eq!(to_lina, 1, "only her confirmation");
    // She asks for erasure twice: one email with a link; the organiser refuses it (an
    // identity doubt), the link then opens nothing and she reads why.
    for _ in 0..2 {
        let asked = t.json("POST", "/api/v1/me/erasure", Some(&lina), "").await;
        assert_eq!(asked.status.as_u16(), 202, "{}", asked.body);
    }
    let agency = t
        .app
        .store
        .event_by_slug(EVENT)
        .await
        .unwrap()
        .unwrap()
        .agency_id;
    let links: Vec<String> = t
        .app
        .store
        .outbox(agency, None, 500)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.message.to == "lina@grenze.example.de")
        .filter_map(|e| {
            let at = e.message.body_text.find("/privacy/erasure/")?;
            let rest = &e.message.body_text[at..];
            Some(rest.split_whitespace().next()?.to_string())
        })
        .collect();
    assert_eq!(links.len(), 1, "one confirmation email");
    let link = links[0].split('?').next().unwrap().to_string();
    assert_eq!(t.get(&link).await.status.as_u16(), 200);
    let requests = t
        .get_as("/api/v1/privacy/requests", &organiser)
        .await
        .json();
    let waiting = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["state"] == "awaiting_confirmation")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let refused = t
        .json(
            "POST",
            &format!("/api/v1/privacy/requests/{waiting}/refusal"),
            Some(&organiser),
            &json!({"reason": "Asked from an address we could not confirm"}).to_string(),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 200, "{}", refused.body);
    assert_eq!(refused.json()["state"], "refused");
    assert_eq!(t.get(&link).await.status.as_u16(), 404);
    let mine = t.get_as("/api/v1/me/privacy", &lina).await.json();
    assert!(
        mine["requests"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["refusal_reason"] == "Asked from an address we could not confirm")
    );
    // The change is audited, with the participant as actor.
    let recent = t
        .app
        .store
        .audit_recent(
            t.app
                .store
                .event_by_slug(EVENT)
                .await
                .unwrap()
                .unwrap()
                .agency_id,
            50,
        )
        .await
        .unwrap();
    assert!(
        recent
            .iter()
            .any(|e| e.action == "consent_changed" && e.actor.starts_with("participant:"))
    );
}

roadshow_testkit::on_both_databases!(
    the_data_map_covers_every_column,
    erasure_walks_the_data_map,
    consents_are_separate_and_withdrawing_stops_the_survey,
    the_audit_chain_finds_what_was_changed_removed_or_inserted,
    the_retention_sweep_anonymises_once_with_two_processes,
);
