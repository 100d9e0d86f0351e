//! Eligibility, expired policies and their successors, parks compared.

use super::*;

pub(crate) async fn eligibility_answers_every_policy_and_explains_itself(db: Db) {
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

pub(crate) async fn expired_policies_point_to_their_successor_and_parks_compare(db: Db) {
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
            roadshow_app::today_in_beijing()
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
