//! The directory over HTTP on both databases: search across languages with facets,
//! filters and malformed queries; the index following edits, archive, delete, restarts
//! and another process; import and export round trips, all or nothing; eligibility
//! explained in the reader's language; expired policies and successors; citations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use roadshow_testkit::{Db, TestApp, instance};
use serde_json::{Value, json};
use std::time::Duration;

const EXAMPLE: &str = r#"{"sector":"smart-manufacturing","employees":120,"annual_revenue_cny":80000000,"planned_investment_cny":50000000,"foreign_ownership_pct":100,"rd_spending_pct":6,"district":"Shunyi","headquarters":false,"years_in_operation":12,"language":"de"}"#;

async fn search(t: &TestApp, query: &str) -> Value {
    let r = t.get(&format!("/api/v1/search?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
    r.json()
}

fn slugs(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap().to_string())
        .collect()
}

fn encode(s: &str) -> String {
    roadshow_testkit::form_encode(s)
}

async fn search_finds_across_languages_and_spellings(db: Db) {
    let t = TestApp::with_demo(db).await;
    // A German compound finds a text that has it, marked in the snippet.
    let r = search(&t, &format!("q={}&lang=de", encode("Steuervergünstigung"))).await;
    assert_eq!(slugs(&r)[0], "high-tech-income-tax");
    assert!(
        r["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>Steuervergünstigung</mark>")
    );
    // Its parts and other languages' words find it too.
    assert!(
        slugs(&search(&t, "q=Steuer&lang=de").await).contains(&"high-tech-income-tax".to_string())
    );
    assert_eq!(
        slugs(&search(&t, &format!("q={}&lang=en", encode("tax incentives"))).await)[0],
        "high-tech-income-tax"
    );
    assert_eq!(
        slugs(&search(&t, &format!("q={}&lang=fr", encode("avantages fiscaux"))).await)[0],
        "high-tech-income-tax"
    );
    // A typo is forgiven.
    assert_eq!(
        slugs(&search(&t, &format!("q={}&lang=de", encode("Körperschaftstuer"))).await)[0],
        "high-tech-income-tax"
    );
    // German finds a policy written only in Chinese and English, marked as a fallback.
    let r = search(&t, "q=Forschung&lang=de").await;
    let hit = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["slug"] == "fengtai-rd-expense-subsidy")
        .expect("zh/en policy found from German");
    assert_eq!(hit["fallback"], true);
    assert_eq!(hit["snippet_lang"], "en");
    // Chinese words.
    let r = search(&t, &format!("q={}&lang=zh", encode("研发费用"))).await;
    assert_eq!(slugs(&r)[0], "fengtai-rd-expense-subsidy");
    assert_eq!(r["hits"][0]["fallback"], false);
    // Facets count, filters combine with the words.
    let all = search(&t, "lang=de").await;
    assert!(all["facets"]["district"]["Shunyi"].as_u64().unwrap() >= 3);
    assert_eq!(all["facets"]["kind"]["park"], 4);
    let shunyi = search(&t, "q=Zuschuss&district=Shunyi&lang=de").await;
    assert!(shunyi["total"].as_u64().unwrap() >= 1);
    assert!(
        shunyi["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["district"] == "Shunyi")
    );
    let parks = search(&t, "kind=park").await;
    assert_eq!(parks["total"], 4);
    assert!(
        parks["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] == "park")
    );
    // Any text is a query; what cannot be run is a 400 naming the parameter.
    for q in [
        "%22%27%3C%3E",
        "((((",
        "AND%20OR%20NOT",
        "%F0%9F%92%A5",
        "l%27",
        "%00%01",
        "*",
    ] {
        let r = t.get(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
    }
    for (query, field) in [
        (format!("q={}", "a".repeat(201)), "q"),
        ("page=0".into(), "page"),
        ("page=x".into(), "page"),
        ("kind=castle".into(), "kind"),
        ("valid_on=2026-02-30".into(), "valid_on"),
    ] {
        let r = t.get(&format!("/api/v1/search?{query}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(r.json()["errors"][0]["field"], field);
    }
    // The page shows the same, in the reader's language.
    let page = t
        .get(&format!(
            "/directory?q={}&lang=de",
            encode("Steuervergünstigung")
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<mark>Steuervergünstigung</mark>"));
}

async fn the_index_follows_every_change_at_once(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let find = |v: &Value, slug: &str| {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["slug"] == slug)
    };
    let policies = t.get_as("/api/v1/policies", &organiser).await.json();
    let p = policies["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "foreign-rd-centre")
        .unwrap()
        .clone();
    let id = p["id"].as_i64().unwrap();
    // Edit: the new words are found, the old ones no longer.
    let mut input = p.clone();
    input["title"] =
        json!({"de": "Förderung für Innovationslabore", "en": "Support for innovation labs"});
    for k in [
        "id",
        "agency_id",
        "is_sample",
        "archived",
        "version",
        "updated_at",
    ] {
        input.as_object_mut().unwrap().remove(k);
    }
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/policies/{id}"),
            Some(&organiser),
            &input.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(find(
        &search(&t, "q=Innovationslabore").await,
        "foreign-rd-centre"
    ));
    assert!(!find(
        &search(&t, &format!("q={}", encode("Entwicklungszentren"))).await,
        "foreign-rd-centre"
    ));
    // Versions keep the earlier title.
    let v = t
        .get_as(&format!("/api/v1/policies/{id}/versions"), &organiser)
        .await
        .json();
    assert_eq!(v["versions"].as_array().unwrap().len(), 2);
    assert_eq!(v["versions"][0]["changed"], json!(["title"]));
    // Archive hides it from search, eligibility and its page; restoring brings it back.
    let archive = |on: bool| json!({"archived": on}).to_string();
    let r = t
        .json(
            "POST",
            &format!("/api/v1/directory/policies/{id}/archive"),
            Some(&organiser),
            &archive(true),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!find(
        &search(&t, "q=Innovationslabore").await,
        "foreign-rd-centre"
    ));
    assert_eq!(
        t.get("/policies/foreign-rd-centre").await.status,
        StatusCode::NOT_FOUND
    );
    let e = t
        .json("POST", "/api/v1/eligibility", None, EXAMPLE)
        .await
        .json();
    assert!(
        e["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["policy"]["slug"] != "foreign-rd-centre")
    );
    t.json(
        "POST",
        &format!("/api/v1/directory/policies/{id}/archive"),
        Some(&organiser),
        &archive(false),
    )
    .await;
    assert!(find(
        &search(&t, "q=Innovationslabore").await,
        "foreign-rd-centre"
    ));
    // A restart builds the index from the database: the same answers.
    let dir = tempfile::tempdir().unwrap();
    let (_, again) = instance(&t.url, dir.path(), |_| {}).await;
    let restarted = TestApp {
        app: t.app.clone(),
        router: again,
        dir,
        db: t.db,
        url: t.url.clone(),
    };
    assert!(find(
        &search(&restarted, "q=Innovationslabore").await,
        "foreign-rd-centre"
    ));
    // Delete: gone everywhere, links cleaned.
    let r = t
        .json(
            "DELETE",
            &format!("/api/v1/directory/policies/{id}"),
            Some(&organiser),
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let after = search(&restarted, "q=Innovationslabore").await;
    assert!(!find(&after, "foreign-rd-centre"), "{after}");
    assert_eq!(
        t.get_as(&format!("/api/v1/policies/{id}/versions"), &organiser)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
#[cfg_attr(skip_postgres, ignore = "ROADSHOW_TEST_SKIP_POSTGRES=1")]
async fn another_process_on_postgresql_hears_of_a_change_at_once() {
    let a = TestApp::with_demo(Db::Postgres).await;
    let b_dir = tempfile::tempdir().unwrap();
    let (b_app, _b_router) = instance(&a.url, b_dir.path(), |_| {}).await;
    b_app.directory().warm_up().await.unwrap();
    let organiser = a.token("organiser@roadshow.example").await;
    let policies = a.get_as("/api/v1/policies", &organiser).await.json();
    let id = policies["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "two-zones")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = a
        .json(
            "POST",
            &format!("/api/v1/directory/policies/{id}/archive"),
            Some(&organiser),
            r#"{"archived": true}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // B learns it from the NOTIFY, without being asked to search.
    let mut heard = false;
    for _ in 0..100 {
        if b_app.directory().known_policy(id).is_none() {
            heard = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(heard, "the second process did not apply the change");
}

async fn import_and_export_round_trip_all_or_nothing(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let exported = t
        .get_as("/api/v1/directory/export", &organiser)
        .await
        .json();
    let items = exported["items"].as_array().unwrap().len();
    assert!(items >= 18);
    // The export imported again changes nothing.
    let r = t
        .json(
            "POST",
            "/api/v1/directory/import",
            Some(&organiser),
            &exported.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"created": 0, "updated": 0, "unchanged": items})
    );
    assert_eq!(
        t.get_as("/api/v1/directory/export", &organiser)
            .await
            .json(),
        exported
    );
    // CSV too, for the policies.
    let csv = t
        .get_as("/api/v1/directory/export?format=csv", &organiser)
        .await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    let request = axum::http::Request::post("/api/v1/directory/import")
        .header("authorization", format!("Bearer {organiser}"))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(csv.body.clone()))
        .unwrap();
    let r = t.send(request).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 0);
    assert_eq!(r.json()["updated"], 0);
    // Re-importing an external id updates it as a new version; a new one is created.
    let file = json!({"format": "roadshow-directory", "version": 1, "items": [
        {"external_id": "policy:two-zones", "kind": "policy", "slug": "two-zones", "title": {"en": "The \"Two Zones\" policy (2027)"}, "district": {"en": "Beijing"}},
        {"external_id": "bj-2027-01", "kind": "policy", "title": {"zh": "新政策", "en": "A new policy"}, "parks": ["park:sino-german"], "criteria": [{"field": "employees", "op": "≥", "value": 10}]}
    ]});
    let r = t
        .json(
            "POST",
            "/api/v1/directory/import",
            Some(&organiser),
            &file.to_string(),
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"created": 1, "updated": 1, "unchanged": 0}),
        "{}",
        r.body
    );
    assert_eq!(slugs(&search(&t, "q=new%20policy").await)[0], "bj-2027-01");
    // A file with errors imports nothing and names every one.
    let before = t
        .get_as("/api/v1/directory/export", &organiser)
        .await
        .json();
    let bad = json!({"items": [
        {"external_id": "ok-1", "kind": "policy", "title": {"de": "Gut"}},
        {"external_id": "bad-1", "kind": "policy", "title": {"de": "Schlecht"}, "criteria": [{"field": "staff", "op": "gte", "value": 5}]},
        {"external_id": "bad-2", "kind": "policy", "title": {"de": "Auch"}, "criteria": [{"field": "employees", "op": "around", "value": 5}], "parks": ["nowhere"]},
        {"external_id": "bad-3", "kind": "palace"}
    ]});
    let r = t
        .json(
            "POST",
            "/api/v1/directory/import",
            Some(&organiser),
            &bad.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        fields,
        vec![
            "items[1].criteria[0].field",
            "items[2].parks[0]",
            "items[2].criteria[0].op",
            "items[3].kind"
        ]
    );
    assert_eq!(
        t.get_as("/api/v1/directory/export", &organiser)
            .await
            .json(),
        before
    );
    // Not JSON or CSV, not an organiser: refused.
    let r = t
        .json(
            "POST",
            "/api/v1/directory/import",
            Some(&organiser),
            "{not json",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let officer = t.token("officer@roadshow.example").await;
    assert_eq!(
        t.json(
            "POST",
            "/api/v1/directory/import",
            Some(&officer),
            &file.to_string()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn eligibility_answers_every_policy_and_explains_itself(db: Db) {
    let t = TestApp::with_demo(db).await;
    let r = t.json("POST", "/api/v1/eligibility", None, EXAMPLE).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["language"], "de");
    for kind in ["eligible", "nearly_eligible", "not_eligible"] {
        assert!(v["counts"][kind].as_u64().unwrap() >= 1, "{kind}");
    }
    let results = v["results"].as_array().unwrap();
    // Best first: eligible, then nearly, then not.
    let order: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|s| {
        ["eligible", "nearly_eligible", "not_eligible"]
            .iter()
            .position(|x| x == s)
    });
    assert_eq!(order, sorted);
    let nearly = results
        .iter()
        .find(|r| r["policy"]["slug"] == "foreign-rd-centre")
        .unwrap();
    assert_eq!(nearly["status"], "nearly_eligible");
    assert_eq!(
        nearly["failing"],
        json!(["erfordert Mitarbeitende ≥ 150, Sie haben 120 (30 fehlen)"])
    );
    let equipment = results
        .iter()
        .find(|r| r["policy"]["slug"] == "sino-german-equipment")
        .unwrap();
    assert_eq!(equipment["status"], "eligible");
    assert_eq!(equipment["parks"][0]["url"], "/parks/sino-german");
    // An expired policy is never matched as current.
    assert!(
        results
            .iter()
            .all(|r| r["policy"]["slug"] != "new-smart-manufacturing-100")
    );
    // In English when asked so.
    let en = t
        .json(
            "POST",
            "/api/v1/eligibility",
            None,
            &EXAMPLE.replace("\"de\"", "\"en\""),
        )
        .await
        .json();
    let nearly = en["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["policy"]["slug"] == "foreign-rd-centre")
        .unwrap();
    assert_eq!(
        nearly["failing"][0],
        "needs Employees ≥ 150, you have 120 (30 short)"
    );
    // Bad profiles: the field named, nothing else.
    let r = t
        .json(
            "POST",
            "/api/v1/eligibility",
            None,
            r#"{"employees": -1, "sector": "weapons", "foreign_ownership_pct": 101}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.json();
    let fields: Vec<&str> = errors["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["employees", "foreign_ownership_pct", "sector"]);
    // The page: the same answers in German.
    let page = t
        .get("/eligibility?sector=smart-manufacturing&employees=120&rd_spending_pct=6&foreign_ownership_pct=100&district=Shunyi&lang=de")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("erfordert Mitarbeitende ≥ 150, Sie haben 120 (30 fehlen)"),
        "{}",
        page.body
    );
    let bad = t.get("/eligibility?employees=viele&lang=de").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"employees-error\""));
}

async fn expired_policies_point_to_their_successor_and_parks_compare(db: Db) {
    let t = TestApp::with_demo(db).await;
    let r = search(
        &t,
        &format!("q={}&lang=en", encode("New Smart Manufacturing 100")),
    )
    .await;
    let hit = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["slug"] == "new-smart-manufacturing-100")
        .unwrap();
    assert_eq!(hit["expired"], true);
    assert!(hit["successor"].as_i64().is_some());
    let current = search(
        &t,
        &format!(
            "q={}&lang=en&valid_on={}",
            encode("New Smart Manufacturing 100"),
            roadshow_app::directory::today()
        ),
    )
    .await;
    assert!(
        current["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["slug"] != "new-smart-manufacturing-100")
    );
    let page = t.get("/policies/new-smart-manufacturing-100?lang=de").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("href=\"/policies/smart-manufacturing-upgrade\"")
    );
    // A park with its current policies and stories; two or three side by side.
    let park = t.get("/parks/sino-german?lang=de").await;
    assert!(
        park.body
            .contains("href=\"/policies/sino-german-equipment\"")
    );
    let compare = t
        .get("/parks/compare?p=sino-german&p=zgc-fengtai&lang=de")
        .await;
    assert_eq!(compare.status, StatusCode::OK);
    assert!(
        compare
            .body
            .contains("/policies/fengtai-rd-expense-subsidy")
            && compare.body.contains("/policies/sino-german-talent")
    );
    assert_eq!(
        t.get("/parks/compare?p=sino-german").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        t.get("/parks/compare?p=a&p=b&p=c&p=d").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(t.get("/parks/nowhere").await.status, StatusCode::NOT_FOUND);
}

async fn answers_cite_policies_by_their_title_in_the_readers_language(db: Db) {
    let t = TestApp::with_demo(db).await;
    let official = t.token("official@roadshow.example").await;
    let assignments = t.get_as("/api/v1/assignments", &official).await.json();
    let q = assignments["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .next()
        .expect("an assigned question")["question"]["id"]
        .as_i64()
        .unwrap();
    let body = json!({"body": "Siehe [[policy:sino-german-equipment]] und [[policy:nope]].", "lang": "de"}).to_string();
    let r = t
        .json(
            "POST",
            &format!("/api/v1/questions/{q}/answers"),
            Some(&official),
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let all = t
        .get_as("/api/v1/events/two-zones-germany/questions", &official)
        .await
        .json();
    let answered = all["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == q)
        .unwrap();
    let html = answered["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|a| a["body_html"].as_str().filter(|h| h.contains("Siehe")))
        .unwrap();
    assert!(
        html.contains("<a class=\"cite\" href=\"/policies/sino-german-equipment\" lang=\"de\""),
        "{html}"
    );
    assert!(
        html.contains("Investitionszuschuss für Ausrüstung"),
        "{html}"
    );
    assert!(
        html.contains("[[policy:nope]]"),
        "an unknown citation stays as written"
    );
}

/// The official's and the moderator's pages show, for each open question, what the
/// directory finds for its text, with the citation to write.
async fn officials_see_what_the_directory_finds_for_a_question(db: Db) {
    let t = TestApp::with_demo(db).await;
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let r = t
        .json(
            "POST",
            "/api/v1/events/two-zones-germany/questions",
            Some(&erika),
            r#"{"text": "Gibt es Zuschüsse für Ausrüstung im Chinesisch-Deutschen Park?"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let login = t
        .app
        .accounts()
        .login("moderator@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let request = axum::http::Request::get("/admin/events/two-zones-germany/moderation?lang=de")
        .header("cookie", format!("rs_session={}", login.session_secret))
        .body(axum::body::Body::empty())
        .unwrap();
    let page = t.send(request).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("[[policy:sino-german-equipment]]"),
        "the suggestion with its citation"
    );
}

roadshow_testkit::on_both_databases!(
    search_finds_across_languages_and_spellings,
    the_index_follows_every_change_at_once,
    import_and_export_round_trip_all_or_nothing,
    eligibility_answers_every_policy_and_explains_itself,
    expired_policies_point_to_their_successor_and_parks_compare,
    answers_cite_policies_by_their_title_in_the_readers_language,
    officials_see_what_the_directory_finds_for_a_question,
);
