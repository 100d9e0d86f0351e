//! A lead's recorded changes: who changed which field of it, when, from what to what,
//! and the field-by-field difference of two versions of its project.

use super::{Project, ProjectDraft};
use crate::ids::*;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One recorded change to a lead: who, when, which field, from what to what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadChange {
    pub id: i64,
    pub lead_id: LeadId,
    pub actor_id: Option<AccountId>,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
    /// `created`, `stage`, `owner`, a project field, `task_added`, `task_done`, `merged`…
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A change to record, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeDraft {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The changes from `before` to `after`, field by field, as text.
pub fn project_changes(
    before: &Project,
    before_owner: Option<AccountId>,
    after: &ProjectDraft,
) -> Vec<ChangeDraft> {
    let mut out = Vec::new();
    let mut diff = |field: &str, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(ChangeDraft {
                field: field.into(),
                before: a,
                after: b,
            });
        }
    };
    let p = &after.project;
    diff(
        "owner",
        before_owner.map(|o| o.0.to_string()),
        after.owner_id.map(|o| o.0.to_string()),
    );
    diff("sector", before.sector.clone(), p.sector.clone());
    diff(
        "activity",
        before.activity.map(|a| a.code().into()),
        p.activity.map(|a| a.code().into()),
    );
    diff(
        "capex_cny",
        before.capex_cny.map(|c| c.to_string()),
        p.capex_cny.map(|c| c.to_string()),
    );
    diff(
        "jobs",
        before.jobs.map(|c| c.to_string()),
        p.jobs.map(|c| c.to_string()),
    );
    diff(
        "target_district",
        before.target_district.clone(),
        p.target_district.clone(),
    );
    diff(
        "target_park_id",
        before.target_park_id.map(|c| c.0.to_string()),
        p.target_park_id.map(|c| c.0.to_string()),
    );
    diff("next_step", before.next_step.clone(), p.next_step.clone());
    diff(
        "next_step_due",
        before.next_step_due.map(|d| d.to_string()),
        p.next_step_due.map(|d| d.to_string()),
    );
    diff(
        "signed_on",
        before.signed_on.map(|d| d.to_string()),
        p.signed_on.map(|d| d.to_string()),
    );
    diff(
        "started_on",
        before.started_on.map(|d| d.to_string()),
        p.started_on.map(|d| d.to_string()),
    );
    diff(
        "realised_capex_cny",
        before.realised_capex_cny.map(|c| c.to_string()),
        p.realised_capex_cny.map(|c| c.to_string()),
    );
    diff(
        "realised_jobs",
        before.realised_jobs.map(|c| c.to_string()),
        p.realised_jobs.map(|c| c.to_string()),
    );
    let notes = |n: &str| (!n.is_empty()).then(|| n.to_string());
    diff("notes", notes(&before.notes), notes(&p.notes));
    out
}

/// Changes recorded on a lead that do not change its version (tasks, merges, creation).
const NOT_VERSIONED: &[&str] = &[
    "created",
    "task_added",
    "task_done",
    "task_reopened",
    "merged",
    "kept",
];

/// The fields changed by the last `saves` saves of a lead, newest first, each once: what
/// someone changed since the version an officer's form started from. A save is the run
/// of changes one actor recorded at one time; `changes` are in the order recorded.
pub fn changed_in_last_saves(changes: &[LeadChange], saves: i64) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    let mut seen = 0;
    let mut current: Option<(Option<AccountId>, DateTime<Utc>)> = None;
    for c in changes.iter().rev() {
        if NOT_VERSIONED.contains(&c.field.as_str()) {
            continue;
        }
        if current != Some((c.actor_id, c.at)) {
            if seen == saves {
                break;
            }
            seen += 1;
            current = Some((c.actor_id, c.at));
        }
        if !fields.contains(&c.field) {
            fields.push(c.field.clone());
        }
    }
    fields
}

#[cfg(test)]
mod saves_tests {
    use super::*;
    use crate::ids::LeadId;
    use chrono::TimeZone;

    fn c(actor: i64, minute: u32, field: &str) -> LeadChange {
        LeadChange {
            id: 0,
            lead_id: LeadId(1),
            actor_id: Some(AccountId(actor)),
            actor_name: None,
            at: Utc
                .with_ymd_and_hms(2026, 12, 6, 9, minute, 0)
                .single()
                .unwrap_or_default(),
            field: field.into(),
            before: None,
            after: None,
        }
    }

    #[test]
    fn the_last_saves_name_their_fields_and_tasks_do_not_count() {
        let log = [
            c(1, 0, "created"),
            c(1, 1, "sector"),
            c(2, 2, "capex_cny"),
            c(2, 2, "jobs"),
            c(2, 3, "task_added"),
            c(3, 4, "stage"),
        ];
        assert_eq!(changed_in_last_saves(&log, 1), ["stage"]);
        assert_eq!(
            changed_in_last_saves(&log, 2),
            ["stage", "jobs", "capex_cny"]
        );
        assert_eq!(
            changed_in_last_saves(&log, 9),
            ["stage", "jobs", "capex_cny", "sector"]
        );
        assert!(changed_in_last_saves(&log, 0).is_empty());
    }
}
