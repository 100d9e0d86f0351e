//! Departments.

use super::{Fixture, four};
use crate::Db;
use roadshow_domain::departments::{DepartmentDraft, DepartmentStore};
use roadshow_domain::ids::DepartmentId;
use roadshow_domain::store::StoreError;

fn draft(slug: &str) -> DepartmentDraft {
    DepartmentDraft {
        slug: slug.into(),
        kind: "district".into(),
        name: four("Bezirk Shunyi"),
        description: four("Sino-German Park"),
        website: Some("https://shunyi.example.cn/de".into()),
    }
}

pub async fn departments_round_trip_per_agency(db: Db) {
    let f = Fixture::new(db).await;
    let a = f.agency("a").await;
    let b = f.agency("b").await;
    let made = f
        .store
        .create_department(a.id, &draft("shunyi"))
        .await
        .unwrap();
    assert_eq!(made.name, four("Bezirk Shunyi"));
    assert_eq!(
        made.website.as_deref(),
        Some("https://shunyi.example.cn/de")
    );
    assert_eq!(
        f.store.department(made.id).await.unwrap(),
        Some(made.clone())
    );
    // The same slug in another agency is fine; twice in one is not.
    f.store
        .create_department(b.id, &draft("shunyi"))
        .await
        .unwrap();
    let twice = f.store.create_department(a.id, &draft("shunyi")).await;
    assert!(
        matches!(twice, Err(StoreError::Conflict("slug_taken"))),
        "{twice:?}"
    );
    let mut changed = draft("shunyi-district");
    changed.name = four("Shunyi 顺义区");
    changed.website = None;
    let updated = f.store.update_department(made.id, &changed).await.unwrap();
    assert_eq!(updated.slug, "shunyi-district");
    assert_eq!(updated.website, None);
    assert_eq!(f.store.departments(a.id).await.unwrap(), vec![updated]);
    assert!(matches!(
        f.store
            .update_department(DepartmentId(987_654), &changed)
            .await,
        Err(StoreError::NotFound)
    ));
}
