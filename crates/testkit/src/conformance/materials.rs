//! Material records.

use super::Fixture;
use crate::Db;
use roadshow_domain::events::EventStore;
use roadshow_domain::ids::MaterialId;
use roadshow_domain::materials::{LinkInput, MaterialStore};
use roadshow_domain::store::StoreError;

pub async fn links_and_files_round_trip(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let session = f
        .store
        .create_session(
            event.id,
            &roadshow_domain::events::SessionDraft {
                broadcast: Default::default(),
                starts_at: event.starts_at,
                ends_at: event.ends_at,
                kind: roadshow_domain::events::SessionKind::Exchange,
                title: super::four("Austausch"),
                summary: Default::default(),
                department_id: None,
                presenter: Default::default(),
                park_ids: vec![],
                policy_ids: vec![],
                story_ids: vec![],
            },
        )
        .await
        .unwrap();
    let link = LinkInput {
        title: "Folien – 幻灯片".into(),
        url: "https://slides.example/ä?x=1".into(),
    }
    .parse(session.id)
    .unwrap();
    let made = f.store.add_material(&link, None).await.unwrap();
    assert_eq!(made.title, "Folien – 幻灯片");
    assert_eq!(made.url.as_deref(), Some("https://slides.example/ä?x=1"));
    assert_eq!(made.file_key, None);
    assert_eq!(f.store.material_bytes(made.id).await.unwrap(), None);
    assert_eq!(f.store.material(made.id).await.unwrap(), Some(made.clone()));
    f.store.delete_material(made.id).await.unwrap();
    assert!(f.store.material(made.id).await.unwrap().is_none());
    assert!(matches!(
        f.store.delete_material(MaterialId(made.id.0)).await,
        Err(StoreError::NotFound)
    ));
    // A file's bytes are kept with it, read back exactly, and go with it.
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let file = roadshow_domain::materials::FileInput {
        title: "Broschüre".into(),
        filename: "broschuere.html".into(),
    }
    .parse(
        session.id,
        &[b"%PDF-1.7\n".as_slice(), &bytes].concat(),
        "key",
    )
    .unwrap();
    assert_eq!(file.filename.as_deref(), Some("broschuere.pdf"));
    let stored = f
        .store
        .add_material(&file, Some(&[b"%PDF-1.7\n".as_slice(), &bytes].concat()))
        .await
        .unwrap();
    let other = f.second().await;
    let read = other.material_bytes(stored.id).await.unwrap().unwrap();
    assert_eq!(read.len(), 70_009);
    assert_eq!(&read[9..], bytes.as_slice());
    f.store.delete_session(session.id).await.unwrap();
    assert_eq!(f.store.material_bytes(stored.id).await.unwrap(), None);
}
