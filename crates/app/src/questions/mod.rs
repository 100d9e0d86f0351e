//! The questions of the live exchange: asking, voting, moderating, routing, answering,
//! the officials' queue, the FAQ and the export.

mod answers;
mod export;

pub use answers::{AnsweringConsole, Assignment, Faq, FaqGroup};
use roadshow_domain::signals::SignalKind;

use crate::access::*;
use crate::events::EventPage;
use crate::{App, AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::Lang;
use roadshow_domain::accounts::Role;
use roadshow_domain::departments::Department;
use roadshow_domain::events::{Event, Session};
use roadshow_domain::ids::*;
use roadshow_domain::limits::Limit;
use roadshow_domain::live::*;
use roadshow_domain::outbox::EmailMessage;
use roadshow_domain::paging::PageRequest;
use roadshow_domain::polls::Poll;
use roadshow_domain::questions::suggest::{self, Profile, ProfileText, weight};
use roadshow_domain::questions::*;
use roadshow_domain::registrations::{Registration, RegistrationFilter};
use roadshow_domain::store::StoreError;
use roadshow_domain::text::spreadsheet_safe;
use roadshow_i18n::{ArgValue, t, t_with};
use std::sync::Arc;

/// The moderator's console: the questions it shows of each section, how many each state
/// has, and what it needs.
pub struct Console {
    pub page: Arc<EventPage>,
    pub state: LiveState,
    pub questions: Vec<Question>,
    /// How many questions are in each state (those with none left out).
    pub counts: Vec<(QuestionState, i64)>,
    pub polls: Vec<Poll>,
}

/// The profiles the department suggestion reads: what each department presents in this
/// event, and what it answered before. Named things are labelled in `lang`, the
/// question's language, for the reason shown to the moderator.
fn profiles(page: &EventPage, answered: &[Question], lang: Lang) -> Vec<Profile> {
    let all_text =
        |l: &roadshow_domain::Localized| l.0.values().cloned().collect::<Vec<_>>().join(" \n ");
    page.departments
        .iter()
        .map(|d| {
            let mut texts = vec![
                ProfileText {
                    text: all_text(&d.name),
                    weight: weight::NAME,
                    label: None,
                },
                ProfileText {
                    text: all_text(&d.description),
                    weight: weight::DESCRIPTION,
                    label: None,
                },
            ];
            for s in page
                .sessions
                .iter()
                .filter(|s| s.department_id == Some(d.id))
            {
                let label = Some(s.title.get(lang).to_string());
                texts.push(ProfileText {
                    text: format!("{} {}", all_text(&s.title), all_text(&s.summary)),
                    weight: weight::SESSION,
                    label,
                });
                for park in page.parks.iter().filter(|p| s.park_ids.contains(&p.id)) {
                    texts.push(ProfileText {
                        text: format!(
                            "{} {} {} {}",
                            all_text(&park.name),
                            all_text(&park.district),
                            all_text(&park.summary),
                            park.focus_industries.join(" ")
                        ),
                        weight: weight::PARK,
                        label: Some(park.name.get(lang).to_string()),
                    });
                }
                for policy in page
                    .policies
                    .iter()
                    .filter(|p| s.policy_ids.contains(&p.id))
                {
                    texts.push(ProfileText {
                        text: format!(
                            "{} {} {}",
                            all_text(&policy.title),
                            all_text(&policy.summary),
                            policy.sectors.join(" ")
                        ),
                        weight: weight::POLICY,
                        label: Some(policy.title.get(lang).to_string()),
                    });
                }
            }
            for q in answered.iter().filter(|q| q.department_id == Some(d.id)) {
                texts.push(ProfileText {
                    text: q.text.clone(),
                    weight: weight::ANSWERED,
                    label: None,
                });
            }
            Profile {
                department: Some(d.id),
                texts,
            }
        })
        .collect()
}

/// The department suggested for a question `text` in `lang` asked at the event of
/// `page` (in the session of `asked_in`'s department, if any), learning from `answered`.
pub fn suggest_for(
    page: &EventPage,
    answered: &[Question],
    text: &str,
    lang: Lang,
    asked_in: Option<DepartmentId>,
) -> Option<suggest::Suggestion> {
    suggest::suggest(text, &profiles(page, answered, lang), asked_in)
}

/// A page of an event's questions.
pub struct QuestionPage {
    pub questions: Vec<Question>,
    pub page: Arc<EventPage>,
    pub staff: bool,
    /// The `after` of the next page; none when this is the last.
    pub next: Option<QuestionId>,
}

/// The questions of the live exchange.
#[derive(Clone, Copy)]
pub struct Questions<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// The questions of the live exchange.
    pub fn questions(&self) -> Questions<'_> {
        Questions { app: self }
    }
}

impl Questions<'_> {
    /// A question and its event's page, for someone allowed to see it: staff of the
    /// agency, the asker, or anyone when it is public.
    async fn visible_question(
        &self,
        principal: &Principal,
        id: QuestionId,
    ) -> AppResult<(Question, Arc<EventPage>)> {
        let q = self
            .app
            .store
            .question(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let e = self
            .app
            .store
            .event(q.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let visible = q.state.is_public()
            || principal.staff_of(e.agency_id).is_some()
            || matches!(principal, Principal::Participant(p) if p.participant_id == q.participant_id);
        if !visible {
            return Err(AppError::NotFound);
        }
        let page = self.app.events().event_page(principal, &e.slug).await?;
        Ok((q, page))
    }

    /// A participant's own questions that others do not see (waiting or dismissed): the
    /// asker sees them, with their state, next to the public ones.
    pub(crate) async fn unpublished_own(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> AppResult<Vec<Question>> {
        Ok(self
            .app
            .store
            .questions(&QuestionFilter {
                event: Some(event),
                participant: Some(participant),
                states: vec![QuestionState::Pending, QuestionState::Dismissed],
                ..Default::default()
            })
            .await?)
    }

    /// A participant asks a question about the event or one of its sessions. It waits
    /// for moderation; Roadshow suggests the department that should answer. Returns the
    /// question with its event's page (for department names), as do `moderate` and
    /// `answer`.
    pub async fn ask_question(
        &self,
        principal: &Principal,
        slug: &str,
        input: &QuestionInput,
    ) -> AppResult<(Question, Arc<EventPage>)> {
        principal.as_participant()?;
        let page = self.app.event_of(principal, slug).await?;
        let access = principal.as_participant_of(page.event.id)?;
        self.app
            .limiter
            .hit(
                &format!("question:{}", access.participant_id),
                Limit::per_minute(self.app.config.questions_per_minute),
            )
            .await?;
        let registration = self
            .app
            .store
            .registration(access.registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let new = input.parse(registration.language)?;
        let asked_in = match new.session_id {
            Some(id) => Some(
                page.sessions
                    .iter()
                    .find(|s| s.id == id)
                    .ok_or_else(|| AppError::invalid("session_id", "unknown_choice"))?
                    .department_id,
            )
            .flatten(),
            None => None,
        };
        // What departments answered lately: enough to learn their words, bounded so that
        // asking does not grow with the event (each ask read every answered question).
        let answered = self
            .app
            .store
            .questions(&QuestionFilter {
                event: Some(page.event.id),
                states: vec![QuestionState::Answered],
                limit: Some(suggest::ANSWERED_LEARNED),
                newest: true,
                ..Default::default()
            })
            .await?;
        let suggestion = suggest_for(&page, &answered, &new.text, new.lang, asked_in);
        let draft = NewQuestion {
            event: page.event.id,
            participant: access.participant_id,
            author_name: registration.name.clone(),
            author_company: registration.company.name.clone(),
            question: new,
            suggested_department: suggestion.as_ref().map(|s| s.department),
            suggestion_reason: suggestion.as_ref().map(|s| s.reason()),
        };
        let q = self
            .app
            .store
            .create_question(&draft, &QuestionLive::Submitted)
            .await?;
        self.app.live.signal(page.event.id, None).await;
        self.app
            .signals()
            .record(
                access.participant_id,
                page.event.id,
                SignalKind::Asked,
                q.id.0,
                0,
            )
            .await;
        Ok((q, page))
    }

    /// Questions of an event: public ones for everyone, a participant's own too, and all
    /// of them with their moderation state for the agency's staff.
    pub async fn event_questions(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<(Vec<Question>, Arc<EventPage>, bool)> {
        let page = self.app.event_of(principal, slug).await?;
        let staff = self.app.is_staff_of(principal, &page);
        let mut questions = self
            .app
            .store
            .questions(&self.visible(&page, staff))
            .await?;
        if let Some(own) = self.own_unpublished(principal, &page, staff).await? {
            questions.extend(own);
            questions.sort_by_key(|q| (q.created_at, q.id));
        }
        Ok((questions, page, staff))
    }

    /// A page of the event's questions as the caller may see them, in the order they
    /// were asked, with the cursor of the next page when there is one.
    pub async fn event_questions_page(
        &self,
        principal: &Principal,
        slug: &str,
        request: PageRequest,
    ) -> AppResult<QuestionPage> {
        let page = self.app.event_of(principal, slug).await?;
        let staff = self.app.is_staff_of(principal, &page);
        let after = request.after.map(QuestionId);
        let mut filter = self.visible(&page, staff);
        filter.after = after;
        filter.limit = Some(request.fetch());
        let mut questions = self.app.store.questions(&filter).await?;
        if let Some(own) = self.own_unpublished(principal, &page, staff).await? {
            questions.extend(own.into_iter().filter(|q| after.is_none_or(|a| q.id > a)));
            questions.sort_by_key(|q| q.id);
        }
        let listed = request.split(questions, |q| q.id.0);
        Ok(QuestionPage {
            questions: listed.items,
            page,
            staff,
            next: listed.next.map(QuestionId),
        })
    }

    /// The questions `staff` (or anyone else) may read on the event.
    fn visible(&self, page: &EventPage, staff: bool) -> QuestionFilter {
        let mut filter = QuestionFilter {
            event: Some(page.event.id),
            ..Default::default()
        };
        if !staff {
            filter.states = vec![QuestionState::Approved, QuestionState::Answered];
        }
        filter
    }

    /// A participant's own questions not (or no longer) public, which they see too.
    async fn own_unpublished(
        &self,
        principal: &Principal,
        page: &EventPage,
        staff: bool,
    ) -> AppResult<Option<Vec<Question>>> {
        match principal {
            Principal::Participant(p) if !staff && p.event_id == page.event.id => Ok(Some(
                self.unpublished_own(page.event.id, p.participant_id)
                    .await?,
            )),
            _ => Ok(None),
        }
    }

    /// One question, as the caller may see it.
    pub async fn question(
        &self,
        principal: &Principal,
        id: QuestionId,
    ) -> AppResult<(Question, Arc<EventPage>, bool)> {
        let (q, page) = self.visible_question(principal, id).await?;
        let staff = self.app.is_staff_of(principal, &page);
        Ok((q, page, staff))
    }

    /// A participant votes for a public question of their event, or takes the vote back.
    /// Voting twice changes nothing; the count returned is the one stored.
    pub async fn vote(
        &self,
        principal: &Principal,
        id: QuestionId,
        up: bool,
    ) -> AppResult<VoteOutcome> {
        let access = principal.as_participant()?.clone();
        let q = self
            .app
            .store
            .question(id)
            .await?
            .ok_or(AppError::NotFound)?;
        if q.event_id != access.event_id || !q.state.is_public() {
            return Err(AppError::NotFound);
        }
        self.app.count_vote(access.participant_id).await?;
        self.app
            .votes
            .submit(VoteChange {
                event: q.event_id,
                question: id,
                participant: access.participant_id,
                up,
            })
            .await
    }

    /// A moderator (or organiser) approves, dismisses, edits, merges, routes or pins.
    pub async fn moderate(
        &self,
        principal: &Principal,
        id: QuestionId,
        input: &ModerationInput,
    ) -> AppResult<(Question, Arc<EventPage>)> {
        let staff = principal.as_moderator()?;
        let q = self
            .app
            .store
            .question(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let page = self.app.staff_page(staff, q.event_id).await?;
        let action = input.parse()?;
        if let Moderation::Route {
            department: Some(d),
        } = &action
        {
            if !page.departments.iter().any(|x| x.id == *d) {
                return Err(AppError::invalid("department", "unknown_choice"));
            }
        }
        let changed = action
            .apply(&q)
            .map_err(|_| AppError::Conflict("wrong_state"))?;
        let before = q.clone();
        let saved = match &action {
            Moderation::Merge { into } => {
                let target = self
                    .app
                    .store
                    .question(*into)
                    .await?
                    .filter(|t| can_receive_merge(t, &q))
                    .ok_or_else(|| AppError::invalid("into", "unknown_choice"))?;
                let source_after = Question {
                    merged_into: Some(target.id),
                    ..changed.clone()
                };
                let live = QuestionLive::Merged {
                    source_before: Box::new(before),
                    source_after: Box::new(source_after),
                    target_before: Box::new(target.clone()),
                };
                self.app
                    .store
                    .merge_question(&changed, target.id, &live)
                    .await?;
                // The moderator gets the merged question back, now pointing at its target.
                self.app
                    .store
                    .question(id)
                    .await?
                    .ok_or(AppError::NotFound)?
            }
            _ => {
                let pinned = match action {
                    Moderation::Pin => Some(Some(q.id)),
                    Moderation::Unpin if q.pinned => Some(None),
                    Moderation::Dismiss { .. } if q.pinned => Some(None),
                    _ => None,
                };
                let live = QuestionLive::Changed {
                    before: Box::new(before),
                    public_kind: LiveKind::QuestionUpdated,
                    pinned,
                };
                self.app
                    .store
                    .save_question(&changed, &live)
                    .await
                    .map_err(|e| match e {
                        StoreError::Conflict(_) => AppError::Conflict("stale"),
                        other => other.into(),
                    })?
            }
        };
        self.app.live.signal(q.event_id, None).await;
        Ok((saved, page))
    }

    /// One question of an event's console (its moderators' and organisers'), with the
    /// event's page: what a console draws a card from when the live exchange moves.
    pub async fn console_question(
        &self,
        principal: &Principal,
        slug: &str,
        id: QuestionId,
    ) -> AppResult<(Arc<EventPage>, Question)> {
        let page = self.app.moderator_page(principal, slug).await?;
        let question = self
            .app
            .store
            .question(id)
            .await?
            .filter(|q| q.event_id == page.event.id)
            .ok_or(AppError::NotFound)?;
        Ok((page, question))
    }

    /// The moderator's console for an event: at most `per_section` questions of each of
    /// its sections (the queue first come first served; approved, answered, and
    /// dismissed or merged ones pinned first, then by votes) and how many each state has.
    /// Read again whenever it cannot follow the live exchange card by card, it costs the
    /// same however large the event.
    pub async fn console(
        &self,
        principal: &Principal,
        slug: &str,
        per_section: usize,
    ) -> AppResult<Console> {
        let page = self.app.moderator_page(principal, slug).await?;
        let event = page.event.id;
        // The position first, as for the live page.
        let state = self.app.store.live_state(event).await?;
        let mut questions = Vec::new();
        if per_section > 0 {
            for (states, by_votes) in [
                (vec![QuestionState::Pending], false),
                (vec![QuestionState::Approved], true),
                (vec![QuestionState::Answered], true),
                (vec![QuestionState::Dismissed, QuestionState::Merged], true),
            ] {
                let section = QuestionFilter {
                    event: Some(event),
                    states,
                    by_votes,
                    limit: Some(per_section),
                    ..Default::default()
                };
                questions.extend(self.app.store.questions(&section).await?);
            }
        }
        Ok(Console {
            counts: self.app.store.question_counts(event).await?,
            questions,
            polls: self.app.store.polls(event).await?,
            state,
            page,
        })
    }
}
