//! Search: across languages and spellings, following every change at once, in every process.

use super::*;

pub(crate) async fn search_finds_across_languages_and_spellings(db: Db) {
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

pub(crate) async fn the_index_follows_every_change_at_once(db: Db) {
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
    // "capitaux" is a word of its French title only (which the edit drops).
    assert!(find(&search(&t, "q=capitaux").await, "foreign-rd-centre"));
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
    assert!(!find(&search(&t, "q=capitaux").await, "foreign-rd-centre"));
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
pub(crate) async fn another_process_on_postgresql_hears_of_a_change_at_once() {
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

/// A word an organiser adds to the glossary finds what its concept names (the index is
/// rebuilt on its own after the change), and no longer once taken away.
pub(crate) async fn an_agency_word_finds_what_its_concept_names(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let query = "q=Abgabenrabatt&lang=de";
    assert!(
        !slugs(&search(&t, query).await).contains(&"high-tech-income-tax".to_string()),
        "an unknown word finds nothing yet"
    );
    let r = t
        .json(
            "POST",
            "/api/v1/glossary",
            Some(&organiser),
            &json!({"concept": "tax-incentive", "term": "Abgabenrabatt", "lang": "de"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(slugs(&search(&t, query).await)[0], "high-tech-income-tax");
    let r = t
        .json(
            "DELETE",
            &format!("/api/v1/glossary/{id}"),
            Some(&organiser),
            "",
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert!(!slugs(&search(&t, query).await).contains(&"high-tech-income-tax".to_string()));
}
