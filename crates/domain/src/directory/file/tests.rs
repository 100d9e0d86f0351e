use super::*;
use serde_json::json;

fn file() -> Value {
    json!({"format": "roadshow-directory", "version": 1, "items": [
        {"external_id": "park-1", "kind": "park", "title": {"en": "Airport Park", "zh": "临空园"}, "district": "Shunyi", "sectors": ["aerospace"], "latitude": 40.08, "longitude": 116.58},
        {"external_id": "pol-1", "kind": "policy", "title": {"de": "Mietzuschuss"}, "summary": {"de": "Bis zu 50 %."}, "district": {"en": "Shunyi", "zh": "顺义区"}, "sectors": ["aerospace"], "benefit_types": ["subsidy"], "valid_from": "2025-01-01", "valid_until": "2027-12-31", "parks": ["park-1"], "criteria": [{"field": "employees", "op": "gte", "value": 50}]},
        {"external_id": "pol-0", "kind": "policy", "title": {"de": "Mietzuschuss alt"}, "valid_until": "2024-12-31", "successor": "pol-1"},
        {"external_id": "story-1", "kind": "story", "title": {"en": "Ten years"}, "company_name": "Knorr", "country": "de", "parks": ["park-1"]}
    ]})
}

#[test]
fn a_good_file_plans_every_item_with_its_links() {
    let records = read_json(&file()).unwrap();
    let plan = plan(&records, &HashSet::new()).unwrap();
    assert_eq!(plan.parks.len(), 1);
    assert_eq!(plan.parks[0].slug, "park-1");
    assert_eq!(plan.policies[0].1, vec!["park-1".to_string()]);
    assert_eq!(plan.policies[1].2.as_deref(), Some("pol-1"));
    assert_eq!(plan.policies[0].0.criteria.len(), 1);
    assert_eq!(plan.stories[0].1.as_deref(), Some("park-1"));
}

#[test]
fn every_error_is_named_with_its_record_and_field() {
    let bad = json!({"items": [
        {"external_id": "a", "kind": "policy", "title": {"de": "x"}, "criteria": [{"field": "staff", "op": "gte", "value": 1}], "valid_from": "2025-02-30"},
        {"external_id": "a", "kind": "castle", "title": {"de": "y"}},
        {"kind": "park", "title": {"en": "P"}, "latitude": 200.0, "longitude": 1.0},
        {"external_id": "b", "kind": "policy", "title": {"de": "z"}, "parks": ["nowhere"], "successor": "b"}
    ]});
    let records = read_json(&bad).unwrap();
    let errors = plan(&records, &HashSet::new()).unwrap_err();
    let got: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        vec![
            ("items[0].valid_from", "invalid_date"),
            ("items[0].criteria[0].field", "unknown_field"),
            ("items[1].external_id", "duplicate"),
            ("items[1].kind", "unknown_choice"),
            ("items[2].external_id", "required"),
            ("items[2].slug", "required"),
            ("items[2].latitude", "coordinate_out_of_range"),
            ("items[3].parks[0]", "unknown_park"),
            ("items[3].successor", "unknown_policy"),
        ]
    );
    let typed = json!([{"external_id": "a", "kind": "policy", "sectors": "tax", "title": 3}]);
    let errors = read_json(&typed).unwrap_err();
    let got: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        vec![
            ("items[0].sectors", "invalid_type"),
            ("items[0].title", "invalid_type")
        ]
    );
}

#[test]
fn links_may_point_to_items_already_imported() {
    let records = read_json(&json!([{"external_id": "p", "kind": "policy", "title": {"en": "P"}, "parks": ["old-park"]}])).unwrap();
    assert!(plan(&records, &HashSet::new()).is_err());
    let existing: HashSet<_> = [(Kind::Park, "old-park".to_string())].into_iter().collect();
    assert!(plan(&records, &existing).is_ok());
}

#[test]
fn slugs_come_from_external_ids() {
    assert_eq!(slug_for("BJ/Policy 2025-07"), "bj-policy-2025-07");
    assert!(slug_for("政策").starts_with("item-"));
    assert_eq!(slug_for("政策"), slug_for("政策"));
}

#[test]
fn csv_rows_go_round_trip_and_stay_safe_in_spreadsheets() {
    let records = read_json(&file()).unwrap();
    let mut policies: Vec<Record> = records
        .into_iter()
        .filter(|r| r.kind.as_deref() == Some("policy"))
        .collect();
    policies[0].summary = Localized::one(Lang::En, "=HYPERLINK(\"x\")");
    let text = csv_rows::write(&DirectoryFile {
        format: FORMAT,
        version: 1,
        items: policies.clone(),
    })
    .unwrap();
    assert!(text.contains("'=HYPERLINK"));
    let back = csv_rows::read(&text).unwrap();
    for (a, b) in policies.iter().zip(&back) {
        assert_eq!(a.external_id, b.external_id);
        assert_eq!(a.title, b.title);
        assert_eq!(a.summary, b.summary);
        assert_eq!(a.criteria, b.criteria);
        assert_eq!(a.parks, b.parks);
        assert_eq!(a.successor, b.successor);
        assert_eq!(a.valid_until, b.valid_until);
    }
}

#[test]
fn a_file_of_another_format_or_version_is_not_read() {
    let items = json!([{"external_id": "p", "kind": "park", "title": {"en": "P"}}]);
    let ok = json!({"format": FORMAT, "version": VERSION, "items": items});
    assert_eq!(read_json(&ok).map(|r| r.len()), Ok(1));
    // Without format and version, the items are read as this format.
    assert_eq!(read_json(&json!({"items": items})).map(|r| r.len()), Ok(1));
    let other = json!({"format": "", "version": 2, "items": items});
    let fields: Vec<String> = read_json(&other)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["format", "version"]);
    let fields: Vec<String> = read_json(&json!({"version": 0}))
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["version", "items"]);
}
