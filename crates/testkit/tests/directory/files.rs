//! Import and export: the file round trip, all or nothing.

use super::*;

pub(crate) async fn import_and_export_round_trip_all_or_nothing(db: Db) {
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

/// A directory larger than any former item limit exports and imports again whole, as JSON
/// and as CSV: the export read back changes nothing.
pub(crate) async fn a_large_directory_round_trips_whole(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let count = 6_000;
    let items: Vec<Value> = (0..count)
        .map(|i| {
            json!({"external_id": format!("bulk-{i:05}"), "kind": "policy",
                "title": {"en": format!("Bulk policy {i}"), "de": format!("Massenregelung {i}")},
                "summary": {"en": format!("Support number {i} for =formula-like text")},
                "district": {"en": "Beijing"}, "sectors": ["finance"]})
        })
        .collect();
    let file = json!({"format": "roadshow-directory", "version": 1, "items": items});
    let r = t
        .json(
            "POST",
            "/api/v1/directory/import",
            Some(&organiser),
            &file.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], count);
    let exported = t.get_as("/api/v1/directory/export", &organiser).await;
    let exported_json = exported.json();
    let total = exported_json["items"].as_array().unwrap().len();
    assert!(total >= count + 18, "{total}");
    let again = t
        .json(
            "POST",
            "/api/v1/directory/import",
            Some(&organiser),
            &exported.body,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(
        again.json(),
        json!({"created": 0, "updated": 0, "unchanged": total})
    );
    let csv = t
        .get_as("/api/v1/directory/export?format=csv", &organiser)
        .await;
    let request = axum::http::Request::post("/api/v1/directory/import")
        .header("authorization", format!("Bearer {organiser}"))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(csv.body.clone()))
        .unwrap();
    let r = t.send(request).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["created"].clone(), r.json()["updated"].clone()),
        (json!(0), json!(0))
    );
    assert!(r.json()["unchanged"].as_i64().unwrap() >= count as i64);
}
