//! Tasks on a lead: a title, a due date and who does it; reminded on the due date.

use super::{MAX_TEXT, date_field};
use crate::ids::*;
use crate::validation::{Checker, Invalid};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A task on a lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub id: TaskId,
    pub lead_id: LeadId,
    pub company_name: String,
    pub title: String,
    pub due_on: NaiveDate,
    pub assignee_id: Option<AccountId>,
    pub assignee_name: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Task {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done_at.is_none() && self.due_on < today
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub assignee_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskDraft {
    pub title: String,
    pub due_on: NaiveDate,
    pub assignee_id: Option<AccountId>,
}

impl TaskInput {
    pub fn parse(&self, officers: &[AccountId]) -> Result<TaskDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        let title = check.required("title", self.title.as_deref(), MAX_TEXT);
        let due = date_field(&mut check, "due_on", self.due_on.as_deref());
        if due.is_none() && self.due_on.as_deref().unwrap_or("").trim().is_empty() {
            check.push("due_on", "required");
        }
        let assignee = self.assignee_id.map(AccountId);
        if assignee.is_some_and(|a| !officers.contains(&a)) {
            check.push("assignee_id", "unknown_choice");
        }
        check.finish(TaskDraft {
            title,
            due_on: due.unwrap_or_default(),
            assignee_id: assignee,
        })
    }
}
