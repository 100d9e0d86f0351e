//! Questions over HTTP, on SQLite and on PostgreSQL: asking, moderation (dismiss, edit,
//! merge, route, pin), votes, the language a question is kept in, and the abuse limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_testkit::questions::*;
use roadshow_testkit::{TestApp, on_both};
use serde_json::{Value, json};

on_both!(
    questions_wait_for_moderation_and_keep_the_asker_anonymous,
    votes_count_once_per_participant_and_can_be_taken_back,
    moderators_dismiss_edit_merge_route_and_pin,
    a_question_is_kept_in_the_language_it_is_written_in,
    abuse_limits_hold,
    the_list_comes_in_pages_whose_cursor_neither_skips_nor_repeats,
    the_console_shows_a_bounded_part_of_a_large_event,
    a_card_of_the_console_says_where_it_goes,
);

async fn questions_wait_for_moderation_and_keep_the_asker_anonymous(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let q = ask(
        &t,
        &erika,
        json!({"text": "Welche Steuervergünstigungen gibt es im Deutsch-Chinesischen Industriepark in Shunyi?", "anonymous": true, "lang": "de"}),
    )
    .await;
    let id = q["id"].as_i64().unwrap();
    assert_eq!(q["state"], "pending");
    assert_eq!(q["author"], Value::Null, "anonymous to other participants");
    // Nobody else sees it before a moderator approves it.
    assert!(!public_ids(&t).await.contains(&id));
    let other = t.participant("hans@example.de", "Hans Other").await;
    assert_eq!(
        t.get_as(&format!("/api/v1/questions/{id}"), &other)
            .await
            .status,
        404
    );
    // The asker sees it, with its state.
    let own = t.get_as(QUESTIONS, &erika).await.json();
    assert!(
        own["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == id && x["state"] == "pending")
    );
    // Her personal page lists it, awaiting moderation.
    let home = t.get(&format!("/p/{erika}?lang=en")).await;
    assert!(home.body.contains("Welche Steuervergünstigungen"));
    assert!(home.body.contains("Awaiting moderation"));
    // Staff see who asked, and the suggested department with its reason.
    let staff = t
        .get_as(&format!("/api/v1/questions/{id}"), &moderator)
        .await
        .json();
    assert_eq!(staff["author_name"], "Erika Muster");
    assert_eq!(
        staff["suggested_department"]["name"]["en"],
        "Shunyi District Government"
    );
    assert!(
        staff["suggestion_reason"]
            .as_str()
            .unwrap()
            .contains("Shunyi"),
        "{}",
        staff["suggestion_reason"]
    );
    // A participant cannot moderate.
    let (status, _) = moderate(&t, &erika, id, json!({"action": "approve"})).await;
    assert_eq!(status, 403);
    let (status, approved) = moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    assert_eq!(status, 200);
    assert_eq!(approved["state"], "approved");
    assert!(public_ids(&t).await.contains(&id));
    let public = t.get(&format!("/api/v1/questions/{id}")).await.json();
    assert_eq!(public["author"], Value::Null);
    assert!(
        public.get("author_name").is_none(),
        "no names for the public"
    );
    // Approving twice is a conflict, not a silent success.
    let (status, problem) = moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    assert_eq!(status, 409);
    assert_eq!(problem["code"], "wrong_state");
}

async fn votes_count_once_per_participant_and_can_be_taken_back(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let hans = t.participant("hans@example.de", "Hans Other").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let id = ask(
        &t,
        &erika,
        json!({"text": "How fast is company registration?"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let vote = |token: String, method: &'static str| {
        let t = &t;
        async move {
            t.json(
                method,
                &format!("/api/v1/questions/{id}/vote"),
                Some(&token),
                "",
            )
            .await
        }
    };
    // Not public yet: nothing to vote for.
    assert_eq!(vote(hans.clone(), "POST").await.status, 404);
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let r = vote(hans.clone(), "POST").await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(true))
    );
    let r = vote(hans.clone(), "POST").await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(false)),
        "nobody votes twice"
    );
    let r = vote(erika.clone(), "POST").await.json();
    assert_eq!(r["votes"], 2);
    let r = vote(hans.clone(), "DELETE").await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(true))
    );
    let r = vote(hans.clone(), "DELETE").await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(false))
    );
    // Staff do not vote; the count shown is the count stored.
    assert_eq!(vote(moderator.clone(), "POST").await.status, 403);
    let shown = t.get(&format!("/api/v1/questions/{id}")).await.json();
    assert_eq!(shown["votes"], 1);
    // Many votes at once all count (they are committed in batches).
    let mut tokens = Vec::new();
    for i in 0..20 {
        tokens.push(
            t.participant(&format!("p{i}@example.de"), &format!("Person {i}"))
                .await,
        );
    }
    // Sent together, so that the vote writer commits them in batches.
    let all =
        futures_util::future::join_all(tokens.iter().map(|tk| vote(tk.clone(), "POST"))).await;
    assert!(all.iter().all(|r| r.status == 200));
    assert_eq!(
        t.get(&format!("/api/v1/questions/{id}")).await.json()["votes"],
        21
    );
}

async fn moderators_dismiss_edit_merge_route_and_pin(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let hans = t.participant("hans@example.de", "Hans Other").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let a = ask(
        &t,
        &erika,
        json!({"text": "Is there support for hiring engineers?"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let b = ask(&t, &hans, json!({"text": "support for hiring engineers??"})).await["id"]
        .as_i64()
        .unwrap();
    let c = ask(&t, &hans, json!({"text": "Buy cheap watches"})).await["id"]
        .as_i64()
        .unwrap();
    for id in [a, b] {
        moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    }
    // Dismissing needs a reason, named in the error; the reason is kept for staff.
    let (status, problem) = moderate(&t, &moderator, c, json!({"action": "dismiss"})).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "reason");
    let (status, dismissed) = moderate(
        &t,
        &moderator,
        c,
        json!({"action": "dismiss", "reason": "Advertising"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(dismissed["dismiss_reason"], "Advertising");
    assert!(!public_ids(&t).await.contains(&c));
    // Editing for clarity keeps the original.
    let (_, edited) = moderate(
        &t,
        &moderator,
        b,
        json!({"action": "edit", "text": "Is there support for hiring engineers in Beijing?"}),
    )
    .await;
    assert_eq!(edited["original_text"], "support for hiring engineers??");
    assert_eq!(
        edited["text"],
        "Is there support for hiring engineers in Beijing?"
    );
    // Merging adds the votes up, counting a participant who voted for both once.
    let third = t.participant("third@example.de", "Third Person").await;
    for (token, id) in [(&third, a), (&third, b), (&erika, b)] {
        t.json(
            "POST",
            &format!("/api/v1/questions/{id}/vote"),
            Some(token),
            "",
        )
        .await;
    }
    let (status, _) = moderate(&t, &moderator, b, json!({"action": "merge", "into": a})).await;
    assert_eq!(status, 200);
    let target = t.get(&format!("/api/v1/questions/{a}")).await.json();
    assert_eq!(target["votes"], 2, "third (both) once + erika");
    assert!(!public_ids(&t).await.contains(&b));
    let merged = t
        .get_as(&format!("/api/v1/questions/{b}"), &moderator)
        .await
        .json();
    assert_eq!(
        (merged["state"].as_str(), merged["merged_into"].as_i64()),
        (Some("merged"), Some(a))
    );
    // Merging into itself or into nothing is refused by field.
    let (status, problem) =
        moderate(&t, &moderator, a, json!({"action": "merge", "into": a})).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("into"))
    );
    // Routing: only departments of the agency.
    let (status, problem) = moderate(
        &t,
        &moderator,
        a,
        json!({"action": "route", "department": 999_999}),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("department"))
    );
    let fengtai = department(&t, &organiser, "fengtai").await;
    let (_, routed) = moderate(
        &t,
        &moderator,
        a,
        json!({"action": "route", "department": fengtai}),
    )
    .await;
    assert_eq!(routed["department"]["id"], fengtai);
    // One pinned question at a time.
    let other = public_ids(&t)
        .await
        .into_iter()
        .find(|id| *id != a)
        .unwrap();
    moderate(&t, &moderator, other, json!({"action": "pin"})).await;
    moderate(&t, &moderator, a, json!({"action": "pin"})).await;
    let pinned: Vec<i64> = t.get(QUESTIONS).await.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["pinned"] == true)
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(pinned, vec![a]);
    // Unknown actions are named.
    let (status, problem) = moderate(&t, &moderator, a, json!({"action": "explode"})).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("action"))
    );
}

async fn a_question_is_kept_in_the_language_it_is_written_in(t: TestApp) {
    // Registered in French; the API call says nothing about languages.
    let r = t
        .json(
            "POST",
            "/api/v1/events/two-zones-germany/registrations",
            None,
            &roadshow_testkit::registration("claire@exemple.fr", "Claire Martin", "fr"),
        )
        .await;
    let token = r.json()["token"].as_str().unwrap().to_string();
    let lang_of = |q: Value| q["lang"].as_str().unwrap().to_string();
    let german = ask(
        &t,
        &token,
        json!({"text": "Wie hoch ist die Körperschaftsteuer im Park?"}),
    )
    .await;
    assert_eq!(lang_of(german), "de");
    let chinese = ask(&t, &token, json!({"text": "顺义园区有哪些税收优惠？"})).await;
    assert_eq!(lang_of(chinese), "zh");
    // Nothing to tell it by: the asker's registered language.
    let unclear = ask(&t, &token, json!({"text": "Steinbeis?"})).await;
    assert_eq!(lang_of(unclear), "fr");
    // Said explicitly: as said.
    let said = ask(&t, &token, json!({"text": "Hello?", "lang": "en"})).await;
    assert_eq!(lang_of(said), "en");
}

async fn abuse_limits_hold(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    // Too long: named with its limit.
    let r = t
        .json(
            "POST",
            QUESTIONS,
            Some(&erika),
            &json!({"text": "x".repeat(1001)}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["field"], "text");
    // A session of another event is refused by field.
    let r = t
        .json(
            "POST",
            QUESTIONS,
            Some(&erika),
            &json!({"text": "Hello?", "session_id": 999_999}).to_string(),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("session_id"))
    );
    // HTML in a question is shown as text on every page.
    let id = ask(
        &t,
        &erika,
        json!({"text": "<img src=x onerror=alert(1)> <b>bold</b>?"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let page = t.get(&format!("/events/{SLUG}/live")).await;
    assert!(page.body.contains("&#60;img src=x onerror=alert(1)&#62;"));
    assert!(!page.body.contains("<img src=x"));
    // Five questions per participant per minute (attempts count): then 429 with Retry-After.
    let mut statuses = Vec::new();
    let mut refused = None;
    for i in 0..6 {
        let r = t
            .json(
                "POST",
                QUESTIONS,
                Some(&erika),
                &json!({"text": format!("Question {i}")}).to_string(),
            )
            .await;
        statuses.push(r.status.as_u16());
        if r.status == 429 {
            refused = Some(r);
        }
    }
    let refused = refused.unwrap_or_else(|| panic!("never limited: {statuses:?}"));
    assert!(refused.header("retry-after").parse::<u64>().unwrap() > 0);
    assert_eq!(refused.json()["code"], "rate_limited");
    // Nothing already saved is lost: every accepted question is there for staff.
    let accepted = statuses.iter().filter(|s| **s == 201).count() + 1;
    let all = t.get_as(QUESTIONS, &moderator).await.json();
    let mine = all["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["author_name"] == "Erika Muster")
        .count();
    assert_eq!(mine, accepted);
}

/// Staff read the questions a page at a time; questions asked while they page come
/// after, so that following `next_after` sees every question once.
async fn the_list_comes_in_pages_whose_cursor_neither_skips_nor_repeats(t: TestApp) {
    let moderator = t.token("moderator@roadshow.example").await;
    let page = |after: Option<i64>| {
        let path = match after {
            Some(a) => format!("{QUESTIONS}?limit=3&after={a}"),
            None => format!("{QUESTIONS}?limit=3"),
        };
        let t = &t;
        let moderator = moderator.clone();
        async move {
            let r = t.get_as(&path, &moderator).await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.json()
        }
    };
    let mut seen: Vec<i64> = Vec::new();
    let mut after = None;
    let mut asked = 0;
    loop {
        let body = page(after).await;
        let ids: Vec<i64> = body["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_i64().unwrap())
            .collect();
        assert!(ids.len() <= 3, "{ids:?}");
        seen.extend(&ids);
        // New questions arrive while the moderator pages.
        if asked < 4 {
            let who = t
                .participant(&format!("pager{asked}@example.de"), "Paula Pager")
                .await;
            ask(&t, &who, json!({"text": format!("Frage {asked} zur Förderung von Forschung?"), "lang": "de"})).await;
            asked += 1;
        }
        match body["next_after"].as_i64() {
            Some(next) => {
                assert_eq!(Some(&next), ids.last());
                after = Some(next);
            }
            None => break,
        }
    }
    // A question asked after the last page is read from where the reader stopped.
    let rest = page(seen.last().copied()).await;
    assert_eq!(rest["next_after"], serde_json::Value::Null);
    seen.extend(
        rest["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_i64().unwrap()),
    );
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no question twice: {seen:?}");
    assert_eq!(unique, seen, "in the order they were asked");
    // Every question there is was seen, the ones asked meanwhile included.
    let all = t
        .get_as(&format!("{QUESTIONS}?limit=500"), &moderator)
        .await
        .json();
    let every: Vec<i64> = all["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, every);
    assert!(asked >= 2, "questions were asked while paging");
    // A page size out of bounds is named.
    for bad in ["0", "501", "many"] {
        let r = t
            .get_as(&format!("{QUESTIONS}?limit={bad}"), &moderator)
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert_eq!(r.json()["errors"][0]["field"], "limit");
    }
}

/// The moderation console is re-read at every move of the live exchange: with more
/// questions than a section shows, it shows the first 200 of the queue, counts them all,
/// and offers merge targets once, not once per question.
async fn the_console_shows_a_bounded_part_of_a_large_event(t: TestApp) {
    use roadshow_domain::Lang;
    use roadshow_domain::live::QuestionLive;
    use roadshow_domain::questions::{NewQuestion, QuestionDraft};
    use roadshow_domain::registrations::RegistrationFilter;
    let store = &t.app.store;
    let event = store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let first = RegistrationFilter {
        limit: Some(1),
        ..Default::default()
    };
    let someone = store.registrations(event.id, &first).await.unwrap()[0].clone();
    for i in 0..230 {
        let draft = NewQuestion {
            event: event.id,
            participant: someone.participant_id,
            author_name: someone.name.clone(),
            author_company: someone.company.name.clone(),
            question: QuestionDraft {
                text: format!("Frage Nummer {i} zur Förderung im Park?"),
                session_id: None,
                anonymous: false,
                lang: Lang::De,
            },
            suggested_department: None,
            suggestion_reason: None,
        };
        store
            .create_question(&draft, &QuestionLive::Submitted)
            .await
            .unwrap();
    }
    let moderator = t.token("moderator@roadshow.example").await;
    let staff = t
        .get_as(&format!("{QUESTIONS}?limit=500"), &moderator)
        .await
        .json();
    let pending = staff["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["state"] == "pending")
        .count();
    assert!(pending > 230, "{pending}");
    let login = t
        .app
        .accounts()
        .login("moderator@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let page = t
        .send(
            axum::http::Request::get("/admin/events/two-zones-germany/moderation")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=de", login.session_secret),
                )
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, 200);
    let html = page.body;
    let queue = html
        .split("id=\"section-pending\"")
        .nth(1)
        .and_then(|s| s.split("id=\"section-approved\"").next())
        .unwrap();
    assert_eq!(queue.matches("mod-question").count(), 200, "the first 200");
    assert!(
        queue.contains(&format!("<span class=\"badge\">{pending}</span>")),
        "all of them counted"
    );
    assert!(queue.contains("Hier werden nur die ersten 200 angezeigt"));
    assert!(
        queue.contains("Frage Nummer 0 zur"),
        "first come, first served"
    );
    assert!(!queue.contains("Frage Nummer 229 zur"));
    assert_eq!(html.matches("<datalist id=\"merge-targets\">").count(), 1);
    assert_eq!(
        html.matches("list=\"merge-targets\"").count(),
        html.matches("name=\"into\"").count()
    );
}

/// The consoles take what changed: one question's card, drawn as the console draws it,
/// with the section it belongs in and its place there; a card of the answering console
/// only for the department the question is routed to.
async fn a_card_of_the_console_says_where_it_goes(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let id = ask(
        &t,
        &erika,
        json!({"text": "Gibt es Förderung für Batteriewerke in Shunyi?"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let page = |email: &'static str, path: String| {
        let t = &t;
        async move {
            let login = t
                .app
                .accounts()
                .login(email, "roadshow-demo-2026", "test")
                .await
                .unwrap();
            t.send(
                axum::http::Request::get(path)
                    .header(
                        "cookie",
                        format!("rs_session={}; rs_lang=de", login.session_secret),
                    )
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
        }
    };
    let card = format!("/admin/events/{SLUG}/moderation/questions/{id}");
    let r = page("moderator@roadshow.example", card.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .trim_start()
            .starts_with("<li class=\"card mod-question"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("id=\"q-{id}\"")));
    assert!(r.body.contains("data-section=\"pending\""));
    assert!(
        r.body.contains(&format!("data-sort=\"{id:020}\"")),
        "first come, first served"
    );
    assert!(r.body.contains("Batteriewerke"));
    assert!(!r.body.contains("<html"), "the card alone");
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let r = page("moderator@roadshow.example", card.clone()).await;
    assert!(r.body.contains("data-section=\"approved\""), "{}", r.body);
    // A question of another event's console is not found there.
    let r = page(
        "moderator@roadshow.example",
        format!("/admin/events/{SLUG}/moderation/questions/999999"),
    )
    .await;
    assert_eq!(r.status, 404);
    // The answering console's card: not the official's until routed to their department.
    let official_card = format!("/admin/questions/{id}/card");
    assert_eq!(
        page("official@roadshow.example", official_card.clone())
            .await
            .status,
        404
    );
    let shunyi = department(&t, &organiser, "shunyi").await;
    moderate(
        &t,
        &moderator,
        id,
        json!({"action": "route", "department": shunyi}),
    )
    .await;
    let r = page("official@roadshow.example", official_card.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("data-section=\"open\"") || r.body.contains("data-section=\"overdue\"")
    );
    assert!(
        r.body.contains(&format!("id=\"body-{id}\"")),
        "with its answer form"
    );
    let fengtai = department(&t, &organiser, "fengtai").await;
    moderate(
        &t,
        &moderator,
        id,
        json!({"action": "route", "department": fengtai}),
    )
    .await;
    assert_eq!(
        page("official@roadshow.example", official_card)
            .await
            .status,
        404,
        "routed elsewhere"
    );
}
