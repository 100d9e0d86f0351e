//! Lists that grow with an event come a page at a time, on SQLite and on PostgreSQL: the
//! registrations (API and the organiser's page), the outbox, tasks, survey answers, the
//! directory's admin lists and the questions routed to answer. A page never holds more
//! than asked; following `next_after` while items are added sees each item once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{TestApp, on_both, registration};
use serde_json::Value;

on_both!(
    registrations_come_in_pages_whose_cursor_neither_skips_nor_repeats,
    a_search_pages_through_every_match,
    the_outbox_comes_in_pages_newest_first,
    the_organisers_page_links_the_next_page,
    an_officers_tasks_come_in_pages_earliest_due_first,
    the_survey_answers_come_in_pages_counted_whole,
    the_directorys_admin_lists_come_in_pages,
    the_questions_to_answer_come_in_pages,
    meeting_requests_come_in_pages,
    a_host_finds_the_company_to_invite_by_name,
);

const REGISTRATIONS: &str = "/api/v1/events/two-zones-germany/registrations";

async fn register(t: &TestApp, email: &str, name: &str) {
    let r = t
        .json(
            "POST",
            REGISTRATIONS,
            None,
            &registration(email, name, "de"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

fn ids(body: &Value, list: &str) -> Vec<i64> {
    body[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().or(r["question"]["id"].as_i64()).unwrap())
        .collect()
}

/// Follows `next_after` from the first page, calling `meanwhile` after each page;
/// returns every id seen in order.
async fn follow(
    t: &TestApp,
    token: &str,
    path: &str,
    list: &str,
    limit: usize,
    mut meanwhile: impl AsyncFnMut(usize),
) -> Vec<i64> {
    let join = if path.contains('?') { '&' } else { '?' };
    let mut seen = Vec::new();
    let mut after: Option<i64> = None;
    for page in 0.. {
        let url = match after {
            Some(a) => format!("{path}{join}limit={limit}&after={a}"),
            None => format!("{path}{join}limit={limit}"),
        };
        let r = t.get_as(&url, token).await;
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        let body = r.json();
        let page_ids = ids(&body, list);
        assert!(page_ids.len() <= limit, "{page_ids:?} on a page of {limit}");
        seen.extend(&page_ids);
        meanwhile(page).await;
        match body["next_after"].as_i64() {
            Some(next) => {
                assert_eq!(Some(&next), page_ids.last(), "the cursor is the last item");
                after = Some(next);
            }
            None => break,
        }
    }
    seen
}

async fn registrations_come_in_pages_whose_cursor_neither_skips_nor_repeats(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let before = t.get_as(REGISTRATIONS, &organiser).await.json();
    let total = before["counts"]["total"].as_i64().unwrap();
    let mut added = 0;
    let seen = follow(
        &t,
        &organiser,
        REGISTRATIONS,
        "registrations",
        7,
        async |page| {
            // People register while the organiser pages.
            if page < 3 {
                register(&t, &format!("pager{page}@example.de"), "Paula Pager").await;
                added += 1;
            }
        },
    )
    .await;
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique, seen, "each once, in the order they came in");
    assert_eq!(
        i64::try_from(seen.len()).unwrap(),
        total + added,
        "every registration, those added meanwhile too"
    );
    // The default page is bounded and says where to go on.
    let first = t.get_as(REGISTRATIONS, &organiser).await.json();
    assert!(ids(&first, "registrations").len() <= 100);
    assert_eq!(
        first["counts"]["shown"].as_u64().unwrap() as usize,
        ids(&first, "registrations").len()
    );
    for bad in ["0", "501", "x"] {
        let r = t
            .get_as(&format!("{REGISTRATIONS}?limit={bad}"), &organiser)
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert_eq!(r.json()["errors"][0]["field"], "limit");
    }
    let r = t
        .get_as(&format!("{REGISTRATIONS}?after=soon"), &organiser)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "after");
}

/// A search reads the registrations in chunks; its pages still hold every match once,
/// however far apart the matches are.
async fn a_search_pages_through_every_match(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    for i in 0..5 {
        register(
            &t,
            &format!("müller{i}@example.de"),
            &format!("Jana MÜLLER {i}"),
        )
        .await;
        register(&t, &format!("other{i}@example.de"), "Otto Andere").await;
    }
    let path = format!("{REGISTRATIONS}?q=m%C3%BCller");
    let seen = follow(&t, &organiser, &path, "registrations", 2, async |_| {}).await;
    assert_eq!(seen.len(), 5, "{seen:?}");
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique, seen);
}

async fn the_outbox_comes_in_pages_newest_first(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    for i in 0..4 {
        register(&t, &format!("mail{i}@example.de"), "Mia Mail").await;
    }
    let all = t
        .get_as("/api/v1/outbox?limit=500", &organiser)
        .await
        .json();
    let every = ids(&all, "emails");
    assert!(every.len() >= 4);
    assert!(every.windows(2).all(|w| w[0] > w[1]), "newest first");
    let seen = follow(&t, &organiser, "/api/v1/outbox", "emails", 3, async |_| {}).await;
    assert_eq!(seen, every);
    let default = t.get_as("/api/v1/outbox", &organiser).await.json();
    assert!(ids(&default, "emails").len() <= 100);
}

/// The organiser's registrations page shows a page and links the next one, filters kept.
async fn the_organisers_page_links_the_next_page(t: TestApp) {
    for i in 0..3 {
        register(
            &t,
            &format!("seite{i}@example.de"),
            &format!("Sina Seite {i}"),
        )
        .await;
    }
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let get = |path: String| {
        let cookie = format!("rs_session={}; rs_lang=de", login.session_secret);
        let t = &t;
        async move {
            let r = t
                .send(
                    Request::get(path)
                        .header("cookie", cookie)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.body
        }
    };
    let first = get("/admin/events/two-zones-germany/registrations?q=seite&limit=2".into()).await;
    assert!(first.contains("Sina Seite 1"), "a page of two");
    assert!(!first.contains("Sina Seite 2"), "a page of two");
    let next = first
        .split("rel=\"next\"")
        .next()
        .and_then(|s| s.rsplit("href=\"").next())
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(
        next.contains("q=seite") && next.contains("limit=2"),
        "{next}"
    );
    assert!(
        first.contains("Weiter"),
        "the link is in the reader's language"
    );
    let second = get(next.clone()).await;
    assert!(
        second.contains("Sina Seite 2"),
        "the third on the second page"
    );
    assert!(!second.contains("Sina Seite 0"), "{next}");
    assert!(!second.contains("rel=\"next\""), "the last page");
    assert!(second.contains("Erste Seite"));
}

/// An officer's open tasks, earliest due first (then as they were made): the cursor keeps
/// that order across pages while tasks are added.
async fn an_officers_tasks_come_in_pages_earliest_due_first(t: TestApp) {
    let officer = t.token("officer@roadshow.example").await;
    let leads = t.get_as("/api/v1/leads", &officer).await.json();
    let lead = leads["leads"][0]["id"]
        .as_i64()
        .expect("the demo has leads");
    let taken = t
        .json(
            "POST",
            &format!("/api/v1/leads/{lead}/take"),
            Some(&officer),
            "",
        )
        .await;
    assert!(matches!(taken.status.as_u16(), 200 | 409), "{}", taken.body);
    let add = |title: String, due: &'static str| {
        let t = &t;
        let officer = officer.clone();
        async move {
            let body = serde_json::json!({"title": title, "due_on": due}).to_string();
            let r = t
                .json(
                    "POST",
                    &format!("/api/v1/leads/{lead}/tasks"),
                    Some(&officer),
                    &body,
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
    };
    for (i, due) in [
        "2030-03-01",
        "2030-01-01",
        "2030-02-01",
        "2030-01-01",
        "2030-02-01",
    ]
    .into_iter()
    .enumerate()
    {
        add(format!("Aufgabe {i}"), due).await;
    }
    let mut added = 0;
    let seen = follow(&t, &officer, "/api/v1/tasks", "tasks", 2, async |_| {
        if added < 2 {
            add(format!("Später {added}"), "2031-01-01").await;
            added += 1;
        }
    })
    .await;
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no task twice: {seen:?}");
    let all = t.get_as("/api/v1/tasks?limit=500", &officer).await.json();
    assert_eq!(
        seen,
        ids(&all, "tasks"),
        "every task, those added meanwhile too"
    );
    let dues: Vec<String> = all["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["due_on"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted, "earliest due first");
    assert!(dues.iter().any(|d| d == "2031-01-01"));
}

/// The organiser's survey view: its answers a page at a time, the counts of all of them.
async fn the_survey_answers_come_in_pages_counted_whole(t: TestApp) {
    const SURVEY: &str = "/api/v1/events/two-zones-germany/survey";
    let organiser = t.token("organiser@roadshow.example").await;
    let answer = |who: String| {
        let t = &t;
        async move {
            let r = t
                .json(
                    "PUT",
                    &format!("{SURVEY}/answers"),
                    Some(&who),
                    &serde_json::json!({"interest": "watching"}).to_string(),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
    };
    for i in 0..4 {
        answer(
            t.participant(&format!("umfrage{i}@example.de"), "Uma Frage")
                .await,
        )
        .await;
    }
    let registration_of = |v: &Value| -> Vec<i64> {
        v["responses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["registration_id"].as_i64().unwrap())
            .collect()
    };
    let mut seen: Vec<i64> = Vec::new();
    let mut after: Option<i64> = None;
    let mut late = 0;
    loop {
        let url = match after {
            Some(a) => format!("{SURVEY}?limit=2&after={a}"),
            None => format!("{SURVEY}?limit=2"),
        };
        let body = t.get_as(&url, &organiser).await.json();
        let page = registration_of(&body);
        assert!(page.len() <= 2);
        seen.extend(&page);
        let counted: u64 = body["interest"]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum();
        assert!(counted >= 4, "the counts are of every answer, not the page");
        if late < 1 {
            answer(t.participant("spaet@example.de", "Spät Antwort").await).await;
            late += 1;
        }
        match body["next_after"].as_i64() {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique, seen, "each answer once, in registration order");
    let all = t
        .get_as(&format!("{SURVEY}?limit=500"), &organiser)
        .await
        .json();
    assert_eq!(seen, registration_of(&all), "the late answer too");
}

/// The organisers' lists of parks, policies and stories: every item once, in the order
/// added, archived ones included, however the pages are cut; an item added while paging
/// comes on a later page; the page links its next page.
async fn the_directorys_admin_lists_come_in_pages(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let agency = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap()
        .agency_id;
    let store = &t.app.store;
    let all_parks: Vec<i64> = store
        .parks(agency)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id.0)
        .collect();
    let all_policies: Vec<i64> = store
        .policies(agency)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id.0)
        .collect();
    let all_stories: Vec<i64> = store
        .stories(agency)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id.0)
        .collect();
    assert!(all_parks.len() >= 3 && all_policies.len() >= 3 && all_stories.len() >= 2);
    let mut added = Vec::new();
    let seen = follow(&t, &organiser, "/api/v1/parks", "parks", 2, async |page| {
        if page == 0 {
            let park = serde_json::json!({
                "slug": "paging-park",
                "name": {"en": "Paging Park"},
                "district": {"en": "Daxing"},
                "focus_industries": ["biomedicine"]
            });
            let r = t
                .json("POST", "/api/v1/parks", Some(&organiser), &park.to_string())
                .await;
            assert_eq!(r.status, 201, "{}", r.body);
            added.push(r.json()["id"].as_i64().unwrap());
        }
    })
    .await;
    let mut expected = all_parks.clone();
    expected.extend(&added);
    assert_eq!(seen, expected, "every park once, the new one last");
    assert_eq!(
        follow(
            &t,
            &organiser,
            "/api/v1/policies",
            "policies",
            2,
            async |_| {}
        )
        .await,
        all_policies
    );
    assert_eq!(
        follow(
            &t,
            &organiser,
            "/api/v1/stories",
            "stories",
            1,
            async |_| {}
        )
        .await,
        all_stories
    );
    let r = t.get_as("/api/v1/parks?limit=501", &organiser).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("limit"))
    );
    // The organiser's page: a page of one links the next and keeps the size.
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let r = t
        .send(
            Request::get("/admin/policies?limit=1")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=de", login.session_secret),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body.matches("<tr id=\"policy-").count(), 1, "one row");
    assert!(
        r.body
            .contains(&format!("after={}&#38;limit=1", all_policies[0]))
            || r.body
                .contains(&format!("after={}&amp;limit=1", all_policies[0])),
        "the next page's link"
    );
}

/// The questions routed to answer: every one once across pages, in the order asked; the
/// two halves (`answered=false`, `answered=true`) make the whole; a bad choice is named.
async fn the_questions_to_answer_come_in_pages(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let all = follow(
        &t,
        &organiser,
        "/api/v1/assignments",
        "assignments",
        500,
        async |_| {},
    )
    .await;
    let paged = follow(
        &t,
        &organiser,
        "/api/v1/assignments",
        "assignments",
        2,
        async |_| {},
    )
    .await;
    assert!(all.len() >= 3, "the demo routes questions: {all:?}");
    assert_eq!(paged, all);
    assert!(all.windows(2).all(|w| w[0] < w[1]), "in the order asked");
    let open = follow(
        &t,
        &organiser,
        "/api/v1/assignments?answered=false",
        "assignments",
        2,
        async |_| {},
    )
    .await;
    let answered = follow(
        &t,
        &organiser,
        "/api/v1/assignments?answered=true",
        "assignments",
        2,
        async |_| {},
    )
    .await;
    assert!(!open.is_empty() && !answered.is_empty());
    let mut both: Vec<i64> = open.iter().chain(&answered).copied().collect();
    both.sort();
    assert_eq!(both, all);
    let r = t
        .get_as("/api/v1/assignments?answered=maybe", &organiser)
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("answered"))
    );
}

/// The meeting requests in the organiser's booking view and a host's view: every one once
/// across pages, in the order they came in; the meetings keep their companies' names; the
/// organiser's page links its next page.
async fn meeting_requests_come_in_pages(t: TestApp) {
    const BOOKING: &str = "/api/v1/events/two-zones-germany/meetings/booking";
    const HOST: &str = "/api/v1/events/two-zones-germany/meetings/host";
    let organiser = t.token("organiser@roadshow.example").await;
    let official = t.token("official@roadshow.example").await;
    let all = follow(&t, &organiser, BOOKING, "requests", 500, async |_| {}).await;
    assert!(all.len() >= 3, "the demo has requests: {all:?}");
    assert!(
        all.windows(2).all(|w| w[0] < w[1]),
        "in the order they came in"
    );
    assert_eq!(
        follow(&t, &organiser, BOOKING, "requests", 2, async |_| {}).await,
        all
    );
    let hosts_all: Vec<i64> = t
        .get_as(&format!("{HOST}?limit=500"), &organiser)
        .await
        .json()["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["request"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(hosts_all, all, "an organiser hosts every request");
    // An official sees their department's requests, a page at a time.
    let mut theirs = Vec::new();
    let mut after: Option<i64> = None;
    loop {
        let url = match after {
            Some(a) => format!("{HOST}?limit=1&after={a}"),
            None => format!("{HOST}?limit=1"),
        };
        let body = t.get_as(&url, &official).await.json();
        let page = body["requests"].as_array().unwrap().clone();
        assert!(page.len() <= 1);
        theirs.extend(page.iter().map(|r| {
            assert!(
                r["name"].as_str().is_some_and(|n| !n.is_empty()),
                "named: {r}"
            );
            r["request"]["id"].as_i64().unwrap()
        }));
        match body["next_after"].as_i64() {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let department = t.get_as(&format!("{HOST}?limit=1"), &official).await.json()["departments"][0]
        ["id"]
        .clone();
    let expected: Vec<i64> = t
        .get_as(&format!("{BOOKING}?limit=500"), &organiser)
        .await
        .json()["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["department_id"] == department)
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(theirs, expected, "the official's department's, once each");
    let r = t.get_as(&format!("{BOOKING}?limit=0"), &organiser).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("limit"))
    );
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let r = t
        .send(
            Request::get("/admin/events/two-zones-germany/meetings?limit=2")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=de", login.session_secret),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains(&format!("after={}&#38;limit=2#requests", all[1]))
            || r.body
                .contains(&format!("after={}&amp;limit=2#requests", all[1])),
        "the next page's link"
    );
}

/// The host's invitation form offers a bounded list of the registered companies and finds
/// any of them by name.
async fn a_host_finds_the_company_to_invite_by_name(t: TestApp) {
    register(&t, "zora@ziegel.example.de", "Zora Ziegelmeier").await;
    let login = t
        .app
        .accounts()
        .login("official@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let get = |path: &'static str| {
        let cookie = format!("rs_session={}; rs_lang=de", login.session_secret);
        let t = &t;
        async move {
            let r = t
                .send(
                    Request::get(path)
                        .header("cookie", cookie)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.body
        }
    };
    let options = |html: &str| {
        html.split("name=\"participant_id\">")
            .nth(1)
            .and_then(|s| s.split("</select>").next())
            .map(|s| s.matches("<option").count())
            .unwrap_or(0)
    };
    let all = get("/admin/events/two-zones-germany/meetings/host").await;
    assert!(
        options(&all) > 1 && options(&all) <= 50,
        "{}",
        options(&all)
    );
    let found = get("/admin/events/two-zones-germany/meetings/host?company=ziegelmeier").await;
    assert_eq!(options(&found), 1, "only the company searched for");
    assert!(found.contains("Zora Ziegelmeier"));
    assert!(
        found.contains("value=\"ziegelmeier\""),
        "the search is kept"
    );
}
