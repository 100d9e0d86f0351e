//! Leads: one per company with every change recorded, stages, the pool, tasks with their
//! reminder claimed once, assignment rules, lists and the board, and company merges with
//! their undo.

use super::{Fixture, at};
use crate::Db;
use chrono::NaiveDate;
use roadshow_domain::accounts::{AccountStore, Role};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::signals::SignalStore;
use roadshow_domain::store::StoreError;

mod board;
pub use board::*;

async fn officer(f: &Fixture, agency: AgencyId, email: &str) -> AccountId {
    f.store
        .create_account(
            agency,
            email,
            "Officer",
            Role::InvestmentOfficer,
            None,
            "hash",
        )
        .await
        .unwrap()
        .id
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub async fn leads_record_every_change_and_hold_tasks_and_rules(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let anna = officer(&f, agency.id, "anna@agency.example").await;
    let erika = f.register(&event, "erika@muster.example", "Erika").await;
    let max = f.register(&event, "max@muster.example", "Max").await;
    let company = erika.company.id;

    let (lead, made) = f
        .store
        .ensure_lead(company, LeadSource::Survey, None, None, at(2026, 12, 2, 8))
        .await
        .unwrap();
    assert!(made);
    assert_eq!(
        (lead.stage, lead.source, lead.owner_id),
        (Stage::Prospect, LeadSource::Survey, None)
    );
    assert_eq!(lead.project.sector.as_deref(), Some("machinery"));
    let (same, made) = f
        .second()
        .await
        .ensure_lead(
            company,
            LeadSource::FollowUp,
            None,
            None,
            at(2026, 12, 2, 9),
        )
        .await
        .unwrap();
    assert_eq!((same.id, made), (lead.id, false));
    assert_eq!(
        f.store.company_lead(company).await.unwrap().unwrap().id,
        lead.id
    );

    // Details and stage, each change recorded.
    let draft = ProjectDraft {
        project: Project {
            sector: Some("automotive".into()),
            capex_cny: Some(50_000_000),
            next_step: Some("Standortbesuch".into()),
            next_step_due: Some(date(2026, 12, 10)),
            ..Default::default()
        },
        owner_id: None,
    };
    let changes = project_changes(&lead.project, lead.owner_id, &draft);
    let updated = f
        .store
        .update_lead(
            lead.id,
            &draft,
            &changes,
            Some(anna),
            at(2026, 12, 3, 8),
            None,
        )
        .await
        .unwrap();
    assert_eq!(updated.project, draft.project);
    let taken = f
        .store
        .take_lead(lead.id, anna, at(2026, 12, 3, 9))
        .await
        .unwrap();
    assert_eq!(
        (taken.owner_id, taken.owner_name.as_deref()),
        (Some(anna), Some("Officer"))
    );
    assert!(matches!(
        f.store.take_lead(lead.id, anna, at(2026, 12, 3, 9)).await,
        Err(StoreError::Conflict("taken"))
    ));
    let moved = f
        .store
        .move_lead(
            lead.id,
            Stage::Lost,
            Some("Chose Shanghai"),
            anna,
            at(2026, 12, 4, 8),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (moved.stage, moved.lost_reason.as_deref()),
        (Stage::Lost, Some("Chose Shanghai"))
    );
    f.store
        .move_lead(
            lead.id,
            Stage::SiteVisit,
            None,
            anna,
            at(2026, 12, 5, 8),
            None,
        )
        .await
        .unwrap();
    let history: Vec<_> = f
        .store
        .lead_changes(lead.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.field, c.before, c.after))
        .collect();
    assert_eq!(history[0].0, "created");
    assert!(history.contains(&("capex_cny".into(), None, Some("50000000".into()))));
    assert!(history.contains(&("owner".into(), None, Some(anna.0.to_string()))));
    assert!(history.contains(&(
        "stage".into(),
        Some("prospect".into()),
        Some("lost: Chose Shanghai".into())
    )));
    assert!(history.contains(&(
        "stage".into(),
        Some("lost".into()),
        Some("site_visit".into())
    )));

    // Tasks: open ones of the assignee, the reminder claimed once across stores.
    let task = f
        .store
        .add_task(
            lead.id,
            &TaskDraft {
                title: "Anrufen · 致电".into(),
                due_on: date(2026, 12, 6),
                assignee_id: Some(anna),
            },
            anna,
            at(2026, 12, 5, 9),
        )
        .await
        .unwrap();
    // Read back by id and by lead, from another process too, with the names shown.
    let read = f.second().await.task(task.id).await.unwrap().unwrap();
    assert_eq!(read, task);
    assert_eq!(read.title, "Anrufen · 致电");
    assert_eq!(read.assignee_name.as_deref(), Some("Officer"));
    assert_eq!(read.company_name, erika.company.name);
    assert!(
        f.store
            .task(TaskId(task.id.0 + 1000))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        f.store.lead_tasks(lead.id).await.unwrap(),
        vec![task.clone()]
    );
    assert_eq!(f.store.open_tasks(anna, None, 100).await.unwrap().len(), 1);
    assert!(
        f.store
            .tasks_to_remind(date(2026, 12, 5))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        f.store.tasks_to_remind(date(2026, 12, 6)).await.unwrap()[0].id,
        task.id
    );
    assert!(
        f.second()
            .await
            .claim_task_reminder(task.id, at(2026, 12, 6, 1))
            .await
            .unwrap()
    );
    assert!(
        !f.store
            .claim_task_reminder(task.id, at(2026, 12, 6, 1))
            .await
            .unwrap()
    );
    let done = f
        .store
        .set_task_done(task.id, true, anna, at(2026, 12, 6, 9))
        .await
        .unwrap();
    assert!(done.done_at.is_some());
    assert!(
        f.store.lead_tasks(lead.id).await.unwrap()[0]
            .done_at
            .is_some()
    );
    assert!(
        f.store
            .open_tasks(anna, None, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(f.store.lead(lead.id).await.unwrap().unwrap().open_tasks, 0);

    // Lists, filters and the board.
    let (other, _) = f
        .store
        .ensure_lead(
            max.company.id,
            LeadSource::Manual,
            None,
            None,
            at(2026, 12, 2, 8),
        )
        .await
        .unwrap();
    f.store
        .set_lead_scores(&[(max.company.id, 40)])
        .await
        .unwrap();
    let (all, total) = f
        .store
        .leads(
            agency.id,
            &LeadFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((total, all[0].id), (2, other.id), "best score first");
    let pool = LeadFilter {
        owner: OwnerFilter::Pool,
        limit: 10,
        ..Default::default()
    };
    assert_eq!(f.store.leads(agency.id, &pool).await.unwrap().1, 1);
    let mine = LeadFilter {
        owner: OwnerFilter::Account(anna),
        sector: Some("automotive".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(
        f.store.leads(agency.id, &mine).await.unwrap().0[0].id,
        lead.id
    );
    let overdue = LeadFilter {
        overdue_on: Some(date(2026, 12, 11)),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(f.store.leads(agency.id, &overdue).await.unwrap().1, 1);
    let named = LeadFilter {
        company: Some("MAX".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(
        f.store.leads(agency.id, &named).await.unwrap().0[0].id,
        other.id
    );
    let tricky = LeadFilter {
        company: Some("%_\\".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(f.store.leads(agency.id, &tricky).await.unwrap().1, 0);
    let board = f.store.board(agency.id, OwnerFilter::Anyone).await.unwrap();
    assert_eq!(board.len(), Stage::ALL.len());
    let count = |s: Stage| board.iter().find(|c| c.stage == s).unwrap().total;
    assert_eq!((count(Stage::Prospect), count(Stage::SiteVisit)), (1, 1));

    // Scores in batches: only companies with a lead, set in one transaction.
    let mut scores = f
        .store
        .lead_scores(&[company, max.company.id, CompanyId(999_999)])
        .await
        .unwrap();
    scores.sort();
    assert_eq!(scores, vec![(company, 0), (max.company.id, 40)]);
    f.store
        .set_lead_scores(&[(company, 17), (max.company.id, 3)])
        .await
        .unwrap();
    assert_eq!(f.store.lead(lead.id).await.unwrap().unwrap().score, 17);
    assert_eq!(f.store.lead(other.id).await.unwrap().unwrap().score, 3);

    // Rules keep their order.
    let rules = vec![
        AssignmentRule {
            field: RuleField::Country,
            value: "AT".into(),
            owner_id: anna,
        },
        AssignmentRule {
            field: RuleField::Sector,
            value: "automotive".into(),
            owner_id: anna,
        },
    ];
    f.store
        .set_assignment_rules(agency.id, &rules)
        .await
        .unwrap();
    assert_eq!(f.store.assignment_rules(agency.id).await.unwrap(), rules);
    f.store
        .set_assignment_rules(agency.id, &rules[1..])
        .await
        .unwrap();
    assert_eq!(
        f.store.assignment_rules(agency.id).await.unwrap(),
        rules[1..]
    );
}

pub async fn merges_move_what_they_moved_back_on_undo(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let anna = officer(&f, agency.id, "anna@agency.example").await;
    let kept = f.register(&event, "erika@muster.example", "Muster").await;
    let merged = f
        .register(&event, "max@muster-china.example", "Muster China")
        .await;
    assert_ne!(kept.company.id, merged.company.id);
    let (kept_lead, _) = f
        .store
        .ensure_lead(
            kept.company.id,
            LeadSource::Survey,
            None,
            None,
            at(2026, 12, 2, 8),
        )
        .await
        .unwrap();
    let (merged_lead, _) = f
        .store
        .ensure_lead(
            merged.company.id,
            LeadSource::Manual,
            None,
            None,
            at(2026, 12, 2, 8),
        )
        .await
        .unwrap();
    let merge = f
        .store
        .merge_companies(kept.company.id, merged.company.id, anna, at(2026, 12, 3, 8))
        .await
        .unwrap();
    assert_eq!(
        (merge.kept_name.as_str(), merge.merged_name.as_str()),
        ("Muster GmbH", "Muster China GmbH")
    );
    // One company, one lead, both people, every signal.
    assert_eq!(
        f.store
            .company_lead(merged.company.id)
            .await
            .unwrap()
            .unwrap()
            .id,
        kept_lead.id
    );
    assert!(f.store.lead(merged_lead.id).await.unwrap().is_none());
    assert_eq!(
        f.store
            .company_contacts(kept.company.id)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        f.store
            .company_signals(kept.company.id)
            .await
            .unwrap()
            .len(),
        2
    );
    let summaries = f.store.company_summaries(agency.id).await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].registrations, 2);
    assert!(
        f.store
            .lead_changes(kept_lead.id)
            .await
            .unwrap()
            .iter()
            .any(|c| c.field == "merged")
    );
    assert!(matches!(
        f.store
            .merge_companies(kept.company.id, merged.company.id, anna, at(2026, 12, 3, 9))
            .await,
        Err(StoreError::Conflict("already_merged"))
    ));
    // Someone registers for the merged company meanwhile: they stay with the kept one.
    let later = f
        .register(&event, "lisa@muster-china.example", "Muster China")
        .await;
    assert_eq!(later.company.id, kept.company.id);

    let undone = f
        .store
        .undo_merge(merge.id, anna, at(2026, 12, 4, 8))
        .await
        .unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(
        f.store
            .company_lead(merged.company.id)
            .await
            .unwrap()
            .unwrap()
            .id,
        merged_lead.id
    );
    assert_eq!(
        f.store
            .company_contacts(merged.company.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        f.store
            .company_contacts(kept.company.id)
            .await
            .unwrap()
            .len(),
        2,
        "the later registration stays"
    );
    assert_eq!(
        f.store
            .company_signals(merged.company.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        f.store.undo_merge(merge.id, anna, at(2026, 12, 4, 9)).await,
        Err(StoreError::Conflict("undone"))
    ));
    assert_eq!(f.store.company_merges(agency.id).await.unwrap().len(), 1);
    assert!(matches!(
        f.store
            .merge_companies(kept.company.id, kept.company.id, anna, at(2026, 12, 3, 9))
            .await,
        Err(StoreError::Conflict("same_company"))
    ));
}

/// A company added by hand is the one a registration made when it matches, made once per
/// agency otherwise, and known by its agency.
pub async fn companies_added_by_hand_are_found_or_made_once_per_agency(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let other = f.agency("b").await;
    let event = f.event(&agency, "zwei-zonen").await;
    let erika = f.register(&event, "erika@muster.example", "Muster").await;
    let registered = Fixture::registration_draft("x@muster.example", "X", "Muster GmbH").company;
    assert_eq!(
        f.store
            .create_company(agency.id, &registered)
            .await
            .unwrap(),
        erika.company.id
    );
    let new = roadshow_domain::registrations::CompanyDraft {
        name: "Huber Medizintechnik GmbH".into(),
        country: "AT".into(),
        industry: "biomedicine".into(),
        size: "10-49".into(),
        website: None,
    };
    let made = f.store.create_company(agency.id, &new).await.unwrap();
    assert_ne!(made, erika.company.id);
    assert_eq!(
        f.second()
            .await
            .create_company(agency.id, &new)
            .await
            .unwrap(),
        made
    );
    let elsewhere = f.store.create_company(other.id, &new).await.unwrap();
    assert_ne!(elsewhere, made);
    assert_eq!(f.store.company_agency(made).await.unwrap(), Some(agency.id));
    assert_eq!(
        f.store.company_agency(elsewhere).await.unwrap(),
        Some(other.id)
    );
    assert_eq!(
        f.store
            .company_agency(CompanyId(made.0 + 1000))
            .await
            .unwrap(),
        None
    );
}
