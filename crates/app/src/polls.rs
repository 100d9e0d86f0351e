//! Polls of the live exchange: created and run by moderators, answered by participants.

use crate::access::*;
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::ids::*;
use roadshow_domain::live::*;
use roadshow_domain::polls::*;
use roadshow_domain::store::StoreError;

/// The polls of the live exchange.
#[derive(Clone, Copy)]
pub struct Polls<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// The polls of the live exchange.
    pub fn polls(&self) -> Polls<'_> {
        Polls { app: self }
    }
}

impl Polls<'_> {
    /// Polls of an event: drafts only for its moderators and organisers; counts only when
    /// shown, or for them.
    pub async fn polls(&self, principal: &Principal, slug: &str) -> AppResult<(Vec<Poll>, bool)> {
        let page = self.app.event_of(principal, slug).await?;
        let staff = principal
            .staff_of(page.event.agency_id)
            .is_some_and(may_moderate);
        let polls = self
            .app
            .store
            .polls(page.event.id)
            .await?
            .into_iter()
            .filter(|p| staff || p.state != PollState::Draft)
            .collect();
        Ok((polls, staff))
    }

    pub async fn create_poll(
        &self,
        principal: &Principal,
        slug: &str,
        input: &PollInput,
    ) -> AppResult<Poll> {
        let page = self.app.moderator_page(principal, slug).await?;
        let new = input.parse()?;
        if let Some(id) = new.session_id {
            if !page.sessions.iter().any(|s| s.id == id) {
                return Err(AppError::invalid("session_id", "unknown_choice"));
            }
        }
        let existing = self.app.store.polls(page.event.id).await?;
        if existing
            .iter()
            .filter(|p| p.session_id == new.session_id)
            .count()
            >= roadshow_domain::polls::POLLS_PER_SESSION
        {
            return Err(AppError::Conflict("too_many_polls"));
        }
        let poll = self
            .app
            .store
            .create_poll(page.event.id, &new, PollLive::Changed(LiveKind::PollOpened))
            .await?;
        self.app.live.signal(page.event.id, None).await;
        Ok(poll)
    }

    /// Opens, closes, shows or hides the results of a poll: `action` is `open`, `close`,
    /// `show_results` or `hide_results`.
    pub async fn poll_action(
        &self,
        principal: &Principal,
        id: PollId,
        action: &str,
    ) -> AppResult<Poll> {
        let poll = self.app.store.poll(id).await?.ok_or(AppError::NotFound)?;
        let e = self
            .app
            .store
            .event(poll.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.app.moderator_page(principal, &e.slug).await?;
        let (state, shown, kind) = match action {
            "open" => (PollState::Open, poll.results_shown, LiveKind::PollOpened),
            "close" => (PollState::Closed, poll.results_shown, LiveKind::PollClosed),
            "show_results" if poll.state != PollState::Draft => {
                (poll.state, true, LiveKind::PollResults)
            }
            "hide_results" => (poll.state, false, LiveKind::PollResults),
            "show_results" => return Err(AppError::Conflict("wrong_state")),
            _ => return Err(AppError::invalid("action", "unknown_choice")),
        };
        let poll = self
            .app
            .store
            .set_poll_state(id, state, shown, PollLive::Changed(kind))
            .await?;
        self.app.live.signal(poll.event_id, None).await;
        Ok(poll)
    }

    /// A participant answers an open poll of their event (again to change the answer).
    pub async fn vote_poll(
        &self,
        principal: &Principal,
        id: PollId,
        choices: &[usize],
    ) -> AppResult<Poll> {
        let access = principal.as_participant()?.clone();
        let poll = self.app.store.poll(id).await?.ok_or(AppError::NotFound)?;
        if poll.event_id != access.event_id || poll.state == PollState::Draft {
            return Err(AppError::NotFound);
        }
        self.app.count_vote(access.participant_id).await?;
        let choices = check_poll_choices(&poll, choices)?;
        let poll = self
            .app
            .store
            .vote_poll(id, access.participant_id, &choices, PollLive::Voted)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    AppError::Invalid(vec![roadshow_domain::FieldError::new(
                        "poll",
                        "poll_not_open",
                    )])
                }
                other => other.into(),
            })?;
        self.app.live.signal(poll.event_id, None).await;
        self.app
            .signals()
            .record(
                access.participant_id,
                poll.event_id,
                roadshow_domain::signals::SignalKind::Voted,
                poll.id.0,
                0,
            )
            .await;
        Ok(poll)
    }
}
