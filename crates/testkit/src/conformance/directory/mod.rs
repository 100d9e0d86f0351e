//! The directory's store: its items (`items`), policy versions, archive and delete with their links cleaned
//! up, numbered changes seen by every process, imports all or nothing, the glossary.

mod items;
pub use items::{
    parks_keep_their_area_exactly_and_their_policies_in_order, policies_and_stories_round_trip,
    the_directory_comes_in_pages_per_agency,
};

use super::{Fixture, four};
use crate::Db;
use roadshow_domain::Lang;
use roadshow_domain::accounts::AccountStore;
use roadshow_domain::directory::file::{ImportPlan, plan, read_json};
use roadshow_domain::directory::search::Kind;
use roadshow_domain::directory::*;
use roadshow_domain::store::StoreError;
use serde_json::json;

fn policy(slug: &str) -> PolicyDraft {
    PolicyDraft {
        slug: slug.into(),
        title: four("Mietzuschuss"),
        summary: four("Bis zu 50 %"),
        body: four("## Umfang\n\n**Fläche**"),
        sectors: vec!["automotive".into()],
        benefit_types: vec!["subsidy".into()],
        valid_until: Some("2027-12-31".into()),
        ..Default::default()
    }
}

pub async fn versions_archive_and_delete_keep_links_clean(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let other = f.agency("b").await;
    let park = f
        .store
        .create_park(
            agency.id,
            &ParkDraft {
                slug: "park".into(),
                name: four("Park"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let author = f
        .store
        .create_account(
            agency.id,
            "o@a.example",
            "O",
            roadshow_domain::accounts::Role::Organiser,
            None,
            "hash",
        )
        .await
        .unwrap();
    let mut d = policy("rent");
    d.park_ids = Some(vec![park.id]);
    let old = f
        .store
        .create_policy(agency.id, &d, Some(author.id))
        .await
        .unwrap();
    assert_eq!((old.version, old.park_ids.clone()), (1, vec![park.id]));
    let mut next = policy("rent-2026");
    next.valid_from = Some("2028-01-01".into());
    let new = f.store.create_policy(agency.id, &next, None).await.unwrap();

    // A change is a new version; the earlier one stays readable, with its author.
    let mut changed = d.clone();
    changed.title = four("Mietzuschuss alt");
    changed.successor_id = Some(new.id);
    changed.park_ids = None;
    let v2 = f.store.update_policy(old.id, &changed, None).await.unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(
        v2.park_ids,
        vec![park.id],
        "links kept when the draft names none"
    );
    let versions = f.store.policy_versions(old.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(versions[1].policy.title, four("Mietzuschuss"));
    assert_eq!(versions[1].changed_by_email.as_deref(), Some("o@a.example"));
    assert_eq!(versions[0].policy.successor_id, Some(new.id));
    assert_eq!(
        roadshow_domain::directory::versions::changed_fields(
            &versions[1].policy,
            &versions[0].policy
        ),
        vec!["title", "successor_id"]
    );

    // Archiving keeps the item; another agency cannot touch it.
    assert!(
        !f.store
            .set_archived(other.id, Kind::Policy, old.id.0, true)
            .await
            .unwrap()
    );
    assert!(
        f.store
            .set_archived(agency.id, Kind::Policy, old.id.0, true)
            .await
            .unwrap()
    );
    assert!(f.store.policy(old.id).await.unwrap().unwrap().archived);

    // Deleting the successor leaves no dangling id; deleting the park drops its links.
    let before = f.store.latest_directory_change().await.unwrap();
    assert!(
        f.store
            .delete_item(agency.id, Kind::Policy, new.id.0)
            .await
            .unwrap()
    );
    assert_eq!(
        f.store.policy(old.id).await.unwrap().unwrap().successor_id,
        None
    );
    let changes = f.store.directory_changes(before, 10).await.unwrap();
    let touched: Vec<_> = changes.iter().map(|c| (c.kind, c.item)).collect();
    assert_eq!(
        touched,
        vec![
            (Some(Kind::Policy), new.id.0),
            (Some(Kind::Policy), old.id.0)
        ]
    );
    assert!(
        f.store
            .delete_item(agency.id, Kind::Park, park.id.0)
            .await
            .unwrap()
    );
    assert!(
        f.store
            .policy(old.id)
            .await
            .unwrap()
            .unwrap()
            .park_ids
            .is_empty()
    );
    assert!(
        !f.store
            .delete_item(agency.id, Kind::Park, park.id.0)
            .await
            .unwrap()
    );

    // Every process sees the same numbered changes.
    let second = f.second().await;
    assert_eq!(
        second.latest_directory_change().await.unwrap(),
        f.store.latest_directory_change().await.unwrap()
    );
    let all = second.directory_changes(0, 100).await.unwrap();
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    let (parks, policies, _) = second.directory().await.unwrap();
    assert!(parks.is_empty());
    assert_eq!(policies.len(), 1);

    // The glossary: one word once per concept and language.
    let term = f
        .store
        .add_glossary_term(agency.id, "tax-incentive", Lang::De, "Steuerbonus")
        .await
        .unwrap();
    let twice = f
        .store
        .add_glossary_term(agency.id, "tax-incentive", Lang::De, "Steuerbonus")
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert_eq!(f.store.glossary_terms().await.unwrap(), vec![term.clone()]);
    assert!(
        !f.store
            .delete_glossary_term(other.id, term.id)
            .await
            .unwrap()
    );
    assert!(
        f.store
            .delete_glossary_term(agency.id, term.id)
            .await
            .unwrap()
    );
    let last = f.store.directory_changes(0, 1000).await.unwrap();
    assert_eq!(
        last.last().map(|c| c.kind),
        Some(None),
        "a glossary change has no kind"
    );
}

fn file(title: &str) -> ImportPlan {
    let records = read_json(&json!({"items": [
        {"external_id": "P-1", "kind": "park", "title": {"en": "Airport Park"}, "district": "Shunyi", "latitude": 40.08, "longitude": 116.58},
        {"external_id": "X-old", "kind": "policy", "title": {"de": "Alt"}, "valid_until": "2024-12-31", "successor": "X-new"},
        {"external_id": "X-new", "kind": "policy", "title": {"de": title}, "parks": ["P-1"], "criteria": [{"field": "employees", "op": "gte", "value": 50}]},
        {"external_id": "S-1", "kind": "story", "title": {"en": "Ten years"}, "company_name": "Knorr", "country": "DE", "parks": ["P-1"]}
    ]}))
    .unwrap();
    plan(&records, &Default::default()).unwrap()
}

pub async fn imports_are_all_or_nothing_and_match_by_external_id(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let first = f
        .store
        .import_directory(agency.id, &file("Neu"), None)
        .await
        .unwrap();
    assert_eq!((first.created, first.updated, first.unchanged), (4, 0, 0));
    let (parks, policies, stories) = f.store.directory().await.unwrap();
    let park = &parks[0];
    assert_eq!((park.latitude, park.longitude), (Some(40.08), Some(116.58)));
    let new = policies
        .iter()
        .find(|p| p.external_id.as_deref() == Some("X-new"))
        .unwrap();
    let old = policies
        .iter()
        .find(|p| p.external_id.as_deref() == Some("X-old"))
        .unwrap();
    assert_eq!(old.successor_id, Some(new.id));
    assert_eq!(new.park_ids, vec![park.id]);
    assert_eq!(park.policy_ids, vec![new.id]);
    assert_eq!(new.criteria.len(), 1);
    assert_eq!(stories[0].park_id, Some(park.id));

    // The same file again changes nothing; a changed title is a new version, not a copy.
    let again = f
        .store
        .import_directory(agency.id, &file("Neu"), None)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));
    let changed = f
        .store
        .import_directory(agency.id, &file("Neuer"), None)
        .await
        .unwrap();
    assert_eq!(
        (changed.created, changed.updated, changed.unchanged),
        (0, 1, 3)
    );
    let versions = f.store.policy_versions(new.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(f.store.directory().await.unwrap().1.len(), 2);

    // A file that fails in the middle leaves nothing of itself behind.
    let mut broken = file("Neu");
    broken.parks[0].external_id = Some("P-2".into());
    broken.parks[0].slug = "p-2".into();
    broken.policies[1].0.slug = "x-old".into(); // another policy's slug
    let before = f.store.directory().await.unwrap();
    let failed = f.store.import_directory(agency.id, &broken, None).await;
    assert!(failed.is_err(), "{failed:?}");
    let after = f.store.directory().await.unwrap();
    assert_eq!(
        (before.0.len(), before.1.len()),
        (after.0.len(), after.1.len())
    );
    assert!(
        after
            .0
            .iter()
            .all(|p| p.external_id.as_deref() != Some("P-2"))
    );
}
