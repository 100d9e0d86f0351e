//! Registrations with their participant and company, filters, counts and tokens.

use super::Fixture;
use crate::Db;
use roadshow_domain::Lang;
use roadshow_domain::ids::RegistrationId;
use roadshow_domain::outbox::{EmailStatus, OutboxStore};
use roadshow_domain::registrations::{RegistrationFilter, RegistrationStore};
use roadshow_domain::store::StoreError;

pub async fn registrations_round_trip_with_their_email(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let mut draft = Fixture::registration_draft(
        "erika@muster.example.de",
        "Erika Müller",
        "Müller Maschinenbau GmbH",
    );
    draft
        .answers
        .insert("interest".into(), "Parks & Politik – 园区".into());
    let made = f
        .store
        .create_registration(
            &event,
            &draft,
            "token-hash",
            &Fixture::email("erika@muster.example.de"),
            EmailStatus::Held,
            true,
        )
        .await
        .unwrap();
    assert_eq!(made.name, "Erika Müller");
    assert_eq!(made.company.name, "Müller Maschinenbau GmbH");
    assert!(made.company.is_sample);
    assert_eq!(made.language, Lang::De);
    assert_eq!(made.answers, draft.answers);
    let read = f.store.registration(made.id).await.unwrap().unwrap();
    assert_eq!(read, made);
    // Several at once: those that exist, unknown ids skipped.
    assert_eq!(
        f.store
            .registrations_by_id(&[RegistrationId(made.id.0 + 1_000_000), made.id])
            .await
            .unwrap(),
        vec![made.clone()]
    );
    assert!(f.store.registrations_by_id(&[]).await.unwrap().is_empty());
    assert_eq!(
        f.store.registration_by_token("token-hash").await.unwrap(),
        Some(made.clone())
    );
    // The confirmation went into the outbox in the same transaction.
    let outbox = f.store.outbox(agency.id, None, 10).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].message.to, "erika@muster.example.de");
    let twice = f
        .store
        .create_registration(
            &event,
            &draft,
            "token-2",
            &Fixture::email("x@y.de"),
            EmailStatus::Held,
            false,
        )
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict("already_registered"))),
        "{twice:?}"
    );
    // Nothing of the refused attempt was kept.
    assert_eq!(f.store.outbox(agency.id, None, 10).await.unwrap().len(), 1);
    // The same person and company registering for another event are found again.
    let other = f.event(&agency, "e2").await;
    let again = f
        .store
        .create_registration(
            &other,
            &draft,
            "token-3",
            &Fixture::email("x@y.de"),
            EmailStatus::Held,
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        (again.participant_id, again.company.id),
        (made.participant_id, made.company.id)
    );
}

pub async fn searching_ignores_case_in_every_script(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    f.register(&event, "a@x.de", "JÜRGEN MÜLLER").await;
    f.register(&event, "b@x.de", "Élodie Dupont").await;
    f.register(&event, "c@x.de", "王小明").await;
    let search = |q: &str| RegistrationFilter {
        search: Some(q.into()),
        ..Default::default()
    };
    let names = |list: Vec<roadshow_domain::registrations::Registration>| {
        list.into_iter().map(|r| r.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(
            f.store
                .registrations(event.id, &search("müller"))
                .await
                .unwrap()
        ),
        ["JÜRGEN MÜLLER"]
    );
    assert_eq!(
        names(
            f.store
                .registrations(event.id, &search("ÉLODIE"))
                .await
                .unwrap()
        ),
        ["Élodie Dupont"]
    );
    assert_eq!(
        names(
            f.store
                .registrations(event.id, &search("小明"))
                .await
                .unwrap()
        ),
        ["王小明"]
    );
    // A search is text, not a pattern.
    assert!(
        f.store
            .registrations(event.id, &search("%"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        f.store
            .registrations(event.id, &search("X.DE"))
            .await
            .unwrap()
            .len(),
        3
    );
    let counts = f.store.registration_counts(event.id).await.unwrap();
    assert_eq!(counts.total, 3);
    assert_eq!(counts.by_country, vec![("DE".to_string(), 3)]);
    let filtered = RegistrationFilter {
        country: Some("AT".into()),
        ..Default::default()
    };
    assert!(
        f.store
            .registrations(event.id, &filtered)
            .await
            .unwrap()
            .is_empty()
    );
    // A page: at most `limit`, after the cursor, searched or not.
    let all = f
        .store
        .registrations(event.id, &RegistrationFilter::default())
        .await
        .unwrap();
    let page = |after: Option<usize>, limit: usize, q: Option<&str>| RegistrationFilter {
        after: after.map(|i| all[i].id),
        limit: Some(limit),
        search: q.map(str::to_string),
        ..Default::default()
    };
    let paged = f
        .store
        .registrations(event.id, &page(Some(0), 1, None))
        .await
        .unwrap();
    assert_eq!(names(paged), ["Élodie Dupont"]);
    let searched = f
        .store
        .registrations(event.id, &page(Some(0), 5, Some("x.de")))
        .await
        .unwrap();
    assert_eq!(names(searched), ["Élodie Dupont", "王小明"]);
    let theirs = RegistrationFilter {
        participant: Some(all[2].participant_id),
        ..Default::default()
    };
    let one = f.store.registrations(event.id, &theirs).await.unwrap();
    assert_eq!(names(one), ["王小明"], "one participant's, not the event's");
}

pub async fn a_group_of_registrations_commits_together_and_fails_alone(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let drafts: Vec<_> = ["a@x.de", "b@x.de", "a@x.de", "c@x.de"]
        .iter()
        .enumerate()
        .map(|(i, email)| Fixture::registration_draft(email, &format!("Person {i}"), "Gruppe GmbH"))
        .collect();
    let emails: Vec<_> = drafts
        .iter()
        .map(|d| Fixture::email(d.email.as_str()))
        .collect();
    let hashes: Vec<String> = (0..drafts.len()).map(|i| format!("hash-{i}")).collect();
    let batch: Vec<_> = drafts
        .iter()
        .zip(&emails)
        .zip(&hashes)
        .map(
            |((draft, email), hash)| roadshow_domain::registrations::NewRegistration {
                event: &event,
                draft,
                token_hash: hash,
                confirmation: email,
                email_status: EmailStatus::Held,
                is_sample: false,
            },
        )
        .collect();
    let results = f.store.create_registrations(&batch).await.unwrap();
    assert_eq!(results.len(), 4);
    assert!(results[0].is_ok() && results[1].is_ok() && results[3].is_ok());
    assert!(
        matches!(results[2], Err(StoreError::Conflict("already_registered"))),
        "{:?}",
        results[2]
    );
    // The refused one left nothing: no registration, token or email of its own.
    let all = f
        .store
        .registrations(event.id, &RegistrationFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert!(
        f.store
            .registration_by_token("hash-2")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(f.store.outbox(agency.id, None, 10).await.unwrap().len(), 3);
    // The others are readable from another connection: they were committed.
    let other = f.second().await;
    assert!(
        other
            .registration_by_token("hash-3")
            .await
            .unwrap()
            .is_some()
    );
}
