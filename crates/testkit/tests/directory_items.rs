//! The directory's items: the agency's parks, policies and stories, entered by organisers
//! through the API and the pages, on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{TestApp, on_both};
use serde_json::json;

on_both!(
    organisers_add_and_change_policies_and_parks,
    organisers_add_and_change_success_stories,
    the_park_form_keeps_what_was_typed_and_names_the_wrong_fields,
);

async fn organisers_add_and_change_policies_and_parks(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let moderator = t.token("moderator@roadshow.example").await;
    // Every wrong field at once.
    let r = t
        .json(
            "POST",
            "/api/v1/policies",
            Some(&organiser),
            &json!({"slug": "No Slug", "valid_from": "2025-02-30", "sectors": ["weapons"]})
                .to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["slug", "title", "sectors", "valid_from"]);
    let r = t
        .json(
            "POST",
            "/api/v1/policies",
            Some(&organiser),
            &json!({
                "slug": "biomedicine-support",
                "title": {"en": "Support for biomedicine companies", "de": "Förderung für Biomedizin-Unternehmen"},
                "issuing_body": {"en": "Beijing Economic-Technological Development Area"},
                "sectors": ["biomedicine", "medical-devices"],
                "benefit_types": ["subsidy", "land"],
                "valid_from": "2025-01-01",
                "source_url": "https://example.org/policy.pdf"
            })
            .to_string(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let policy = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["is_sample"], false);

    // A park linking it; a link to an unknown policy is named.
    let park = json!({
        "slug": "yizhuang-bio",
        "name": {"en": "Yizhuang Biomedicine Park", "zh": "亦庄生物医药园"},
        "district": {"en": "Daxing"},
        "focus_industries": ["biomedicine"],
        "area_km2": 4.5,
        "policy_ids": [policy]
    });
    let mut bad = park.clone();
    bad["policy_ids"] = json!([999_999]);
    let r = t
        .json("POST", "/api/v1/parks", Some(&organiser), &bad.to_string())
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("policy_ids"))
    );
    let r = t
        .json("POST", "/api/v1/parks", Some(&organiser), &park.to_string())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    // The same slug twice is named.
    let r = t
        .json("POST", "/api/v1/parks", Some(&organiser), &park.to_string())
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["code"].as_str()),
        (422, Some("slug_taken"))
    );
    // Changing it.
    let mut changed = park.clone();
    changed["area_km2"] = json!(6.0);
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/parks/{id}"),
            Some(&organiser),
            &changed.to_string(),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["area_km2"].as_f64()),
        (200, Some(6.0))
    );
    let list = t.get_as("/api/v1/parks", &organiser).await.json();
    assert!(
        list["parks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["slug"] == "yizhuang-bio")
    );
    // Moderators do not manage the directory.
    assert_eq!(t.get_as("/api/v1/parks", &moderator).await.status, 403);
    // Editing a demo park keeps it marked as sample content.
    let demo = list["parks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["is_sample"] == true)
        .unwrap()
        .clone();
    let mut input = json!({"slug": demo["slug"], "name": demo["name"], "district": demo["district"], "summary": demo["summary"], "focus_industries": demo["focus_industries"], "policy_ids": demo["policy_ids"]});
    input["name"]["en"] = json!("Renamed park");
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/parks/{}", demo["id"]),
            Some(&organiser),
            &input.to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["is_sample"], true);
}

async fn the_park_form_keeps_what_was_typed_and_names_the_wrong_fields(t: TestApp) {
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let cookie = format!("rs_session={}; rs_lang=de", login.session_secret);
    let post = |body: String| {
        Request::post("/admin/parks")
            .header("cookie", cookie.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let r = t
        .send(post(format!(
            "csrf={}&slug=neu&name.de=&district.de=Tongzhou&area_km2=-2&focus_industries=logistics",
            login.csrf_token
        )))
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Dieses Feld ist erforderlich."),
        "the missing name, in German"
    );
    assert!(
        r.body.contains("value=\"Tongzhou\""),
        "what was typed is kept"
    );
    assert!(r.body.contains("value=\"logistics\" checked"));
    // A field that is not a number is named, not taken for another number.
    let r = t
        .send(post(format!(
            "csrf={}&slug=neu&name.de=Neu&area_km2=viel&policy_ids=drei",
            login.csrf_token
        )))
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Bitte eine Zahl angeben."), "{}", r.body);
    let r = t
        .send(post(format!("csrf={}&slug=tongzhou-logistics&name.de=Logistikpark+Tongzhou&name.zh=%E9%80%9A%E5%B7%9E%E7%89%A9%E6%B5%81%E5%9B%AD&area_km2=3%2C5&focus_industries=logistics", login.csrf_token)))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = t
        .send(
            Request::get("/admin/parks")
                .header("cookie", cookie.clone())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.body.contains("Logistikpark Tongzhou"));
    let park = t
        .app
        .store
        .parks(
            t.app
                .store
                .agency_by_slug("bipsc")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug == "tongzhou-logistics")
        .unwrap();
    assert_eq!(park.area_km2, Some(3.5), "a decimal comma is read");
}

async fn organisers_add_and_change_success_stories(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let r = t
        .json(
            "POST",
            "/api/v1/stories",
            Some(&organiser),
            &json!({"slug": "x", "country": "ZZ"}).to_string(),
        )
        .await;
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["company_name", "country", "title"]);
    let r = t
        .json(
            "POST",
            "/api/v1/stories",
            Some(&organiser),
            &json!({"slug": "knorr-shunyi", "company_name": "Knorr Antriebe GmbH", "country": "de", "title": {"de": "Zehn Jahre in Shunyi"}, "body": {"de": "Wir kamen **2015** <script>x</script>."}}).to_string(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["country"], "DE");
    let r = t
        .json("PUT", &format!("/api/v1/stories/{id}"), Some(&organiser), &json!({"slug": "knorr-shunyi", "company_name": "Knorr Antriebe GmbH", "country": "DE", "title": {"de": "Zehn Jahre in Shunyi", "en": "Ten years in Shunyi"}}).to_string())
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["title"]["en"].as_str()),
        (200, Some("Ten years in Shunyi"))
    );
    let list = t.get_as("/api/v1/stories", &organiser).await.json();
    assert!(
        list["stories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["slug"] == "knorr-shunyi")
    );
}
