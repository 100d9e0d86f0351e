//! The demo's live exchange: questions asked, moderated, routed, voted and answered, and
//! a poll, through the same use cases as a real exchange.

use super::*;
use crate::{App, AppError, AppResult};
use roadshow_domain::Lang;
use roadshow_domain::accounts::{ParticipantAccess, Principal};
use roadshow_domain::questions::{AnswerInput, ModerationInput, QuestionInput};
use roadshow_domain::registrations::RegistrationFilter;

impl App {
    /// The questions asked, moderated, routed, voted and answered through the same use
    /// cases as in a real exchange, and the poll, so that the live page and the console
    /// show what they are for.
    pub(super) async fn demo_questions_and_poll(
        &self,
        content: &Content,
        organiser: &Principal,
    ) -> AppResult<()> {
        let event = self
            .store
            .event_by_slug(EVENT_SLUG)
            .await?
            .ok_or(AppError::NotFound)?;
        let registrations = self
            .store
            .registrations(event.id, &RegistrationFilter::default())
            .await?;
        let participant = |i: usize| -> AppResult<Principal> {
            let r = registrations
                .get(i % registrations.len().max(1))
                .ok_or(AppError::NotFound)?;
            Ok(Principal::Participant(ParticipantAccess {
                registration_id: r.id,
                participant_id: r.participant_id,
                event_id: event.id,
            }))
        };
        let moderator = self.demo_staff(MODERATOR_EMAIL).await?;
        let official = self.demo_staff(OFFICIAL_EMAIL).await?;
        let sessions = self.store.sessions(event.id).await?;
        let departments = self.store.departments(event.agency_id).await?;
        let dept = |slug: &str| departments.iter().find(|d| d.slug == slug).map(|d| d.id);
        let session_of = |slug: &str| {
            let id = dept(slug);
            sessions
                .iter()
                .find(|s| id.is_some() && s.department_id == id)
                .map(|s| s.id.0)
        };
        let moderate = |action: &str, department: Option<i64>| ModerationInput {
            action: Some(action.into()),
            department,
            ..Default::default()
        };
        for d in &content.questions {
            let (q, _) = self
                .questions()
                .ask_question(
                    &participant(d.asker)?,
                    EVENT_SLUG,
                    &QuestionInput {
                        text: Some(d.text.clone()),
                        session_id: d.session_of.as_deref().and_then(session_of),
                        anonymous: d.anonymous,
                        lang: Some(d.lang.clone()),
                    },
                )
                .await?;
            if d.fate == Fate::Pending {
                continue;
            }
            self.questions()
                .moderate(&moderator, q.id, &moderate("approve", None))
                .await?;
            // Accept Roadshow's suggestion, as a moderator would.
            let routed = q
                .suggested_department
                .or_else(|| dept("two-zones-office"))
                .map(|d| d.0);
            self.questions()
                .moderate(&moderator, q.id, &moderate("route", routed))
                .await?;
            for v in 0..d.votes {
                self.questions()
                    .vote(&participant(40 + v)?, q.id, true)
                    .await?;
            }
            match (d.fate, &d.answer) {
                (Fate::Pinned, _) => {
                    self.questions()
                        .moderate(&moderator, q.id, &moderate("pin", None))
                        .await?;
                }
                (Fate::Answered, Some(answer)) => {
                    // The official of the department answers what is routed there.
                    let answerer = if routed == dept("shunyi").map(|d| d.0) {
                        &official
                    } else {
                        organiser
                    };
                    let input = AnswerInput {
                        body: Some(answer.body.clone()),
                        live: false,
                        lang: Some(answer.lang.clone()),
                    };
                    self.questions()
                        .answer(answerer, q.id, &input, Lang::De)
                        .await?;
                }
                (Fate::AnsweredLive, _) => {
                    let input = AnswerInput {
                        body: None,
                        live: true,
                        lang: Some("de".into()),
                    };
                    self.questions()
                        .answer(organiser, q.id, &input, Lang::De)
                        .await?;
                }
                _ => {}
            }
        }
        let poll = self
            .polls()
            .create_poll(organiser, EVENT_SLUG, &content.poll.input)
            .await?;
        self.polls().poll_action(organiser, poll.id, "open").await?;
        for (v, choices) in content.poll.choices.iter().enumerate() {
            self.polls()
                .vote_poll(&participant(v)?, poll.id, choices)
                .await?;
        }
        self.polls()
            .poll_action(organiser, poll.id, "show_results")
            .await?;
        self.demo_meetings(organiser, &registrations, &departments)
            .await?;
        self.demo_interest(&registrations).await?;
        self.demo_leads(organiser, &registrations).await
    }
}
