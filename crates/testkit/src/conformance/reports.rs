//! What the report reads of its own: presence per participant, and the leads of an
//! event's companies.

use super::{Fixture, at};
use crate::Db;
use roadshow_domain::ids::ParticipantId;
use roadshow_domain::leads::{LeadSource, LeadStore};
use roadshow_domain::reports::ReportStore;
use roadshow_domain::signals::{SignalKind, SignalStore};

pub async fn presence_and_an_events_leads(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let other = f.event(&agency, "andere").await;
    let erika = f.register(&event, "erika@muster.example", "Erika").await;
    let max = f.register(&event, "max@other.example", "Max").await;
    let elsewhere = f.register(&other, "eva@elsewhere.example", "Eva").await;

    // Presence adds up per participant, for this event only; someone never present is
    // not listed.
    for (who, ev, seconds) in [
        (erika.participant_id, event.id, 600),
        (erika.participant_id, event.id, 120),
        (elsewhere.participant_id, other.id, 900),
    ] {
        f.store
            .add_seconds(SignalKind::Attended, who, ev, seconds, at(2026, 12, 2, 9))
            .await
            .unwrap();
    }
    let presence = f.store.presence_seconds(event.id).await.unwrap();
    assert_eq!(
        presence.into_iter().collect::<Vec<_>>(),
        vec![(erika.participant_id, 720)]
    );
    assert!(
        !f.store
            .presence_seconds(event.id)
            .await
            .unwrap()
            .contains_key(&ParticipantId(max.participant_id.0))
    );

    // Leads: those of the companies registered for the event, not of another event's.
    assert!(f.store.event_leads(event.id).await.unwrap().is_empty());
    let (lead, _) = f
        .store
        .ensure_lead(
            erika.company.id,
            LeadSource::Survey,
            None,
            None,
            at(2026, 12, 2, 10),
        )
        .await
        .unwrap();
    f.store
        .ensure_lead(
            elsewhere.company.id,
            LeadSource::Manual,
            None,
            None,
            at(2026, 12, 2, 10),
        )
        .await
        .unwrap();
    let leads = f.store.event_leads(event.id).await.unwrap();
    assert_eq!(
        leads.iter().map(|l| l.id).collect::<Vec<_>>(),
        vec![lead.id]
    );
}
