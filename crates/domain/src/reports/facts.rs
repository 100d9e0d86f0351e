//! What the report reads of other capabilities' rows when the whole row is not needed.

use crate::Lang;
use crate::ids::*;
use crate::questions::{Question, QuestionState};
use chrono::{DateTime, Utc};

/// What the report needs of a question: its answers reduced to the first one's time and
/// whether any was live (the text is read only for the few the report lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionFacts {
    pub id: QuestionId,
    pub participant_id: ParticipantId,
    pub department_id: Option<DepartmentId>,
    pub state: QuestionState,
    pub votes: i64,
    pub lang: Lang,
    pub created_at: DateTime<Utc>,
    pub first_answer_at: Option<DateTime<Utc>>,
    pub answered_live: bool,
}

impl QuestionFacts {
    pub fn of(q: &Question) -> QuestionFacts {
        QuestionFacts {
            id: q.id,
            participant_id: q.participant_id,
            department_id: q.department_id,
            state: q.state,
            votes: q.votes,
            lang: q.lang,
            created_at: q.created_at,
            first_answer_at: q.answers.iter().map(|a| a.created_at).min(),
            answered_live: q.answers.iter().any(|a| a.live),
        }
    }

    pub fn answered(&self) -> bool {
        self.first_answer_at.is_some()
    }
}
