//! What followed the event, on both databases: the outcome funnel dated per company with
//! its +30/+90/+180-day marks recomputed from the companies, the leads' movements since
//! the event, the directory interest recorded as a participant reads and checks, and
//! the comparison with the agency's earlier events.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use chrono::{DateTime, Duration, Utc};
use roadshow_domain::directory::eligibility::{Profile, Status};
use roadshow_testkit::{Db, TestApp};
use serde_json::{Value, json};

const REPORT: &str = "/api/v1/events/two-zones-germany/report";

fn at(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .map(|s| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

async fn the_funnel_is_dated_and_agrees_with_the_companies(db: Db) {
    let t = TestApp::with_demo(db).await;
    let officer = t.token("officer@roadshow.example").await;
    // The event ended 200 days ago: every mark has come.
    let now = Utc::now();
    let event = t
        .reschedule_demo(
            now - Duration::days(200),
            now - Duration::days(200) + Duration::hours(3),
        )
        .await;

    // A lead of the event moves to a site visit today.
    let leads = t
        .get_as("/api/v1/leads?owner=all&limit=100", &officer)
        .await
        .json();
    let lead = leads["leads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| matches!(l["stage"].as_str(), Some("prospect" | "engaged")))
        .expect("an early lead")
        .clone();
    let moved = t
        .json(
            "POST",
            &format!("/api/v1/leads/{}/stage", lead["id"]),
            Some(&officer),
            &json!({"stage": "site_visit"}).to_string(),
        )
        .await;
    assert_eq!(moved.status.as_u16(), 200, "{}", moved.body);

    let r = t.get_as(REPORT, &officer).await.json();
    let companies = r["companies"].as_array().unwrap();
    let steps = r["funnel"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 10);
    let ended = event.ends_at;
    // Every step and mark recomputed from the companies' dates.
    for step in steps {
        let name = step["step"].as_str().unwrap();
        let dates: Vec<Option<DateTime<Utc>>> =
            companies.iter().map(|c| at(&c["reached"][name])).collect();
        let reached = dates.iter().flatten().count() as u64;
        assert_eq!(step["companies"].as_u64().unwrap(), reached, "{name}");
        for days in [30, 90, 180] {
            let within = dates
                .iter()
                .flatten()
                .filter(|d| **d <= ended + Duration::days(days))
                .count() as u64;
            let shown = step[format!("within_{days}_days")].as_u64();
            assert_eq!(shown, Some(within), "{name} within {days} days");
        }
    }
    let marks = r["funnel"]["milestones"].as_array().unwrap();
    assert!(
        marks
            .iter()
            .all(|m| m["companies"].as_u64() == Some(companies.len() as u64))
    );

    // The moved company: a site visit dated today, after every mark, with its owner.
    let company = companies
        .iter()
        .find(|c| c["name"] == lead["company"]["name"])
        .expect("the lead's company is in the report");
    let visit = at(&company["reached"]["site_visit"]).expect("site visit dated");
    assert!(visit > ended + Duration::days(180) && visit <= Utc::now());
    assert_eq!(company["owner"], lead["owner_name"]);
    // The stage change counts as a movement since the event.
    let moved: u64 = r["leads"]["moved_since_event"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["key"] == "site_visit")
        .map(|g| g["count"].as_u64().unwrap())
        .sum();
    assert!(moved >= 1, "{}", r["leads"]);

    // While the event is recent, no mark can be counted yet.
    t.reschedule_demo(
        now - Duration::days(2),
        now - Duration::days(2) + Duration::hours(3),
    )
    .await;
    let recent = t.get_as(REPORT, &officer).await.json();
    for step in recent["funnel"]["steps"].as_array().unwrap() {
        assert!(step["within_30_days"].is_null(), "{step}");
    }

    // The funnel's and the companies' tables carry the same.
    let csv = t.get_as(&format!("{REPORT}/tables/funnel"), &officer).await;
    assert_eq!(csv.status.as_u16(), 200);
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next().unwrap(),
        "step,label,companies,within_30_days,within_90_days,within_180_days"
    );
    assert_eq!(lines.count(), 10);
    let companies_csv = t
        .get_as(&format!("{REPORT}/tables/companies"), &officer)
        .await;
    assert!(
        companies_csv
            .body
            .lines()
            .next()
            .unwrap()
            .ends_with("owner,registered_at,attended_at,asked_at,met_at,intent_at,lead_at,site_visit_at,signed_at,started_at,capital_in_place_at")
    );
}

async fn page_as(t: &TestApp, path: &str, participant: Option<&str>) -> u16 {
    let mut request = Request::get(path);
    if let Some(token) = participant {
        request = request.header("cookie", format!("rs_participant={token}"));
    }
    t.send(request.body(Body::empty()).unwrap())
        .await
        .status
        .as_u16()
}

async fn directory_interest_is_recorded_and_reported(db: Db) {
    let t = TestApp::with_demo(db).await;
    let officer = t.token("officer@roadshow.example").await;
    let before = t.get_as(REPORT, &officer).await.json()["interest"].clone();

    let (parks, policies, _) = t.app.store.directory().await.unwrap();
    let policy = policies.iter().find(|p| !p.archived).unwrap();
    let park = parks.iter().find(|p| !p.archived).unwrap();
    let erika = t
        .participant("erika@muster.example.de", "Erika Muster")
        .await;

    // Read by someone without a personal link: nothing is recorded.
    assert_eq!(
        page_as(&t, &format!("/policies/{}", policy.slug), None).await,
        200
    );
    // Read twice and checked twice by Erika: she counts once per page, the checks twice.
    for _ in 0..2 {
        assert_eq!(
            page_as(&t, &format!("/policies/{}", policy.slug), Some(&erika)).await,
            200
        );
        assert_eq!(
            page_as(&t, &format!("/parks/{}", park.slug), Some(&erika)).await,
            200
        );
        let query = "/eligibility?employees=120&planned_investment_cny=50000000&foreign_ownership_pct=100&sector=smart-manufacturing&country=DE&headquarters=no";
        assert_eq!(page_as(&t, query, Some(&erika)).await, 200);
    }
    let profile = Profile {
        employees: Some(120.0),
        planned_investment_cny: Some(50_000_000.0),
        foreign_ownership_pct: Some(100.0),
        sector: Some("smart-manufacturing".into()),
        country: Some("DE".into()),
        headquarters: Some(false),
        ..Default::default()
    };
    let eligible: Vec<i64> = t
        .app
        .directory()
        .eligibility(&profile)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.assessment.status == Status::Eligible)
        .map(|m| m.policy.id.0)
        .collect();
    assert!(
        !eligible.is_empty(),
        "the demo has a policy this profile meets"
    );

    let count = |r: &Value, list: &str, id: i64| -> u64 {
        r[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .map(|x| x["people"].as_u64().unwrap())
            .unwrap_or(0)
    };
    // Everything Erika's visits should have added, and nothing more.
    let expected = |r: &Value| -> bool {
        r["eligibility_checks"].as_u64() == Some(before["eligibility_checks"].as_u64().unwrap() + 2)
            && r["readers"].as_u64() == Some(before["readers"].as_u64().unwrap() + 1)
            && count(r, "policies_viewed", policy.id.0)
                == count(&before, "policies_viewed", policy.id.0) + 1
            && count(r, "parks_viewed", park.id.0) == count(&before, "parks_viewed", park.id.0) + 1
            && eligible
                .iter()
                .all(|id| count(r, "eligible", *id) == count(&before, "eligible", *id) + 1)
    };
    // The signals are written in the background: wait (up to ten seconds) until they are.
    let mut interest = Value::Null;
    for _ in 0..200 {
        interest = t.get_as(REPORT, &officer).await.json()["interest"].clone();
        if expected(&interest) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let people = |list: &str, id: i64| count(&interest, list, id);
    let people_before = |list: &str, id: i64| count(&before, list, id);
    assert_eq!(
        people("policies_viewed", policy.id.0),
        people_before("policies_viewed", policy.id.0) + 1,
        "{interest}"
    );
    assert_eq!(
        people("parks_viewed", park.id.0),
        people_before("parks_viewed", park.id.0) + 1
    );
    assert_eq!(
        interest["eligibility_checkers"].as_u64().unwrap(),
        before["eligibility_checkers"].as_u64().unwrap() + 1
    );
    for id in &eligible {
        assert_eq!(
            people("eligible", *id),
            people_before("eligible", *id) + 1,
            "{id}"
        );
    }
    // Named as the directory names them, with their address.
    let item = interest["policies_viewed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == policy.id.0)
        .unwrap();
    assert_eq!(item["slug"], policy.slug.as_str());
    assert_eq!(item["name"], policy.title.get(roadshow_domain::Lang::En));

    // The interest is on Erika's company's record, for its lead's score.
    let registration = t
        .app
        .store
        .registrations(
            t.app
                .store
                .event_by_slug("two-zones-germany")
                .await
                .unwrap()
                .unwrap()
                .id,
            &Default::default(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.email == "erika@muster.example.de")
        .unwrap();
    let kinds: Vec<&str> = t
        .app
        .store
        .company_signals(registration.company.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.kind.code())
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    for kind in [
        "policy_viewed",
        "park_viewed",
        "eligibility_checked",
        "eligible",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }

    // The page shows the section; the table lists it.
    let csv = t
        .get_as(&format!("{REPORT}/tables/directory_interest"), &officer)
        .await;
    assert!(
        csv.body.starts_with("list,id,name,people\r\n"),
        "{}",
        csv.body
    );
    assert!(
        csv.body
            .contains(&format!("policies_viewed,{},", policy.id.0))
    );
}

async fn the_report_compares_with_earlier_events(db: Db) {
    let t = TestApp::with_demo(db).await;
    let officer = t.token("officer@roadshow.example").await;
    let store = &t.app.store;
    let demo = store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    // Two earlier events of the agency and one later: the report compares with the
    // earlier ones only, oldest first.
    let mut ids = Vec::new();
    for (slug, days) in [
        ("autumn-2025", -400),
        ("spring-2026", -200),
        ("next-year", 300),
    ] {
        let draft = roadshow_domain::events::EventDraft {
            slug: slug.into(),
            title: demo.title.clone(),
            theme: demo.theme.clone(),
            description: demo.description.clone(),
            focus_industries: demo.focus_industries.clone(),
            target_countries: demo.target_countries.clone(),
            languages: demo.languages.clone(),
            starts_at: demo.starts_at + Duration::days(days),
            ends_at: demo.ends_at + Duration::days(days),
            timezone: demo.timezone.clone(),
            broadcast: demo.broadcast.clone(),
            replay_public: demo.replay_public,
            attended_minutes: demo.attended_minutes,
            status: demo.status,
            form_fields: demo.form_fields.clone(),
            privacy_version: demo.privacy_version.clone(),
        };
        ids.push(store.create_event(demo.agency_id, &draft).await.unwrap().id);
    }
    let r = t.get_as(REPORT, &officer).await.json();
    let earlier: Vec<&str> = r["earlier_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert_eq!(earlier, ["autumn-2025", "spring-2026"]);
    assert_eq!(r["earlier_events"][0]["headline"]["registered"], 0);
    let first = t
        .get_as("/api/v1/events/autumn-2025/report", &officer)
        .await
        .json();
    assert!(first["earlier_events"].as_array().unwrap().is_empty());
    // The comparison table: the earlier events, then this one with its own figures.
    let csv = t
        .get_as(&format!("{REPORT}/tables/comparison"), &officer)
        .await;
    let rows: Vec<&str> = csv.body.lines().collect();
    assert_eq!(rows.len(), 4, "{}", csv.body);
    assert!(rows[3].starts_with("two-zones-germany,"));
    assert!(rows[3].ends_with(&format!(
        ",{},{}",
        r["headline"]["leads"], r["headline"]["signed"]
    )));
}

async fn intent_grew_is_counted_from_the_answers(db: Db) {
    let t = TestApp::with_demo(db).await;
    let officer = t.token("officer@roadshow.example").await;
    let event = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let answers = t
        .app
        .store
        .survey_responses(event.id, None, 100_000)
        .await
        .unwrap();
    let compared = answers
        .iter()
        .filter(|r| r.answers.interest_before.is_some())
        .count() as u64;
    let grew = answers
        .iter()
        .filter(|r| {
            r.answers
                .interest_before
                .is_some_and(|b| r.answers.interest.level() > b.level())
        })
        .count() as u64;
    assert!(
        compared > 0 && grew > 0,
        "the demo's answers say where they stood"
    );
    let r = t.get_as(REPORT, &officer).await.json();
    assert_eq!(r["intent"]["compared"].as_u64(), Some(compared));
    assert_eq!(r["intent"]["grew"].as_u64(), Some(grew));
    assert_eq!(
        r["intent"]["grew_percent"].as_u64(),
        Some((grew * 100 + compared / 2) / compared)
    );
    // The survey's API gives each answer's "before" beside its interest, and asks the
    // question in the organiser's list.
    let organiser = t.token("organiser@roadshow.example").await;
    let survey = t
        .get_as(
            "/api/v1/events/two-zones-germany/survey?limit=200",
            &organiser,
        )
        .await;
    assert_eq!(survey.status.as_u16(), 200, "{}", survey.body);
    let survey = survey.json();
    assert!(
        survey["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["key"] == "interest_before")
    );
    let befores = survey["responses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["interest_before"].is_string())
        .count() as u64;
    assert_eq!(befores, compared);
}

roadshow_testkit::on_both_databases!(
    intent_grew_is_counted_from_the_answers,
    the_funnel_is_dated_and_agrees_with_the_companies,
    directory_interest_is_recorded_and_reported,
    the_report_compares_with_earlier_events,
);
