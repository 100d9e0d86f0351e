//! Every route × every role → the expected status. A route the router serves without a
//! row here fails the test, so a new route cannot skip authorization.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_domain::Localized;
use roadshow_domain::accounts::Role;
use roadshow_testkit::{Db, ERIKA, TestApp};

mod officers_table;
mod table;
mod webhooks_table;
use officers_table::WITH_OFFICERS;
use table::TABLE;
use webhooks_table::WEBHOOKS;

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let mut served: Vec<_> = roadshow_web::route_list();
    let mut listed: Vec<_> = TABLE
        .iter()
        .map(|(m, p, _)| (*m, p.to_string()))
        .chain(WITH_OFFICERS.iter().map(|(m, p, _)| (*m, p.to_string())))
        .chain(WEBHOOKS.iter().map(|(m, p, _)| (*m, p.to_string())))
        .collect();
    served.sort();
    listed.sort();
    assert_eq!(
        served, listed,
        "the authorization table and the router disagree"
    );
}

/// How one column calls: bearer token for the API, cookies for pages.
struct Caller {
    bearer: Option<String>,
    session: Option<(String, String)>,
    /// Pages: the participant's personal-link cookie.
    participant: bool,
}

async fn every_route_answers_each_role_as_the_table_says(db: Db) {
    // Every row is a write or a sign-in from the same address: limits high enough that
    // the table's rows, not the rate limits, decide the answers.
    let t = TestApp::start_with(db, |c| {
        c.writes_per_minute = 100_000;
        c.login_failures = 100;
    })
    .await;
    t.app.load_demo().await.unwrap();
    let app = &t.app;
    // A second agency with its own organiser.
    let other = app
        .store
        .create_agency(
            "other",
            &Localized::one(roadshow_domain::Lang::En, "Other agency"),
        )
        .await
        .unwrap();
    app.accounts()
        .add_user(
            other.id,
            "foreign@other.example",
            "Foreign",
            Role::Organiser,
            None,
            "foreign-password-1",
        )
        .await
        .unwrap();

    let reg = t
        .json(
            "POST",
            "/api/v1/events/two-zones-germany/registrations",
            None,
            ERIKA,
        )
        .await
        .json();
    let participant_token = reg["token"].as_str().unwrap().to_string();
    let registration_id = reg["id"].as_i64().unwrap();
    let organiser = roadshow_domain::accounts::Principal::Staff(
        app.store
            .account_by_email("organiser@roadshow.example")
            .await
            .unwrap()
            .unwrap()
            .account,
    );
    let sessions = app
        .store
        .sessions(
            app.store
                .event_by_slug("two-zones-germany")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    let session = sessions[0].id;
    let speaker = sessions[0].speakers[0].id;
    let second_speaker = app
        .events()
        .add_speaker(
            &organiser,
            session,
            &roadshow_domain::events::SpeakerInput {
                name: Some("Second".into()),
                role: Localized::default(),
            },
        )
        .await
        .unwrap()
        .id;
    let pdf = app
        .materials()
        .add_material_file(
            &organiser,
            session,
            "Plan",
            "plan.pdf",
            b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
        )
        .await
        .unwrap()
        .id;
    let link = app
        .materials()
        .add_material_link(&organiser, session, "Slides", "https://example.org/slides")
        .await
        .unwrap()
        .id;
    let last_session = sessions[5].id;
    let department = app
        .store
        .departments(organiser.staff().unwrap().agency_id)
        .await
        .unwrap()[0]
        .id;

    // An approved question and the open poll of the demo's exchange.
    let event_id = app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap()
        .id;
    let question = app
        .store
        .questions(&roadshow_domain::questions::QuestionFilter {
            event: Some(event_id),
            states: vec![roadshow_domain::questions::QuestionState::Approved],
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .id;
    let poll = app.store.polls(event_id).await.unwrap()[0].id;
    let agency = organiser.staff().unwrap().agency_id;
    let park = app.store.parks(agency).await.unwrap()[0].id;
    let policy = app.store.policies(agency).await.unwrap()[0].id;
    let story = app.store.stories(agency).await.unwrap()[0].id;
    let glossary_term = app
        .directory()
        .add_term(
            &organiser,
            "tax-incentive",
            Some(roadshow_domain::Lang::De),
            "Steuerbonus",
        )
        .await
        .unwrap()
        .id;

    app.accounts()
        .add_user(
            other.id,
            "foreign-officer@other.example",
            "Foreign officer",
            Role::InvestmentOfficer,
            None,
            "foreign-password-1",
        )
        .await
        .unwrap();
    // The follow-up's objects: a lead in the pool, a task on it, its company, and a
    // merge of two sample companies to undo.
    let officer = roadshow_domain::accounts::Principal::Staff(
        app.store
            .account_by_email("officer@roadshow.example")
            .await
            .unwrap()
            .unwrap()
            .account,
    );
    let (pool, _) = app
        .store
        .leads(
            agency,
            &roadshow_domain::leads::LeadFilter {
                owner: roadshow_domain::leads::OwnerFilter::Pool,
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let lead = pool[0].id;
    let company = pool[0].company.id;
    let task = app
        .leads()
        .add_task(
            &officer,
            lead,
            &roadshow_domain::leads::TaskInput {
                title: Some("Call".into()),
                due_on: Some("2030-01-01".into()),
                assignee_id: None,
            },
        )
        .await
        .unwrap()
        .id;
    let companies = app.store.company_summaries(agency).await.unwrap();
    let loose: Vec<_> = companies.iter().filter(|c| !c.has_lead).collect();
    let merge = app
        .leads()
        .merge(&officer, Some(loose[0].id.0), Some(loose[1].id.0))
        .await
        .unwrap()
        .id;

    let webhook = |url: &'static str| {
        let store = app.store.clone();
        async move {
            use roadshow_domain::webhooks::{EndpointDraft, EventType};
            let draft = EndpointDraft {
                url: url.into(),
                events: vec![EventType::RegistrationCreated],
                description: String::new(),
            };
            store
                .add_webhook(agency, &draft, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .await
                .unwrap()
                .id
                .0
        }
    };
    let webhooks = [
        webhook("https://crm.example.de/kept").await,
        webhook("https://crm.example.de/api-removes").await,
        webhook("https://crm.example.de/page-removes").await,
    ];

    let login = |email: &'static str, password: &'static str| {
        let app = app.clone();
        async move {
            let l = app
                .accounts()
                .login(email, password, "table")
                .await
                .unwrap();
            Caller {
                bearer: Some(app.accounts().create_api_token(email).await.unwrap()),
                session: Some((l.session_secret, l.csrf_token)),
                participant: false,
            }
        }
    };
    let anonymous = || Caller {
        bearer: None,
        session: None,
        participant: false,
    };
    let participant = || Caller {
        bearer: Some(participant_token.clone()),
        session: None,
        participant: true,
    };
    let demo = "roadshow-demo-2026";
    let callers = [
        anonymous(),
        participant(),
        login("moderator@roadshow.example", demo).await,
        login("foreign@other.example", "foreign-password-1").await,
        login("organiser@roadshow.example", demo).await,
        login("officer@roadshow.example", demo).await,
    ];
    let follow_up_callers = [
        anonymous(),
        participant(),
        login("moderator@roadshow.example", demo).await,
        login("official@roadshow.example", demo).await,
        login("foreign-officer@other.example", "foreign-password-1").await,
        login("officer@roadshow.example", demo).await,
        login("organiser@roadshow.example", demo).await,
    ];
    let ids = Ids {
        registration_id,
        pdf,
        link,
        second_speaker,
        speaker,
        department,
        question,
        park,
        policy,
        story,
        poll,
        delete_session: sessions[4].id.0,
        last_session,
        session,
        glossary_term,
        lead: lead.0,
        task: task.0,
        company: company.0,
        merge,
        webhooks,
    };
    let mut failures = Vec::new();
    for (method, pattern, expected) in TABLE {
        check(
            &t,
            &ids,
            &participant_token,
            method,
            pattern,
            expected,
            &callers,
            &mut failures,
        )
        .await;
    }
    for (method, pattern, expected) in WITH_OFFICERS.iter().chain(WEBHOOKS) {
        check(
            &t,
            &ids,
            &participant_token,
            method,
            pattern,
            expected,
            &follow_up_callers,
            &mut failures,
        )
        .await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The ids the rows' `{id}` stand for.
struct Ids {
    registration_id: i64,
    pdf: roadshow_domain::ids::MaterialId,
    link: roadshow_domain::ids::MaterialId,
    second_speaker: roadshow_domain::ids::SpeakerId,
    speaker: roadshow_domain::ids::SpeakerId,
    department: roadshow_domain::ids::DepartmentId,
    question: roadshow_domain::ids::QuestionId,
    park: roadshow_domain::ids::ParkId,
    policy: roadshow_domain::ids::PolicyId,
    story: roadshow_domain::ids::StoryId,
    poll: roadshow_domain::ids::PollId,
    glossary_term: i64,
    delete_session: i64,
    last_session: roadshow_domain::ids::SessionId,
    session: roadshow_domain::ids::SessionId,
    lead: i64,
    task: i64,
    company: i64,
    merge: i64,
    /// Kept, removed through the API, removed on the page.
    webhooks: [i64; 3],
}

/// Calls one row as each column's caller and notes every status that differs.
#[allow(clippy::too_many_arguments)]
async fn check(
    t: &TestApp,
    ids: &Ids,
    participant_token: &str,
    method: &str,
    pattern: &str,
    expected: &[u16],
    callers: &[Caller],
    failures: &mut Vec<String>,
) {
    for (column, caller) in callers.iter().enumerate() {
        let id = match pattern {
            p if p.contains("{kind}") => ids.story.to_string(),
            p if p.contains("/glossary/{id}") => ids.glossary_term.to_string(),
            p if p.contains("/registrations/") => ids.registration_id.to_string(),
            p if p.starts_with("/materials/") => ids.pdf.to_string(),
            p if p.contains("/materials/{id}") => {
                if pattern == "/api/v1/materials/{id}" {
                    ids.link.to_string()
                } else {
                    ids.pdf.to_string()
                }
            }
            p if p.contains("/speakers/{id}") => {
                if pattern == "/api/v1/speakers/{id}" {
                    ids.second_speaker.to_string()
                } else {
                    ids.speaker.to_string()
                }
            }
            p if p.contains("/departments/{id}") => ids.department.to_string(),
            p if p.contains("/questions/{id}") => ids.question.to_string(),
            p if p.contains("/parks/{id}") => ids.park.to_string(),
            p if p.contains("/policies/{id}") => ids.policy.to_string(),
            p if p.contains("/stories/{id}") => ids.story.to_string(),
            p if p.contains("/polls/{id}") => ids.poll.to_string(),
            p if p.contains("/leads/{id}") => ids.lead.to_string(),
            p if p.contains("/tasks/{id}") => ids.task.to_string(),
            p if p.contains("/merges/{id}") => ids.merge.to_string(),
            p if p.contains("/companies/{id}") => ids.company.to_string(),
            p if p.contains("deliveries/{id}") => ids.session.to_string(),
            p if p.contains("/webhooks/{id}") => match (method, p.ends_with("/delete")) {
                ("DELETE", _) => ids.webhooks[1].to_string(),
                (_, true) => ids.webhooks[2].to_string(),
                _ => ids.webhooks[0].to_string(),
            },
            p if p.ends_with("/delete") || (method == "DELETE" && p.contains("/sessions/")) => {
                if method == "DELETE" {
                    ids.delete_session.to_string()
                } else {
                    ids.last_session.to_string()
                }
            }
            _ => ids.session.to_string(),
        };
        let slug = match pattern {
            "/policies/{slug}" => "high-tech-income-tax",
            "/parks/{slug}" => "sino-german",
            "/stories/{slug}" => "cavete",
            _ => "two-zones-germany",
        };
        let path = pattern
            .replace("{kind}", "stories")
            .replace("{slug}", slug)
            .replace("{token}", participant_token)
            .replace("{mode}", "live")
            .replace(
                "{name}",
                if pattern.starts_with("/demo/stream/") {
                    "master.m3u8"
                } else {
                    "style.css"
                },
            )
            .replace("{language}", "de")
            .replace("{table}", "registrations_by_country")
            .replace("{id}", &id);
        let is_api = path.starts_with("/api/") || path == "/healthz" || path == "/readyz";
        let mut builder = Request::builder().method(method).uri(&path);
        let body = if is_api {
            if let Some(b) = &caller.bearer {
                builder = builder.header("authorization", format!("Bearer {b}"));
            }
            builder = builder.header("content-type", "application/json");
            if method == "GET" || method == "DELETE" {
                Body::empty()
            } else {
                Body::from("{}")
            }
        } else {
            let csrf = match &caller.session {
                Some((secret, csrf)) => {
                    builder = builder.header("cookie", format!("rs_session={secret}"));
                    csrf.clone()
                }
                None => {
                    let visitor = "v".repeat(43);
                    let participant = if caller.participant {
                        format!("; rs_participant={participant_token}")
                    } else {
                        String::new()
                    };
                    builder = builder.header("cookie", format!("rs_csrf={visitor}{participant}"));
                    visitor
                }
            };
            builder = builder.header("content-type", "application/x-www-form-urlencoded");
            if method == "GET" {
                Body::empty()
            } else {
                Body::from(format!("csrf={csrf}"))
            }
        };
        // A live stream never ends: look at its status only.
        let status = if path.ends_with("/live") || path.ends_with("/stream") {
            use tower::ServiceExt;
            t.router
                .clone()
                .oneshot(builder.body(body).unwrap())
                .await
                .unwrap()
                .status()
        } else {
            t.send(builder.body(body).unwrap()).await.status
        };
        if status.as_u16() != expected[column] {
            failures.push(format!(
                "{method} {path} as column {column}: expected {}, got {}",
                expected[column], status
            ));
        }
    }
}

roadshow_testkit::on_both_databases!(every_route_answers_each_role_as_the_table_says);
