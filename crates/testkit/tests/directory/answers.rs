//! The directory in the live exchange: cited in answers, suggested to officials.

use super::*;

pub(crate) async fn answers_cite_policies_by_their_title_in_the_readers_language(db: Db) {
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
pub(crate) async fn officials_see_what_the_directory_finds_for_a_question(db: Db) {
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
