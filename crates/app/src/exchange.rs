//! The live exchange's use cases: asking, voting, moderating, routing, answering, polls,
//! the session on now, the officials' queue, the FAQ and the export.

use crate::events::EventPage;
use crate::limiter::Limit;
use crate::{App, AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::Lang;
use roadshow_domain::ids::*;
use roadshow_domain::mail::EmailMessage;
use roadshow_domain::principal::{ParticipantAccess, Role, StaffMember};
use roadshow_domain::qa::*;
use roadshow_domain::store::*;
use roadshow_domain::suggest::{self, Profile, ProfileText, weight};
use roadshow_domain::text::spreadsheet_safe;
use roadshow_i18n::{ArgValue, t, t_with};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// What the live page shows a reader.
pub struct LiveView {
    pub page: Arc<EventPage>,
    pub state: LiveState,
    /// Approved and answered questions, plus the reader's own in any state.
    pub questions: Vec<Question>,
    pub voted: Vec<QuestionId>,
    /// Polls that are open or closed (not drafts); counts hidden unless shown or staff.
    pub polls: Vec<Poll>,
    pub my_choices: Vec<(PollId, Vec<usize>)>,
    pub participant: Option<ParticipantAccess>,
    pub staff: bool,
}

/// A question an official is asked to answer, with its deadline.
pub struct Assignment {
    pub question: Question,
    pub event: Event,
    pub due: DateTime<Utc>,
    pub overdue: bool,
}

/// The FAQ: answered questions grouped by department, then by session (the topic).
pub struct Faq {
    pub page: Arc<EventPage>,
    pub published_at: Option<DateTime<Utc>>,
    pub groups: Vec<FaqGroup>,
}

pub struct FaqGroup {
    pub department: Option<Department>,
    pub topics: Vec<(Option<Session>, Vec<Question>)>,
}

/// The moderator's console: every question of the event and what it needs.
pub struct Console {
    pub page: Arc<EventPage>,
    pub state: LiveState,
    pub questions: Vec<Question>,
    pub polls: Vec<Poll>,
}

/// Why someone who is not staff of the event's agency may not run its exchange: sign in
/// first; participants may not; another agency's staff do not see it at all.
fn not_staff(principal: &Principal) -> AppError {
    match principal {
        Principal::Anonymous => AppError::Unauthenticated,
        Principal::Participant(_) => AppError::Forbidden,
        Principal::Staff(_) => AppError::NotFound,
    }
}

fn may_moderate(s: &StaffMember) -> bool {
    matches!(s.role, Role::Moderator | Role::Organiser)
}

/// The JSON of a question as a reader sees it: staff also get who asked, the original
/// text, the dismissal reason and the suggestion.
pub fn question_json(q: &Question, staff: bool, page: &EventPage) -> Value {
    let department = |id: Option<DepartmentId>| {
        page.department(id)
            .map(|d| json!({ "id": d.id, "name": d.name }))
            .unwrap_or(Value::Null)
    };
    let answers: Vec<Value> = q
        .answers
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "body": a.body,
                "body_html": a.body_html(),
                "live": a.live,
                "lang": a.lang,
                "author": a.author_name,
                "department": department(a.department_id),
                "created_at": a.created_at,
            })
        })
        .collect();
    let mut v = json!({
        "id": q.id,
        "event": page.event.slug,
        "session": q.session_id,
        "text": q.text,
        "lang": q.lang,
        "author": q.public_author(),
        "anonymous": q.anonymous,
        "state": q.state,
        "votes": q.votes,
        "pinned": q.pinned,
        "department": department(q.department_id),
        "answers": answers,
        "created_at": q.created_at,
    });
    if staff {
        if let Some(map) = v.as_object_mut() {
            map.insert("author_name".into(), json!(q.author_name));
            map.insert("author_company".into(), json!(q.author_company));
            map.insert("original_text".into(), json!(q.original_text));
            map.insert("dismiss_reason".into(), json!(q.dismiss_reason));
            map.insert("merged_into".into(), json!(q.merged_into));
            map.insert(
                "suggested_department".into(),
                department(q.suggested_department),
            );
            map.insert("suggestion_reason".into(), json!(q.suggestion_reason));
            map.insert("version".into(), json!(q.version));
        }
    }
    v
}

/// The JSON of a poll; counts only when shown (or for staff).
pub fn poll_json(p: &Poll, with_counts: bool) -> Value {
    json!({
        "id": p.id,
        "session": p.session_id,
        "question": p.question,
        "options": p.options,
        "multiple": p.multiple,
        "state": p.state,
        "results_shown": p.results_shown,
        "counts": if with_counts { json!(p.counts) } else { Value::Null },
        "voters": if with_counts { json!(p.voters) } else { Value::Null },
    })
}

fn live(kind: &'static str, audience: Audience, data: Value) -> NewLiveEvent {
    NewLiveEvent {
        kind,
        audience,
        data: data.to_string(),
    }
}

/// The live events of a changed question: what the public now sees of it (or that it is
/// gone), and the staff view.
fn question_events(
    before: Option<&Question>,
    after: &Question,
    page: &EventPage,
    public_kind: &'static str,
) -> Vec<NewLiveEvent> {
    let mut out = Vec::new();
    let was_public = before.is_some_and(|b| b.state.is_public());
    if after.state.is_public() {
        let kind = if !was_public {
            live_kind::QUESTION_APPROVED
        } else {
            public_kind
        };
        out.push(live(
            kind,
            Audience::Public,
            question_json(after, false, page),
        ));
    } else if was_public {
        out.push(live(
            live_kind::QUESTION_REMOVED,
            Audience::Public,
            json!({ "id": after.id, "merged_into": after.merged_into }),
        ));
    }
    out.push(live(
        live_kind::QUESTION_UPDATED,
        Audience::Staff,
        question_json(after, true, page),
    ));
    out
}

fn poll_events(p: &Poll, kind: &'static str) -> Vec<NewLiveEvent> {
    let mut out = Vec::new();
    if p.state != PollState::Draft {
        out.push(live(kind, Audience::Public, poll_json(p, p.results_shown)));
    }
    out.push(live(
        live_kind::POLL_RESULTS,
        Audience::Staff,
        poll_json(p, true),
    ));
    out
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

impl App {
    /// Counts one vote (on a question or a poll) of a participant against the limit.
    fn count_vote(&self, participant: ParticipantId) -> AppResult<()> {
        self.limiter
            .hit(
                &format!("vote:{participant}"),
                Limit {
                    max: self.config.votes_per_minute,
                    window: Duration::from_secs(60),
                },
            )
            .map_err(|retry_after| AppError::RateLimited { retry_after })
    }

    async fn event_of(&self, principal: &Principal, slug: &str) -> AppResult<Arc<EventPage>> {
        self.event_page(principal, slug).await
    }

    /// The page of an event for a staff member of its agency (drafts included).
    async fn staff_page(&self, staff: &StaffMember, event: EventId) -> AppResult<Arc<EventPage>> {
        let e = self.store.event(event).await?.ok_or(AppError::NotFound)?;
        if e.agency_id != staff.agency_id {
            return Err(AppError::NotFound);
        }
        self.event_page(&Principal::Staff(staff.clone()), &e.slug)
            .await
    }

    /// A question and its event's page, for someone allowed to see it: staff of the
    /// agency, the asker, or anyone when it is public.
    async fn visible_question(
        &self,
        principal: &Principal,
        id: QuestionId,
    ) -> AppResult<(Question, Arc<EventPage>)> {
        let q = self.store.question(id).await?.ok_or(AppError::NotFound)?;
        let e = self
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
        let page = self.event_page(principal, &e.slug).await?;
        Ok((q, page))
    }

    /// A participant's own questions that others do not see (waiting or dismissed): the
    /// asker sees them, with their state, next to the public ones.
    async fn unpublished_own(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> AppResult<Vec<Question>> {
        Ok(self
            .store
            .questions(&QuestionFilter {
                event: Some(event),
                participant: Some(participant),
                states: vec![QuestionState::Pending, QuestionState::Dismissed],
                ..Default::default()
            })
            .await?)
    }

    fn is_staff_of(&self, principal: &Principal, page: &EventPage) -> bool {
        principal.staff_of(page.event.agency_id).is_some()
    }

    /// The live page: the session on now, questions, polls, and the reader's own votes.
    pub async fn live_view(&self, principal: &Principal, slug: &str) -> AppResult<LiveView> {
        let page = self.event_of(principal, slug).await?;
        let event = page.event.id;
        let staff = self.is_staff_of(principal, &page);
        let participant = match principal {
            Principal::Participant(p) if p.event_id == event => Some(p.clone()),
            _ => None,
        };
        // Read the log's position first: whatever changes after it reaches the page's
        // stream, which resumes from here.
        let state = self.store.live_state(event).await?;
        let mut questions = self
            .store
            .questions(&QuestionFilter {
                event: Some(event),
                states: vec![QuestionState::Approved, QuestionState::Answered],
                ..Default::default()
            })
            .await?;
        let (voted, my_choices) = match &participant {
            Some(p) => {
                questions.extend(self.unpublished_own(event, p.participant_id).await?);
                (
                    self.store.voted_questions(event, p.participant_id).await?,
                    self.store.poll_choices(event, p.participant_id).await?,
                )
            }
            None => (Vec::new(), Vec::new()),
        };
        let polls = self
            .store
            .polls(event)
            .await?
            .into_iter()
            .filter(|p| p.state != PollState::Draft || staff)
            .collect();
        Ok(LiveView {
            state,
            page,
            questions,
            voted,
            polls,
            my_choices,
            participant,
            staff,
        })
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
        reader_lang: Lang,
    ) -> AppResult<(Question, Arc<EventPage>)> {
        let page = self.event_of(principal, slug).await?;
        let access = match principal {
            Principal::Participant(p) if p.event_id == page.event.id => p,
            Principal::Participant(_) => return Err(AppError::NotFound),
            Principal::Staff(_) => return Err(AppError::Forbidden),
            Principal::Anonymous => return Err(AppError::Unauthenticated),
        };
        self.limiter
            .hit(
                &format!("question:{}", access.participant_id),
                Limit {
                    max: self.config.questions_per_minute,
                    window: Duration::from_secs(60),
                },
            )
            .map_err(|retry_after| AppError::RateLimited { retry_after })?;
        let new = input.validate(reader_lang)?;
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
        let registration = self
            .store
            .registration(access.registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let answered = self
            .store
            .questions(&QuestionFilter {
                event: Some(page.event.id),
                states: vec![QuestionState::Answered],
                ..Default::default()
            })
            .await?;
        let suggestion =
            suggest::suggest(&new.text, &profiles(&page, &answered, new.lang), asked_in);
        let draft = QuestionDraft {
            event: page.event.id,
            participant: access.participant_id,
            author_name: registration.name.clone(),
            author_company: registration.company.name.clone(),
            question: new,
            suggested_department: suggestion.as_ref().map(|s| s.department),
            suggestion_reason: suggestion.as_ref().map(|s| s.reason()),
        };
        let live_page = page.clone();
        let q = self
            .store
            .create_question(&draft, &move |q| {
                vec![live(
                    live_kind::QUESTION_SUBMITTED,
                    Audience::Staff,
                    question_json(q, true, &live_page),
                )]
            })
            .await?;
        self.live.signal(page.event.id, None).await;
        Ok((q, page))
    }

    /// Questions of an event: public ones for everyone, a participant's own too, and all
    /// of them with their moderation state for the agency's staff.
    pub async fn event_questions(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<(Vec<Question>, Arc<EventPage>, bool)> {
        let page = self.event_of(principal, slug).await?;
        let staff = self.is_staff_of(principal, &page);
        let mut filter = QuestionFilter {
            event: Some(page.event.id),
            ..Default::default()
        };
        if !staff {
            filter.states = vec![QuestionState::Approved, QuestionState::Answered];
        }
        let mut questions = self.store.questions(&filter).await?;
        if let Principal::Participant(p) = principal {
            if !staff && p.event_id == page.event.id {
                questions.extend(
                    self.unpublished_own(page.event.id, p.participant_id)
                        .await?,
                );
                questions.sort_by_key(|q| (q.created_at, q.id));
            }
        }
        Ok((questions, page, staff))
    }

    /// One question, as the caller may see it.
    pub async fn question(
        &self,
        principal: &Principal,
        id: QuestionId,
    ) -> AppResult<(Question, Arc<EventPage>, bool)> {
        let (q, page) = self.visible_question(principal, id).await?;
        let staff = self.is_staff_of(principal, &page);
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
        let access = match principal {
            Principal::Participant(p) => p.clone(),
            Principal::Staff(_) => return Err(AppError::Forbidden),
            Principal::Anonymous => return Err(AppError::Unauthenticated),
        };
        let q = self.store.question(id).await?.ok_or(AppError::NotFound)?;
        if q.event_id != access.event_id || !q.state.is_public() {
            return Err(AppError::NotFound);
        }
        self.count_vote(access.participant_id)?;
        self.votes
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
        let staff = match principal {
            Principal::Staff(s) => s,
            Principal::Anonymous => return Err(AppError::Unauthenticated),
            Principal::Participant(_) => return Err(AppError::Forbidden),
        };
        let q = self.store.question(id).await?.ok_or(AppError::NotFound)?;
        let page = self.staff_page(staff, q.event_id).await?;
        if !may_moderate(staff) {
            return Err(AppError::Forbidden);
        }
        let action = input.validate()?;
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
                    .store
                    .question(*into)
                    .await?
                    .filter(|t| can_receive_merge(t, &q))
                    .ok_or_else(|| AppError::invalid("into", "unknown_choice"))?;
                let live_page = page.clone();
                let target_before = target.clone();
                let source_after = Question {
                    merged_into: Some(target.id),
                    ..changed.clone()
                };
                self.store
                    .merge_question(&changed, target.id, &move |t| {
                        let mut events = question_events(
                            Some(&before),
                            &source_after,
                            &live_page,
                            live_kind::QUESTION_UPDATED,
                        );
                        events.extend(question_events(
                            Some(&target_before),
                            t,
                            &live_page,
                            live_kind::QUESTION_UPDATED,
                        ));
                        events
                    })
                    .await?;
                // The moderator gets the merged question back, now pointing at its target.
                self.store.question(id).await?.ok_or(AppError::NotFound)?
            }
            _ => {
                let live_page = page.clone();
                let pin_change = match action {
                    Moderation::Pin => Some(Some(q.id)),
                    Moderation::Unpin if q.pinned => Some(None),
                    Moderation::Dismiss { .. } if q.pinned => Some(None),
                    _ => None,
                };
                self.store
                    .save_question(&changed, &move |after| {
                        let mut events = question_events(
                            Some(&before),
                            after,
                            &live_page,
                            live_kind::QUESTION_UPDATED,
                        );
                        if let Some(pinned) = pin_change {
                            events.push(live(
                                live_kind::QUESTION_PINNED,
                                Audience::Public,
                                json!({ "id": pinned }),
                            ));
                        }
                        events
                    })
                    .await
                    .map_err(|e| match e {
                        StoreError::Conflict(_) => AppError::Conflict("stale"),
                        other => other.into(),
                    })?
            }
        };
        self.live.signal(q.event_id, None).await;
        Ok((saved, page))
    }

    /// An official answers a question routed to their department (organisers may answer
    /// any), in writing or by marking it answered live. A written answer that arrives
    /// after the event is emailed to the asker.
    pub async fn answer(
        &self,
        principal: &Principal,
        id: QuestionId,
        input: &AnswerInput,
        reader_lang: Lang,
    ) -> AppResult<(Question, Arc<EventPage>)> {
        let staff = match principal {
            Principal::Staff(s) => s,
            Principal::Anonymous => return Err(AppError::Unauthenticated),
            Principal::Participant(_) => return Err(AppError::Forbidden),
        };
        let q = self.store.question(id).await?.ok_or(AppError::NotFound)?;
        let page = self.staff_page(staff, q.event_id).await?;
        let department = match staff.role {
            Role::Organiser => q.department_id,
            Role::Official
                if staff.department_id.is_some() && staff.department_id == q.department_id =>
            {
                staff.department_id
            }
            _ => return Err(AppError::Forbidden),
        };
        let new = input.validate(reader_lang)?;
        if !can_be_answered(&q) {
            return Err(AppError::Conflict("wrong_state"));
        }
        let mut changed = q.clone();
        changed.state = QuestionState::Answered;
        changed.version += 1;
        let email = if !new.live && Utc::now() > page.event.ends_at {
            self.answer_email(&page, &q, &new).await?
        } else {
            None
        };
        let status = self.outbox.initial_status();
        let draft = AnswerDraft {
            answer: new,
            author: staff.id,
            author_name: staff.display_name.clone(),
            department,
        };
        let live_page = page.clone();
        let before = q.clone();
        let saved = self
            .store
            .add_answer(
                &changed,
                &draft,
                email.as_ref().map(|m| (m, status, page.event.agency_id)),
                &move |after| {
                    question_events(
                        Some(&before),
                        after,
                        &live_page,
                        live_kind::QUESTION_ANSWERED,
                    )
                },
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::Conflict("stale"),
                other => other.into(),
            })?;
        if email.is_some() {
            self.outbox.wake();
        }
        self.live.signal(q.event_id, None).await;
        Ok((saved, page))
    }

    /// The email telling an asker that their question has a written answer.
    async fn answer_email(
        &self,
        page: &EventPage,
        q: &Question,
        answer: &NewAnswer,
    ) -> AppResult<Option<EmailMessage>> {
        let registrations = self
            .store
            .registrations(page.event.id, &RegistrationFilter::default())
            .await?;
        let Some(r) = registrations
            .iter()
            .find(|r| r.participant_id == q.participant_id)
        else {
            return Ok(None);
        };
        let lang = r.language;
        let arg = |v: &str| ArgValue::Text(v.to_string());
        let title = page.event.title.get(lang).to_string();
        let department = page
            .department(q.department_id)
            .map(|d| d.name.get(lang).to_string())
            .unwrap_or_default();
        let mut body = String::new();
        body.push_str(&t_with(lang, "email-greeting", &[("name", arg(&r.name))]));
        body.push_str("\n\n");
        body.push_str(&t_with(
            lang,
            "email-answer-intro",
            &[("event", arg(&title)), ("department", arg(&department))],
        ));
        body.push_str("\n\n");
        body.push_str(&t(lang, "email-answer-question"));
        body.push('\n');
        for line in q.text.lines() {
            body.push_str("> ");
            body.push_str(line);
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&t(lang, "email-answer-answer"));
        body.push('\n');
        body.push_str(&answer.body);
        body.push_str("\n\n");
        body.push_str(&t(lang, "email-answer-link"));
        body.push_str(&format!(
            "\n{}/events/{}/live\n\n",
            self.config.base_url, page.event.slug
        ));
        body.push_str(page.agency.name.get(lang));
        body.push('\n');
        Ok(Some(EmailMessage {
            to: r.email.clone(),
            subject: t_with(lang, "email-subject-answer", &[("event", arg(&title))]),
            body_text: body,
            attachments: Vec::new(),
        }))
    }

    /// Questions routed to the official's department (for organisers: every routed
    /// question of the agency) that are approved or answered, with their deadlines.
    pub async fn assignments(&self, principal: &Principal) -> AppResult<Vec<Assignment>> {
        let staff = match principal {
            Principal::Staff(s) if matches!(s.role, Role::Official | Role::Organiser) => s,
            Principal::Anonymous => return Err(AppError::Unauthenticated),
            _ => return Err(AppError::Forbidden),
        };
        let mut filter = QuestionFilter {
            agency: Some(staff.agency_id),
            states: vec![QuestionState::Approved, QuestionState::Answered],
            ..Default::default()
        };
        if staff.role == Role::Official {
            match staff.department_id {
                Some(d) => filter.department = Some(d),
                None => return Ok(Vec::new()),
            }
        }
        let questions = self.store.questions(&filter).await?;
        let now = Utc::now();
        let mut out = Vec::new();
        let mut events: Vec<(Event, LiveState)> = Vec::new();
        for q in questions.into_iter().filter(|q| q.department_id.is_some()) {
            if !events.iter().any(|(e, _)| e.id == q.event_id) {
                let Some(e) = self.store.event(q.event_id).await? else {
                    continue;
                };
                let state = self.store.live_state(e.id).await?;
                events.push((e, state));
            }
            let Some((event, state)) = events.iter().find(|(e, _)| e.id == q.event_id) else {
                continue;
            };
            let due = answer_deadline(event.ends_at, event.zone(), state.answer_working_days);
            out.push(Assignment {
                overdue: !q.is_answered() && now > due,
                due,
                event: event.clone(),
                question: q,
            });
        }
        // Unanswered first, the most urgent first.
        out.sort_by_key(|a| (a.question.is_answered(), a.due, a.question.id));
        Ok(out)
    }

    /// The moderator's console for an event.
    pub async fn console(&self, principal: &Principal, slug: &str) -> AppResult<Console> {
        let page = self.event_of(principal, slug).await?;
        match principal.staff_of(page.event.agency_id) {
            Some(s) if may_moderate(s) => {}
            Some(_) => return Err(AppError::Forbidden),
            None => return Err(not_staff(principal)),
        }
        let event = page.event.id;
        // The position first, as for the live page.
        let state = self.store.live_state(event).await?;
        Ok(Console {
            questions: self
                .store
                .questions(&QuestionFilter {
                    event: Some(event),
                    ..Default::default()
                })
                .await?,
            polls: self.store.polls(event).await?,
            state,
            page,
        })
    }

    /// The page of an event for someone who may run its exchange (moderators and
    /// organisers of the agency).
    async fn moderator_page(&self, principal: &Principal, slug: &str) -> AppResult<Arc<EventPage>> {
        let page = self.event_of(principal, slug).await?;
        match principal.staff_of(page.event.agency_id) {
            Some(s) if may_moderate(s) => Ok(page),
            Some(_) => Err(AppError::Forbidden),
            None => Err(not_staff(principal)),
        }
    }

    /// Marks the session on now (or none), for everyone following live.
    pub async fn set_current_session(
        &self,
        principal: &Principal,
        slug: &str,
        session: Option<SessionId>,
    ) -> AppResult<LiveState> {
        let page = self.moderator_page(principal, slug).await?;
        if let Some(id) = session {
            if !page.sessions.iter().any(|s| s.id == id) {
                return Err(AppError::invalid("session", "unknown_choice"));
            }
        }
        let state = self
            .store
            .set_current_session(
                page.event.id,
                session,
                live(
                    live_kind::SESSION_CHANGED,
                    Audience::Public,
                    json!({ "session": session }),
                ),
            )
            .await?;
        self.live.signal(page.event.id, None).await;
        Ok(state)
    }

    /// Polls of an event: drafts only for its moderators and organisers; counts only when
    /// shown, or for them.
    pub async fn polls(&self, principal: &Principal, slug: &str) -> AppResult<(Vec<Poll>, bool)> {
        let page = self.event_of(principal, slug).await?;
        let staff = principal
            .staff_of(page.event.agency_id)
            .is_some_and(may_moderate);
        let polls = self
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
        let page = self.moderator_page(principal, slug).await?;
        let new = input.validate()?;
        if let Some(id) = new.session_id {
            if !page.sessions.iter().any(|s| s.id == id) {
                return Err(AppError::invalid("session_id", "unknown_choice"));
            }
        }
        let poll = self
            .store
            .create_poll(page.event.id, &new, &|p| {
                poll_events(p, live_kind::POLL_OPENED)
            })
            .await?;
        self.live.signal(page.event.id, None).await;
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
        let poll = self.store.poll(id).await?.ok_or(AppError::NotFound)?;
        let e = self
            .store
            .event(poll.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.moderator_page(principal, &e.slug).await?;
        let (state, shown, kind) = match action {
            "open" => (PollState::Open, poll.results_shown, live_kind::POLL_OPENED),
            "close" => (
                PollState::Closed,
                poll.results_shown,
                live_kind::POLL_CLOSED,
            ),
            "show_results" if poll.state != PollState::Draft => {
                (poll.state, true, live_kind::POLL_RESULTS)
            }
            "hide_results" => (poll.state, false, live_kind::POLL_RESULTS),
            "show_results" => return Err(AppError::Conflict("wrong_state")),
            _ => return Err(AppError::invalid("action", "unknown_choice")),
        };
        let poll = self
            .store
            .set_poll_state(id, state, shown, &move |p| poll_events(p, kind))
            .await?;
        self.live.signal(poll.event_id, None).await;
        Ok(poll)
    }

    /// A participant answers an open poll of their event (again to change the answer).
    pub async fn vote_poll(
        &self,
        principal: &Principal,
        id: PollId,
        choices: &[usize],
    ) -> AppResult<Poll> {
        let access = match principal {
            Principal::Participant(p) => p.clone(),
            Principal::Staff(_) => return Err(AppError::Forbidden),
            Principal::Anonymous => return Err(AppError::Unauthenticated),
        };
        let poll = self.store.poll(id).await?.ok_or(AppError::NotFound)?;
        if poll.event_id != access.event_id || poll.state == PollState::Draft {
            return Err(AppError::NotFound);
        }
        self.count_vote(access.participant_id)?;
        let choices = check_poll_choices(&poll, choices)?;
        let poll = self
            .store
            .vote_poll(id, access.participant_id, &choices, &|p| {
                poll_events(p, live_kind::POLL_RESULTS)
                    .into_iter()
                    // Live counts go to everyone only when shown.
                    .filter(|e| e.audience == Audience::Staff || p.results_shown)
                    .collect()
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::Invalid(vec![roadshow_domain::FieldError {
                    field: "poll".into(),
                    code: "poll_not_open",
                    limit: None,
                }]),
                other => other.into(),
            })?;
        self.live.signal(poll.event_id, None).await;
        Ok(poll)
    }

    /// The organiser's settings for written answers and the FAQ.
    pub async fn set_answer_settings(
        &self,
        principal: &Principal,
        slug: &str,
        working_days: Option<i64>,
        faq_published: bool,
    ) -> AppResult<LiveState> {
        let event = self.event_for_organiser(principal, slug).await?;
        let days = match working_days {
            Some(d) if (0..=60).contains(&d) => d as u32,
            Some(_) => {
                return Err(AppError::Invalid(vec![roadshow_domain::FieldError {
                    field: "answer_working_days".into(),
                    code: "out_of_range",
                    limit: Some(60),
                }]));
            }
            None => self.store.live_state(event.id).await?.answer_working_days,
        };
        Ok(self
            .store
            .set_answer_settings(event.id, days, faq_published)
            .await?)
    }

    /// The FAQ of an event: public once published; the agency's staff can preview it.
    pub async fn faq(&self, principal: &Principal, slug: &str) -> AppResult<Faq> {
        let page = self.event_of(principal, slug).await?;
        let state = self.store.live_state(page.event.id).await?;
        if state.faq_published_at.is_none() && !self.is_staff_of(principal, &page) {
            return Err(AppError::NotFound);
        }
        let answered = self
            .store
            .questions(&QuestionFilter {
                event: Some(page.event.id),
                states: vec![QuestionState::Answered],
                ..Default::default()
            })
            .await?;
        let mut groups: Vec<FaqGroup> = Vec::new();
        let departments: Vec<Option<Department>> = page
            .departments
            .iter()
            .cloned()
            .map(Some)
            .chain(std::iter::once(None))
            .collect();
        for d in departments {
            let id = d.as_ref().map(|d| d.id);
            let mine: Vec<&Question> = answered.iter().filter(|q| q.department_id == id).collect();
            if mine.is_empty() {
                continue;
            }
            let mut topics: Vec<(Option<Session>, Vec<Question>)> = Vec::new();
            let sessions: Vec<Option<&Session>> = page
                .sessions
                .iter()
                .map(Some)
                .chain(std::iter::once(None))
                .collect();
            for s in sessions {
                let sid = s.map(|s| s.id);
                let mut qs: Vec<Question> = mine
                    .iter()
                    .filter(|q| q.session_id == sid)
                    .map(|q| (*q).clone())
                    .collect();
                if qs.is_empty() {
                    continue;
                }
                qs.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.id.cmp(&b.id)));
                topics.push((s.cloned(), qs));
            }
            groups.push(FaqGroup {
                department: d,
                topics,
            });
        }
        Ok(Faq {
            page,
            published_at: state.faq_published_at,
            groups,
        })
    }

    /// Questions and answers as CSV for the agency's moderators and organisers: one row
    /// per answer (or per question without one), safe to open in a spreadsheet.
    pub async fn questions_csv(
        &self,
        principal: &Principal,
        slug: &str,
        lang: Lang,
    ) -> AppResult<String> {
        let page = self.moderator_page(principal, slug).await?;
        let questions = self
            .store
            .questions(&QuestionFilter {
                event: Some(page.event.id),
                ..Default::default()
            })
            .await?;
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let header = [
            "csv-question-id",
            "csv-asked-at",
            "csv-state",
            "csv-session",
            "csv-department",
            "csv-author",
            "csv-company",
            "csv-anonymous",
            "csv-question-lang",
            "csv-question",
            "csv-original",
            "csv-votes",
            "csv-answer",
            "csv-answered-live",
            "csv-answered-by",
            "csv-answered-at",
        ]
        .map(|k| t(lang, k));
        let failed = |e: csv::Error| AppError::Internal(e.to_string());
        w.write_record(&header).map_err(failed)?;
        for q in &questions {
            let session = page
                .sessions
                .iter()
                .find(|s| Some(s.id) == q.session_id)
                .map(|s| s.title.get(lang).to_string())
                .unwrap_or_default();
            let department = page
                .department(q.department_id)
                .map(|d| d.name.get(lang).to_string())
                .unwrap_or_default();
            let base = vec![
                q.id.to_string(),
                q.created_at.to_rfc3339(),
                t(lang, &format!("qstate-{}", q.state.code())),
                session,
                department,
                q.author_name.clone(),
                q.author_company.clone(),
                if q.anonymous { "1" } else { "0" }.to_string(),
                q.lang.code().to_string(),
                q.text.clone(),
                q.original_text.clone().unwrap_or_default(),
                q.votes.to_string(),
            ];
            let rows: Vec<Vec<String>> = if q.answers.is_empty() {
                vec![vec![String::new(); 4]]
            } else {
                q.answers
                    .iter()
                    .map(|a| {
                        vec![
                            a.body.clone(),
                            if a.live { "1" } else { "0" }.to_string(),
                            a.author_name.clone(),
                            a.created_at.to_rfc3339(),
                        ]
                    })
                    .collect()
            };
            for tail in rows {
                let record: Vec<String> = base
                    .iter()
                    .chain(tail.iter())
                    .map(|c| spreadsheet_safe(c))
                    .collect();
                w.write_record(&record).map_err(failed)?;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let mut out = String::from("\u{feff}");
        out.push_str(&String::from_utf8_lossy(&bytes));
        Ok(out)
    }

    /// A participant's own questions in the event of their registration, in any state,
    /// with their answers (for their personal page).
    pub async fn own_questions(&self, registration: &Registration) -> AppResult<Vec<Question>> {
        Ok(self
            .store
            .questions(&QuestionFilter {
                event: Some(registration.event_id),
                participant: Some(registration.participant_id),
                ..Default::default()
            })
            .await?)
    }

    /// The event a live stream follows, and whether the follower gets the staff view.
    pub async fn live_stream_access(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<(EventId, bool)> {
        let page = self.event_of(principal, slug).await?;
        Ok((page.event.id, self.is_staff_of(principal, &page)))
    }
}
