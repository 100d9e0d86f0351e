//! Answers: officials answer in writing or live; deadlines, the officials' queue and the
//! FAQ.

use super::*;
use crate::links;
use roadshow_domain::paging::{Page, PageRequest};
use roadshow_domain::questions::ANSWER_WORKING_DAYS_MAX;

/// A question an official is asked to answer, with its deadline.
pub struct Assignment {
    pub question: Question,
    pub event: Event,
    pub due: DateTime<Utc>,
    pub overdue: bool,
}

/// The answering console's lists (see [`Questions::answering_console`]).
pub struct AnsweringConsole {
    pub open: Vec<Assignment>,
    /// More questions are waiting than `open` holds.
    pub more: bool,
    /// The latest answered, newest first.
    pub answered: Vec<Assignment>,
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

impl Questions<'_> {
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
        let staff = principal.as_staff()?;
        let q = self
            .app
            .store
            .question(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let page = self.app.staff_page(staff, q.event_id).await?;
        let department = match staff.role {
            Role::Organiser => q.department_id,
            Role::Official
                if staff.department_id.is_some() && staff.department_id == q.department_id =>
            {
                staff.department_id
            }
            _ => return Err(AppError::Forbidden),
        };
        let new = input.parse(reader_lang)?;
        if !can_be_answered(&q) {
            return Err(AppError::Conflict("wrong_state"));
        }
        if q.answers.len() >= roadshow_domain::questions::ANSWERS_PER_QUESTION {
            return Err(AppError::Conflict("too_many_answers"));
        }
        let mut changed = q.clone();
        changed.state = QuestionState::Answered;
        changed.version += 1;
        let email = if !new.live && Utc::now() > page.event.ends_at {
            self.answer_email(&page, &q, &new).await?
        } else {
            None
        };
        let status = self.app.sender.initial_status();
        let draft = NewAnswer {
            answer: new,
            author: staff.id,
            author_name: staff.display_name.clone(),
            department,
        };
        let saved = self
            .app
            .store
            .add_answer(
                &changed,
                &draft,
                email.as_ref().map(|m| (m, status, page.event.agency_id)),
                &QuestionLive::Changed {
                    before: Box::new(q.clone()),
                    public_kind: LiveKind::QuestionAnswered,
                    pinned: None,
                },
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::Conflict("stale"),
                other => other.into(),
            })?;
        if email.is_some() {
            self.app.sender.wake();
        }
        self.app.live.signal(q.event_id, None).await;
        self.app
            .signals()
            .record(
                q.participant_id,
                q.event_id,
                roadshow_domain::signals::SignalKind::Answered,
                q.id.0,
                0,
            )
            .await;
        Ok((saved, page))
    }

    /// The email telling an asker that their question has a written answer.
    async fn answer_email(
        &self,
        page: &EventPage,
        q: &Question,
        answer: &AnswerDraft,
    ) -> AppResult<Option<EmailMessage>> {
        let asker = RegistrationFilter {
            participant: Some(q.participant_id),
            limit: Some(1),
            ..Default::default()
        };
        let registrations = self.app.store.registrations(page.event.id, &asker).await?;
        let Some(r) = registrations.first() else {
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
            "\n{}\n\n",
            links::event_live(&self.app.config.base_url, &page.event.slug)
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

    /// The routed questions `principal` answers: an official's department's, or every
    /// routed question of the agency for an organiser; `None` for an official with no
    /// department (who answers nothing).
    fn assignment_filter(
        principal: &Principal,
        states: Vec<QuestionState>,
    ) -> AppResult<Option<QuestionFilter>> {
        let staff = principal.as_official_or_organiser()?;
        let mut filter = QuestionFilter {
            agency: Some(staff.agency_id),
            states,
            routed: true,
            ..Default::default()
        };
        if staff.role == Role::Official {
            match staff.department_id {
                Some(d) => filter.department = Some(d),
                None => return Ok(None),
            }
        }
        Ok(Some(filter))
    }

    /// Each question with its event and answer deadline (events read once each).
    async fn with_deadlines(&self, questions: Vec<Question>) -> AppResult<Vec<Assignment>> {
        let now = Utc::now();
        let mut out = Vec::with_capacity(questions.len());
        let mut events: Vec<(Event, LiveState)> = Vec::new();
        for q in questions {
            if !events.iter().any(|(e, _)| e.id == q.event_id) {
                let Some(e) = self.app.store.event(q.event_id).await? else {
                    continue;
                };
                let state = self.app.store.live_state(e.id).await?;
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
        Ok(out)
    }

    /// One of the questions `principal` answers (as [`Self::assignments`] lists them),
    /// with its deadline; not found when it is not theirs to answer.
    pub async fn assignment(&self, principal: &Principal, id: QuestionId) -> AppResult<Assignment> {
        let filter = Self::assignment_filter(
            principal,
            vec![QuestionState::Approved, QuestionState::Answered],
        )?
        .ok_or(AppError::NotFound)?;
        let question = self
            .app
            .store
            .question(id)
            .await?
            .filter(|q| {
                filter.states.contains(&q.state)
                    && q.department_id.is_some()
                    && filter.department.is_none_or(|d| q.department_id == Some(d))
            })
            .ok_or(AppError::NotFound)?;
        self.with_deadlines(vec![question])
            .await?
            .pop()
            .filter(|a| Some(a.event.agency_id) == filter.agency)
            .ok_or(AppError::NotFound)
    }

    /// A page of the questions routed to the official's department (for organisers: every
    /// routed question of the agency), approved or answered — or only those still to
    /// answer (`answered` false) or answered (true) — in the order they were asked, with
    /// their deadlines.
    pub async fn assignments(
        &self,
        principal: &Principal,
        answered: Option<bool>,
        page: PageRequest,
    ) -> AppResult<Page<Assignment>> {
        let states = match answered {
            None => vec![QuestionState::Approved, QuestionState::Answered],
            Some(false) => vec![QuestionState::Approved],
            Some(true) => vec![QuestionState::Answered],
        };
        let Some(mut filter) = Self::assignment_filter(principal, states)? else {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            });
        };
        filter.after = page.after.map(QuestionId);
        filter.limit = Some(page.fetch());
        let questions = self.app.store.questions(&filter).await?;
        let listed = page.split(questions, |q| q.id.0);
        Ok(Page {
            items: self.with_deadlines(listed.items).await?,
            next: listed.next,
        })
    }

    /// What the answering console shows, bounded however long the agency has been
    /// answering: the questions still to answer, the most urgent first (at most
    /// `open_max` of the oldest; `more` says whether there are others), and the
    /// `answered_max` answered most recently.
    pub async fn answering_console(
        &self,
        principal: &Principal,
        open_max: usize,
        answered_max: usize,
    ) -> AppResult<AnsweringConsole> {
        let read = |states: Vec<QuestionState>, limit: usize, newest: bool| async move {
            match Self::assignment_filter(principal, states)? {
                Some(filter) => Ok::<_, AppError>(
                    self.app
                        .store
                        .questions(&QuestionFilter {
                            limit: Some(limit),
                            newest,
                            ..filter
                        })
                        .await?,
                ),
                None => Ok(Vec::new()),
            }
        };
        let mut open = read(vec![QuestionState::Approved], open_max + 1, false).await?;
        let more = open.len() > open_max;
        open.truncate(open_max);
        let answered = read(vec![QuestionState::Answered], answered_max, true).await?;
        let mut open = self.with_deadlines(open).await?;
        // The most urgent first.
        open.sort_by_key(|a| (a.due, a.question.id));
        Ok(AnsweringConsole {
            open,
            more,
            answered: self.with_deadlines(answered).await?,
        })
    }

    /// The organiser's settings for written answers and the FAQ.
    pub async fn set_answer_settings(
        &self,
        principal: &Principal,
        slug: &str,
        working_days: Option<i64>,
        faq_published: bool,
    ) -> AppResult<LiveState> {
        let event = self
            .app
            .events()
            .event_for_organiser(principal, slug)
            .await?;
        let days = match working_days {
            Some(d) if (0..=ANSWER_WORKING_DAYS_MAX).contains(&d) => d as u32,
            Some(_) => {
                return Err(AppError::Invalid(vec![
                    roadshow_domain::FieldError::limited(
                        "answer_working_days",
                        "out_of_range",
                        ANSWER_WORKING_DAYS_MAX as usize,
                    ),
                ]));
            }
            None => {
                self.app
                    .store
                    .live_state(event.id)
                    .await?
                    .answer_working_days
            }
        };
        Ok(self
            .app
            .store
            .set_answer_settings(event.id, days, faq_published)
            .await?)
    }

    /// The FAQ of an event: public once published; the agency's staff can preview it.
    pub async fn faq(&self, principal: &Principal, slug: &str) -> AppResult<Faq> {
        let page = self.app.event_of(principal, slug).await?;
        let state = self.app.store.live_state(page.event.id).await?;
        if state.faq_published_at.is_none() && !self.app.is_staff_of(principal, &page) {
            return Err(AppError::NotFound);
        }
        let answered = self
            .app
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

    /// A participant's own questions in the event of their registration, in any state,
    /// with their answers (for their personal page).
    pub async fn own_questions(&self, registration: &Registration) -> AppResult<Vec<Question>> {
        Ok(self
            .app
            .store
            .questions(&QuestionFilter {
                event: Some(registration.event_id),
                participant: Some(registration.participant_id),
                ..Default::default()
            })
            .await?)
    }
}
