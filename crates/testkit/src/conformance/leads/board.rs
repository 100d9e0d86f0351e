//! The board's revision: what open boards compare to know they are out of date.

use super::super::{Fixture, at};
use super::{date, officer};
use crate::Db;
use roadshow_domain::leads::*;

/// Every change a board shows raises the board's revision, as any process reads it; a
/// write elsewhere does not.
pub async fn the_board_revision_rises_with_every_change_a_board_shows(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let anna = officer(&f, agency.id, "anna@agency.example").await;
    let erika = f.register(&event, "erika@muster.example", "Erika").await;
    let other = f.second().await;
    let mut last = other.lead_board_revision().await.unwrap();
    let mut rose = |now: i64, what: &str| {
        assert!(now > last, "{what}: the revision stayed at {last}");
        last = now;
    };
    let (lead, _) = f
        .store
        .ensure_lead(
            erika.company.id,
            LeadSource::Survey,
            None,
            None,
            at(2026, 12, 2, 8),
        )
        .await
        .unwrap();
    rose(other.lead_board_revision().await.unwrap(), "a new lead");
    f.store
        .move_lead(
            lead.id,
            Stage::Engaged,
            None,
            anna,
            at(2026, 12, 3, 8),
            Some(lead.version),
        )
        .await
        .unwrap();
    rose(other.lead_board_revision().await.unwrap(), "a stage move");
    f.store
        .take_lead(lead.id, anna, at(2026, 12, 3, 9))
        .await
        .unwrap();
    rose(other.lead_board_revision().await.unwrap(), "a lead taken");
    f.store
        .set_lead_scores(&[(erika.company.id, 77)])
        .await
        .unwrap();
    rose(other.lead_board_revision().await.unwrap(), "a new score");
    let task = f
        .store
        .add_task(
            lead.id,
            &TaskDraft {
                title: "Anrufen".into(),
                due_on: date(2026, 12, 6),
                assignee_id: Some(anna),
            },
            anna,
            at(2026, 12, 5, 9),
        )
        .await
        .unwrap();
    rose(other.lead_board_revision().await.unwrap(), "a task");
    f.store
        .set_task_done(task.id, true, anna, at(2026, 12, 6, 9))
        .await
        .unwrap();
    rose(other.lead_board_revision().await.unwrap(), "a task done");
    // Another agency being made changes nothing a board shows.
    f.agency("b").await;
    assert_eq!(other.lead_board_revision().await.unwrap(), last);
}
