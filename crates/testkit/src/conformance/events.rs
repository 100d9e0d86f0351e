//! Events, sessions with their links, and speakers.

use super::{Fixture, at, four};
use crate::Db;
use roadshow_domain::directory::{DirectoryStore, ParkDraft, PolicyDraft, StoryDraft};
use roadshow_domain::events::{
    EventStatus, EventStore, FieldKind, FieldOption, FormField, SessionDraft, SessionKind,
    SpeakerDraft,
};
use roadshow_domain::ids::*;
use roadshow_domain::materials::{MaterialDraft, MaterialStore};
use roadshow_domain::store::StoreError;
use roadshow_domain::{Lang, Localized};

pub async fn events_round_trip_with_every_field(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let mut draft = Fixture::event_draft("zwei-zonen");
    draft.form_fields = vec![FormField {
        key: "interest".into(),
        label: four("Interesse"),
        required: true,
        kind: FieldKind::Choice,
        options: vec![FieldOption {
            key: "parks".into(),
            label: four("Parks"),
        }],
    }];
    let made = f.store.create_event(agency.id, &draft).await.unwrap();
    assert_eq!(made.title, draft.title);
    assert_eq!(made.description, draft.description);
    assert_eq!(made.focus_industries, draft.focus_industries);
    assert_eq!(made.target_countries, draft.target_countries);
    assert_eq!(made.languages, vec![Lang::De, Lang::Zh]);
    assert_eq!(
        (made.starts_at, made.ends_at),
        (draft.starts_at, draft.ends_at)
    );
    assert_eq!(made.broadcast, draft.broadcast);
    assert_eq!((made.replay_public, made.attended_minutes), (true, 15));
    assert_eq!(made.form_fields, draft.form_fields);
    assert_eq!(made.status, EventStatus::Published);
    assert_eq!(f.store.event(made.id).await.unwrap(), Some(made.clone()));
    assert_eq!(
        f.store.event_by_slug("zwei-zonen").await.unwrap(),
        Some(made.clone())
    );
    let twice = f.store.create_event(agency.id, &draft).await;
    assert!(
        matches!(twice, Err(StoreError::Conflict("slug_taken"))),
        "{twice:?}"
    );
    draft.status = EventStatus::Draft;
    draft.slug = "entwurf".into();
    draft.starts_at = at(2026, 11, 1, 7);
    draft.ends_at = at(2026, 11, 1, 8);
    let hidden = f.store.create_event(agency.id, &draft).await.unwrap();
    // Soonest first; drafts only when asked for.
    let all: Vec<_> = f.store.events(Some(agency.id), false).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![hidden.id, made.id]
    );
    let public: Vec<_> = f.store.events(None, true).await.unwrap();
    assert_eq!(
        public.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![made.id]
    );
    draft.title = Localized::one(Lang::Fr, "Deux zones");
    let updated = f.store.update_event(hidden.id, &draft).await.unwrap();
    assert_eq!(updated.title.get(Lang::De), "Deux zones");
    assert!(matches!(
        f.store.update_event(EventId(424_242), &draft).await,
        Err(StoreError::NotFound)
    ));
}

fn session(parks: Vec<ParkId>, policies: Vec<PolicyId>, stories: Vec<StoryId>) -> SessionDraft {
    SessionDraft {
        starts_at: at(2026, 12, 1, 7),
        ends_at: at(2026, 12, 1, 8),
        kind: SessionKind::Presentation,
        title: four("Shunyi stellt vor"),
        summary: four("Zusammenfassung"),
        department_id: None,
        presenter: four("Steinbeis"),
        park_ids: parks,
        policy_ids: policies,
        story_ids: stories,
        broadcast: Fixture::broadcast(),
    }
}

pub async fn sessions_keep_their_links_speakers_and_materials(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let park = |slug: &str| ParkDraft {
        slug: slug.into(),
        name: four(slug),
        district: four("Shunyi"),
        summary: Localized::default(),
        focus_industries: vec![],
        area_km2: None,
        website: None,
        contact: None,
        is_sample: false,
        policy_ids: vec![],
        ..Default::default()
    };
    let p1 = f.store.create_park(agency.id, &park("p1")).await.unwrap();
    let p2 = f.store.create_park(agency.id, &park("p2")).await.unwrap();
    let policy = f
        .store
        .create_policy(
            agency.id,
            &PolicyDraft {
                slug: "tax".into(),
                title: four("Steuer"),
                issuing_body: Localized::default(),
                region: Localized::default(),
                sectors: vec![],
                benefit_types: vec!["tax".into()],
                summary: Localized::default(),
                valid_from: None,
                valid_until: None,
                source_url: None,
                is_sample: false,
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    let story = f
        .store
        .create_story(
            agency.id,
            &StoryDraft {
                slug: "s".into(),
                company_name: "Steinbeis".into(),
                country: "DE".into(),
                title: four("Erfolg"),
                body: Localized::default(),
                is_sample: false,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Links keep the order they were given in.
    let made = f
        .store
        .create_session(
            event.id,
            &session(vec![p2.id, p1.id], vec![policy.id], vec![story.id]),
        )
        .await
        .unwrap();
    assert_eq!(made.park_ids, vec![p2.id, p1.id]);
    assert_eq!(made.policy_ids, vec![policy.id]);
    assert_eq!(made.story_ids, vec![story.id]);
    assert_eq!(made.title, four("Shunyi stellt vor"));
    let speaker = f
        .store
        .add_speaker(
            made.id,
            &SpeakerDraft {
                name: "Zhang Wěi".into(),
                role: four("Direktor"),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        f.store.speaker(speaker.id).await.unwrap(),
        Some(speaker.clone())
    );
    let file = f
        .store
        .add_material(
            &MaterialDraft {
                session_id: made.id,
                title: "Plan 规划".into(),
                url: None,
                file_key: Some("k.pdf".into()),
                filename: Some("plan.pdf".into()),
                content_type: Some("application/pdf".into()),
                size_bytes: 4,
            },
            Some(b"%PDF"),
        )
        .await
        .unwrap();
    let read = f.store.session(made.id).await.unwrap().unwrap();
    assert_eq!(read.speakers, vec![speaker.clone()]);
    assert_eq!(read.materials, vec![file.clone()]);
    let updated = f
        .store
        .update_session(made.id, &session(vec![p1.id], vec![], vec![]))
        .await
        .unwrap();
    assert_eq!(
        (updated.park_ids, updated.policy_ids, updated.story_ids),
        (vec![p1.id], vec![], vec![])
    );
    assert_eq!(f.store.sessions(event.id).await.unwrap().len(), 1);
    f.store.delete_speaker(speaker.id).await.unwrap();
    assert!(matches!(
        f.store.delete_speaker(speaker.id).await,
        Err(StoreError::NotFound)
    ));
    let keys = f.store.delete_session(made.id).await.unwrap();
    assert_eq!(keys, vec!["k.pdf".to_string()]);
    assert!(f.store.session(made.id).await.unwrap().is_none());
    assert!(f.store.material(file.id).await.unwrap().is_none());
    // Adding to a session that is gone is "not found", not a failure of the database.
    let late = f
        .store
        .add_speaker(
            made.id,
            &SpeakerDraft {
                name: "Late".into(),
                role: Localized::default(),
            },
        )
        .await;
    assert!(matches!(late, Err(StoreError::NotFound)), "{late:?}");
}
