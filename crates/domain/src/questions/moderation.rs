//! Moderation: what a moderator may do to a question in each state (approve, dismiss
//! with a reason, edit keeping the original, merge, route, pin), as rules on the question
//! alone; the store only keeps the result.

use super::{QUESTION_MAX, Question, QuestionState, REASON_MAX, clean_text};
use crate::ids::{DepartmentId, QuestionId};
use crate::validation::{Checker, Invalid};
use serde::{Deserialize, Serialize};

/// What a moderator does to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    Approve,
    Dismiss { reason: String },
    Edit { text: String },
    Merge { into: QuestionId },
    Route { department: Option<DepartmentId> },
    Pin,
    Unpin,
}

/// The body of a moderation request: `{"action":"approve"}`, `{"action":"dismiss",
/// "reason":"..."}`, `{"action":"edit","text":"..."}`, `{"action":"merge","into":12}`,
/// `{"action":"route","department":3}`, `{"action":"pin"}`, `{"action":"unpin"}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ModerationInput {
    pub action: Option<String>,
    pub reason: Option<String>,
    pub text: Option<String>,
    pub into: Option<i64>,
    pub department: Option<i64>,
}

impl ModerationInput {
    pub fn parse(&self) -> Result<Moderation, Invalid> {
        let mut c = Checker::new();
        c.control_characters(self, &["text", "reason"]);
        // Every field given is checked, whichever the action reads: a request carrying
        // a wrong value is refused, not half read.
        let reason = c.optional("reason", self.reason.as_deref(), REASON_MAX);
        let text = c.optional("text", self.text.as_deref(), QUESTION_MAX);
        if self.into.is_some_and(|id| id < 1) {
            c.push("into", "unknown_question");
        }
        if self.department.is_some_and(|id| id < 1) {
            c.push("department", "unknown_department");
        }
        let action = self.action.as_deref().unwrap_or("").trim();
        let moderation = match action {
            "approve" => Moderation::Approve,
            "pin" => Moderation::Pin,
            "unpin" => Moderation::Unpin,
            "dismiss" => Moderation::Dismiss {
                reason: reason.unwrap_or_else(|| {
                    c.push("reason", "required");
                    String::new()
                }),
            },
            "edit" => Moderation::Edit {
                text: clean_text(&text.unwrap_or_else(|| {
                    c.push("text", "required");
                    String::new()
                })),
            },
            "merge" => match self.into {
                Some(id) => Moderation::Merge {
                    into: QuestionId(id),
                },
                None => {
                    c.push("into", "required");
                    Moderation::Approve
                }
            },
            "route" => Moderation::Route {
                department: self.department.map(DepartmentId),
            },
            "" => {
                c.push("action", "required");
                Moderation::Approve
            }
            _ => {
                c.push("action", "unknown_choice");
                Moderation::Approve
            }
        };
        c.finish(())?;
        Ok(moderation)
    }
}

/// Why a moderation cannot be applied to a question in its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not allowed in state {0:?}")]
pub struct WrongState(pub QuestionState);

impl Moderation {
    /// The question after the moderation, or why it cannot be done. Merging is checked
    /// here for the source; the store moves the votes.
    pub fn apply(&self, question: &Question) -> Result<Question, WrongState> {
        use QuestionState::*;
        let mut q = question.clone();
        let state = q.state;
        match self {
            Moderation::Approve => match state {
                Pending | Dismissed => {
                    q.state = Approved;
                    q.dismiss_reason = None;
                }
                _ => return Err(WrongState(state)),
            },
            Moderation::Dismiss { reason } => match state {
                Pending | Approved => {
                    q.state = Dismissed;
                    q.dismiss_reason = Some(reason.clone());
                    q.pinned = false;
                }
                _ => return Err(WrongState(state)),
            },
            Moderation::Edit { text } => {
                if state == Merged {
                    return Err(WrongState(state));
                }
                if *text != q.text {
                    if q.original_text.is_none() {
                        q.original_text = Some(q.text.clone());
                    }
                    q.text = text.clone();
                }
            }
            Moderation::Merge { .. } => match state {
                Pending | Approved => {
                    q.state = Merged;
                    q.pinned = false;
                }
                _ => return Err(WrongState(state)),
            },
            Moderation::Route { department } => {
                if matches!(state, Merged | Dismissed) {
                    return Err(WrongState(state));
                }
                q.department_id = *department;
            }
            Moderation::Pin => match state {
                Approved | Answered => q.pinned = true,
                _ => return Err(WrongState(state)),
            },
            Moderation::Unpin => q.pinned = false,
        }
        q.version += 1;
        Ok(q)
    }
}

/// Whether a question can take another question's votes.
pub fn can_receive_merge(target: &Question, source: &Question) -> bool {
    target.id != source.id
        && target.event_id == source.event_id
        && matches!(
            target.state,
            QuestionState::Pending | QuestionState::Approved | QuestionState::Answered
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(input: ModerationInput) -> Vec<String> {
        match input.parse() {
            Ok(_) => vec![],
            Err(Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn every_field_given_is_checked_whatever_the_action() {
        let unpin = |f: fn(&mut ModerationInput)| {
            let mut input = ModerationInput {
                action: Some("unpin".into()),
                ..Default::default()
            };
            f(&mut input);
            fields(input)
        };
        assert!(unpin(|_| {}).is_empty());
        assert_eq!(unpin(|i| i.into = Some(0)), ["into"]);
        assert_eq!(unpin(|i| i.department = Some(-3)), ["department"]);
        assert_eq!(
            unpin(|i| i.reason = Some("x".repeat(REASON_MAX + 1))),
            ["reason"]
        );
        // What the action needs is still required, once.
        let dismiss = ModerationInput {
            action: Some("dismiss".into()),
            reason: Some("x".repeat(REASON_MAX + 1)),
            ..Default::default()
        };
        assert_eq!(fields(dismiss), ["reason"]);
        let edit = ModerationInput {
            action: Some("edit".into()),
            ..Default::default()
        };
        assert_eq!(fields(edit), ["text"]);
    }
}
