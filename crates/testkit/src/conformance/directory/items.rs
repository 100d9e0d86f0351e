//! Parks (with their area as a float and their policies as links), policies, stories.

use super::super::{Fixture, four};
use crate::Db;
use roadshow_domain::Localized;
use roadshow_domain::directory::*;
use roadshow_domain::ids::ParkId;
use roadshow_domain::store::StoreError;

fn policy(slug: &str) -> PolicyDraft {
    PolicyDraft {
        slug: slug.into(),
        title: four("Körperschaftsteuer"),
        issuing_body: four("Finanzamt"),
        region: four("Shunyi"),
        sectors: vec!["automotive".into(), "new-energy".into()],
        benefit_types: vec!["tax".into(), "subsidy".into()],
        summary: four("15 % statt 25 %"),
        valid_from: Some("2025-01-01".into()),
        valid_until: Some("2027-12-31".into()),
        source_url: Some("https://gov.example.cn/policy?id=1".into()),
        is_sample: true,
        ..Default::default()
    }
}

fn park(slug: &str, area: Option<f64>, policies: Vec<roadshow_domain::ids::PolicyId>) -> ParkDraft {
    ParkDraft {
        slug: slug.into(),
        name: four("Sino-German Park"),
        district: four("Shunyi"),
        summary: four("Park"),
        focus_industries: vec!["smart-manufacturing".into()],
        area_km2: area,
        website: Some("https://park.example.cn".into()),
        contact: Some("+86 10 1234 5678 · 张女士".into()),
        is_sample: false,
        policy_ids: policies,
        ..Default::default()
    }
}

pub async fn policies_and_stories_round_trip(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let made = f
        .store
        .create_policy(agency.id, &policy("cit"), None)
        .await
        .unwrap();
    let d = policy("cit");
    assert_eq!(
        (
            &made.title,
            &made.sectors,
            &made.benefit_types,
            &made.valid_until,
            &made.source_url,
            made.is_sample
        ),
        (
            &d.title,
            &d.sectors,
            &d.benefit_types,
            &d.valid_until,
            &d.source_url,
            true
        )
    );
    assert_eq!(f.store.policy(made.id).await.unwrap(), Some(made.clone()));
    let twice = f.store.create_policy(agency.id, &policy("cit"), None).await;
    assert!(
        matches!(twice, Err(StoreError::Conflict("slug_taken"))),
        "{twice:?}"
    );
    let mut changed = policy("cit-2026");
    changed.valid_until = None;
    let updated = f
        .store
        .update_policy(made.id, &changed, None)
        .await
        .unwrap();
    assert_eq!(
        (updated.slug.as_str(), updated.valid_until.clone()),
        ("cit-2026", None)
    );
    assert_eq!(f.store.policies(agency.id).await.unwrap(), vec![updated]);

    let story = StoryDraft {
        slug: "steinbeis".into(),
        company_name: "Steinbeis-Stiftung für Wirtschaftsförderung".into(),
        country: "DE".into(),
        title: four("Zehn Jahre in Peking"),
        body: four("**Erfahrung**"),
        is_sample: false,
        ..Default::default()
    };
    let s = f.store.create_story(agency.id, &story).await.unwrap();
    assert_eq!(
        (&s.company_name, &s.title, &s.body),
        (&story.company_name, &story.title, &story.body)
    );
    assert_eq!(f.store.story(s.id).await.unwrap(), Some(s.clone()));
    let mut story2 = story.clone();
    story2.title = Localized::default();
    let s2 = f.store.update_story(s.id, &story2).await.unwrap();
    assert!(s2.title.is_empty());
    assert_eq!(f.store.stories(agency.id).await.unwrap(), vec![s2]);
}

pub async fn parks_keep_their_area_exactly_and_their_policies_in_order(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let p1 = f
        .store
        .create_policy(agency.id, &policy("p1"), None)
        .await
        .unwrap();
    let p2 = f
        .store
        .create_policy(agency.id, &policy("p2"), None)
        .await
        .unwrap();
    for area in [Some(0.1), Some(12.345_678_9), Some(16_410.54), None] {
        let slug = format!(
            "park-{}",
            area.map(|a| a.to_string().replace('.', "-"))
                .unwrap_or_default()
        );
        let made = f
            .store
            .create_park(agency.id, &park(&slug, area, vec![p2.id, p1.id]))
            .await
            .unwrap();
        assert_eq!(made.area_km2, area, "area {area:?} stored as it was given");
        assert_eq!(made.policy_ids, vec![p2.id, p1.id]);
        assert_eq!(made.contact.as_deref(), Some("+86 10 1234 5678 · 张女士"));
        assert_eq!(f.store.park(made.id).await.unwrap(), Some(made));
    }
    let first = f.store.parks(agency.id).await.unwrap()[0].clone();
    let updated = f
        .store
        .update_park(first.id, &park(&first.slug, Some(2.5), vec![p1.id]))
        .await
        .unwrap();
    assert_eq!(
        (updated.area_km2, updated.policy_ids),
        (Some(2.5), vec![p1.id])
    );
    let twice = f
        .store
        .create_park(agency.id, &park(&first.slug, None, vec![]))
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict("slug_taken"))),
        "{twice:?}"
    );
    assert!(matches!(
        f.store
            .update_park(ParkId(55_555), &park("x", None, vec![]))
            .await,
        Err(StoreError::NotFound)
    ));
}

/// The organisers' lists come a page at a time in id order: one agency's items only,
/// links included, the page after an id starting after it.
pub async fn the_directory_comes_in_pages_per_agency(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let other = f.agency("b").await;
    let mut policies = Vec::new();
    for i in 0..3 {
        f.store
            .create_policy(other.id, &policy(&format!("other-{i}")), None)
            .await
            .unwrap();
        policies.push(
            f.store
                .create_policy(agency.id, &policy(&format!("p{i}")), None)
                .await
                .unwrap(),
        );
    }
    let mut parks = Vec::new();
    for i in 0..3 {
        f.store
            .create_park(other.id, &park(&format!("other-{i}"), None, vec![]))
            .await
            .unwrap();
        parks.push(
            f.store
                .create_park(
                    agency.id,
                    &park(&format!("park-{i}"), None, vec![policies[2 - i].id]),
                )
                .await
                .unwrap(),
        );
    }
    let first = f.store.parks_page(agency.id, None, 2).await.unwrap();
    assert_eq!(first, parks[..2].to_vec(), "with their linked policies");
    let rest = f
        .store
        .parks_page(agency.id, Some(first[1].id), 2)
        .await
        .unwrap();
    assert_eq!(rest, parks[2..].to_vec());
    let page = f
        .store
        .policies_page(agency.id, Some(policies[0].id), 5)
        .await
        .unwrap();
    let ids: Vec<_> = page.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![policies[1].id, policies[2].id]);
    assert_eq!(page[1].park_ids, vec![parks[0].id], "a policy's parks");
    assert!(
        f.store
            .stories_page(agency.id, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}
