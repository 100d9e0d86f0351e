//! The intent survey: the organiser words it and sets its times; when the event ends (or
//! at the set time) every participant gets an email in their language with a link of
//! their own; one reminder goes to those who have not answered; answers can be changed
//! until the deadline and feed the leads pipeline.

use crate::access::Guards;
use crate::events::EventPage;
use crate::links;
use crate::secrets::{random_secret, secret_hash};
use crate::{App, AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::accounts::ParticipantAccess;
use roadshow_domain::directory::{Park, Policy};
use roadshow_domain::events::Event;
use roadshow_domain::ids::*;
use roadshow_domain::outbox::EmailMessage;
use roadshow_domain::paging::PageRequest;
use roadshow_domain::registrations::{Registration, RegistrationFilter};
use roadshow_domain::signals::SignalKind;
use roadshow_domain::surveys::*;
use roadshow_domain::time::{
    BEIJING, beijing_date, default_zone, format_datetime, utc_offset_label,
};
use roadshow_i18n::{ArgValue, t, t_with};
use std::sync::Arc;

#[derive(Clone, Copy)]
pub struct Surveys<'a> {
    pub(crate) app: &'a App,
}

impl App {
    pub fn surveys(&self) -> Surveys<'_> {
        Surveys { app: self }
    }
}

/// The organiser's view: the survey (if set up), the answers and their counts.
#[derive(Debug, Clone)]
pub struct SurveyAdmin {
    pub page: Arc<EventPage>,
    pub survey: Option<Survey>,
    /// A page of the answers, in the order of their registrations.
    pub responses: Vec<SurveyResponse>,
    /// The cursor of the next page of answers.
    pub next: Option<RegistrationId>,
    /// The registrations of the answers on this page.
    pub registrations: Vec<Registration>,
    /// Participants registered, and answers by interest (of the whole event).
    pub participants: i64,
    pub interest: Vec<(Interest, usize)>,
}

/// What a participant's survey page shows.
#[derive(Debug, Clone)]
pub struct SurveyForm {
    pub page: Arc<EventPage>,
    pub survey: Survey,
    pub registration: Registration,
    pub response: Option<SurveyResponse>,
    pub parks: Vec<Park>,
    pub policies: Vec<Policy>,
    pub open: bool,
}

impl Surveys<'_> {
    /// The organiser's view with a page of the answers.
    pub async fn admin(
        &self,
        principal: &Principal,
        slug: &str,
        request: PageRequest,
    ) -> AppResult<SurveyAdmin> {
        let page = self.app.organiser_page(principal, slug).await?;
        let store = &self.app.store;
        let event = page.event.id;
        let read = store
            .survey_responses(event, request.after.map(RegistrationId), request.fetch())
            .await?;
        let listed = request.split(read, |r| r.registration_id.0);
        let named = RegistrationFilter {
            ids: listed.items.iter().map(|r| r.registration_id).collect(),
            ..Default::default()
        };
        let registrations = match named.ids.is_empty() {
            true => Vec::new(),
            false => store.registrations(event, &named).await?,
        };
        Ok(SurveyAdmin {
            survey: store.survey(event).await?,
            responses: listed.items,
            next: listed.next.map(RegistrationId),
            registrations,
            participants: store.registration_counts(event).await?.total,
            interest: store.survey_interest_counts(event).await?,
            page,
        })
    }

    /// Creates or changes the survey (organisers of the event's agency).
    pub async fn save(
        &self,
        principal: &Principal,
        slug: &str,
        input: &SurveyInput,
    ) -> AppResult<Survey> {
        let page = self.app.organiser_page(principal, slug).await?;
        let draft = input.parse(page.event.zone(), page.event.ends_at)?;
        Ok(self.app.store.save_survey(page.event.id, &draft).await?)
    }

    /// Sends the invitations now, whatever time was set (`Conflict("already_sent")`).
    pub async fn send_now(&self, principal: &Principal, slug: &str) -> AppResult<usize> {
        let page = self.app.organiser_page(principal, slug).await?;
        let survey = self
            .app
            .store
            .survey(page.event.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if survey.sent_at.is_some() {
            return Err(AppError::Conflict("already_sent"));
        }
        self.send(&page.event, &survey, Utc::now())
            .await?
            .ok_or(AppError::Conflict("already_sent"))
    }

    /// Whether participants are offered the survey now: it is open, and it went out or
    /// the event's last session has begun.
    pub async fn offered(&self, page: &EventPage) -> AppResult<bool> {
        let Some(survey) = self.app.store.survey(page.event.id).await? else {
            return Ok(false);
        };
        let now = Utc::now();
        let last = page
            .sessions
            .iter()
            .map(|s| s.starts_at)
            .max()
            .unwrap_or(page.event.ends_at);
        Ok(survey.is_open(now) && (survey.sent_at.is_some() || now >= last))
    }

    /// The survey of an event for one of its participants.
    pub async fn form(&self, principal: &Principal, slug: &str) -> AppResult<SurveyForm> {
        let page = self.app.event_of(principal, slug).await?;
        let access = participant_of(principal, &page.event)?;
        self.form_for(page, access).await
    }

    /// Who a survey link was made for, as a participant of its event.
    pub async fn link_access(&self, token: &str) -> AppResult<(String, Principal)> {
        let (event, registration) = self
            .app
            .store
            .survey_link(&secret_hash(token))
            .await?
            .ok_or(AppError::NotFound)?;
        let r = self
            .app
            .store
            .registration(registration)
            .await?
            .ok_or(AppError::NotFound)?;
        let slug = self
            .app
            .store
            .event(event)
            .await?
            .ok_or(AppError::NotFound)?
            .slug;
        Ok((
            slug,
            Principal::Participant(ParticipantAccess {
                registration_id: r.id,
                participant_id: r.participant_id,
                event_id: event,
            }),
        ))
    }

    async fn form_for(
        &self,
        page: Arc<EventPage>,
        access: &ParticipantAccess,
    ) -> AppResult<SurveyForm> {
        let store = &self.app.store;
        let survey = store
            .survey(page.event.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let registration = store
            .registration(access.registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(SurveyForm {
            open: survey.is_open(Utc::now()),
            response: store
                .survey_response(page.event.id, registration.id)
                .await?,
            parks: store.parks(page.event.agency_id).await?,
            policies: store.policies(page.event.agency_id).await?,
            survey,
            registration,
            page,
        })
    }

    /// Saves a participant's answers (until the deadline); a company "considering" or
    /// more becomes a lead.
    pub async fn answer(
        &self,
        principal: &Principal,
        slug: &str,
        input: &ResponseInput,
    ) -> AppResult<SurveyResponse> {
        let page = self.app.event_of(principal, slug).await?;
        let access = participant_of(principal, &page.event)?;
        let form = self.form_for(page, access).await?;
        if !form.open {
            return Err(AppError::Closed("survey_closed"));
        }
        let parks: Vec<ParkId> = form.parks.iter().map(|p| p.id).collect();
        let policies: Vec<PolicyId> = form.policies.iter().map(|p| p.id).collect();
        let draft = input.parse(&parks, &policies)?;
        let event = form.page.event.id;
        let response = self
            .app
            .store
            .save_survey_response(
                event,
                form.registration.id,
                form.survey.version,
                &draft,
                Utc::now(),
            )
            .await?;
        self.app
            .signals()
            .record(
                access.participant_id,
                event,
                SignalKind::SurveyAnswered,
                event.0,
                draft.interest.level(),
            )
            .await;
        if draft.interest.makes_lead() {
            self.app
                .leads()
                .ensure(
                    response.company_id,
                    &form.registration.company.country,
                    roadshow_domain::leads::LeadSource::Survey,
                    Some(&draft),
                )
                .await?;
        }
        Ok(response)
    }

    /// Sends every survey whose time has come; each once, across processes.
    pub async fn send_due(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let mut sent = 0;
        for event in self.app.store.surveys_to_send(now).await? {
            let Some(e) = self.app.store.event(event).await? else {
                continue;
            };
            let Some(survey) = self.app.store.survey(event).await? else {
                continue;
            };
            sent += self.send(&e, &survey, now).await?.unwrap_or(0);
        }
        Ok(sent)
    }

    /// Writes one invitation per registration; `None` when another process sent it.
    async fn send(
        &self,
        event: &Event,
        survey: &Survey,
        now: DateTime<Utc>,
    ) -> AppResult<Option<usize>> {
        let registrations = self
            .app
            .store
            .registrations(event.id, &RegistrationFilter::default())
            .await?;
        let agency = self
            .app
            .store
            .agency(event.agency_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Only those who agreed to be contacted after the event, and have not withdrawn.
        let participants: Vec<_> = registrations.iter().map(|r| r.participant_id).collect();
        let contactable = self.app.store.contactable(&participants).await?;
        let invitations: Vec<SurveyInvitation> = registrations
            .iter()
            .filter(|r| contactable.contains(&r.participant_id))
            .map(|r| self.invitation(event, survey, r, &agency.name, false))
            .collect();
        let sent = self
            .app
            .store
            .send_survey(
                event.id,
                now,
                &invitations,
                self.app.sender.initial_status(),
            )
            .await?;
        if sent {
            self.app.sender.wake();
        }
        Ok(sent.then_some(invitations.len()))
    }

    /// Sends the one reminder to each invited participant who has not answered after
    /// the survey's reminder days.
    pub async fn send_reminders(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let mut written = 0;
        // What the emails of one event need, read once per sweep.
        let mut events: std::collections::HashMap<
            EventId,
            Option<(Event, Survey, roadshow_domain::Localized)>,
        > = Default::default();
        for due in self.app.store.survey_reminders_due(now).await? {
            if let std::collections::hash_map::Entry::Vacant(slot) = events.entry(due.event_id) {
                let store = &self.app.store;
                let found = match (
                    store.event(due.event_id).await?,
                    store.survey(due.event_id).await?,
                ) {
                    (Some(event), Some(survey)) => {
                        let agency = store
                            .agency(event.agency_id)
                            .await?
                            .ok_or(AppError::NotFound)?;
                        Some((event, survey, agency.name))
                    }
                    _ => None,
                };
                slot.insert(found);
            }
            let (Some(Some((event, survey, agency))), Some(r)) = (
                events.get(&due.event_id),
                self.app.store.registration(due.registration_id).await?,
            ) else {
                continue;
            };
            // A consent withdrawn since the invitation stops the reminder.
            if !self
                .app
                .store
                .contactable(&[r.participant_id])
                .await?
                .contains(&r.participant_id)
            {
                continue;
            }
            let invitation = self.invitation(event, survey, &r, agency, true);
            if self
                .app
                .store
                .remind_survey(&due, now, &invitation, self.app.sender.initial_status())
                .await?
            {
                written += 1;
            }
        }
        if written > 0 {
            self.app.sender.wake();
        }
        Ok(written)
    }

    /// The background duty of every `roadshow serve`: invitations, reminders and task
    /// reminders, every five minutes; claims in the database keep it once across processes.
    pub async fn run_follow_up(&self) {
        loop {
            let now = Utc::now();
            if let Err(err) = self.send_due(now).await {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "sending surveys failed"
                );
            }
            if let Err(err) = self.send_reminders(now).await {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "survey reminders failed"
                );
            }
            if let Err(err) = self.app.reports().send_due(now).await {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "scheduled reports failed"
                );
            }
            if let Err(err) = self
                .app
                .leads()
                .send_task_reminders(now, beijing_date(now))
                .await
            {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "task reminders failed"
                );
            }
            tokio::time::sleep(std::time::Duration::from_secs(300)).await;
        }
    }

    /// A participant's email with a link of their own, in their language.
    fn invitation(
        &self,
        event: &Event,
        survey: &Survey,
        r: &Registration,
        agency: &roadshow_domain::Localized,
        reminder: bool,
    ) -> SurveyInvitation {
        let token = random_secret();
        SurveyInvitation {
            registration_id: r.id,
            token_hash: secret_hash(&token),
            email: survey_email(
                event,
                survey,
                r,
                agency,
                &token,
                &self.app.config.base_url,
                reminder,
            ),
        }
    }
}

fn participant_of<'p>(principal: &'p Principal, event: &Event) -> AppResult<&'p ParticipantAccess> {
    principal.as_participant_of(event.id)
}

fn survey_email(
    event: &Event,
    survey: &Survey,
    r: &Registration,
    agency: &roadshow_domain::Localized,
    token: &str,
    base: &str,
    reminder: bool,
) -> EmailMessage {
    let lang = r.language;
    let arg = |v: &str| ArgValue::Text(v.to_string());
    let title = event.title.get(lang).to_string();
    let zone = default_zone(lang);
    let mut body = t_with(lang, "email-greeting", &[("name", arg(&r.name))]);
    body.push_str("\n\n");
    let key = if reminder {
        "survey-email-reminder"
    } else {
        "survey-email-intro"
    };
    body.push_str(&t_with(lang, key, &[("event", arg(&title))]));
    body.push_str("\n\n");
    let intro = survey.intro.get(lang);
    if !intro.is_empty() {
        body.push_str(intro);
        body.push_str("\n\n");
    }
    body.push_str(&format!("{}\n\n", links::survey(base, token)));
    body.push_str(&format!(
        "{}: {} ({} {})",
        t(lang, "survey-deadline"),
        format_datetime(survey.deadline, BEIJING, lang),
        t(lang, "time-beijing"),
        utc_offset_label(survey.deadline, BEIJING)
    ));
    if zone != BEIJING {
        body.push_str(&format!(
            " · {} ({})",
            format_datetime(survey.deadline, zone, lang),
            utc_offset_label(survey.deadline, zone)
        ));
    }
    body.push_str("\n\n");
    body.push_str(agency.get(lang));
    body.push('\n');
    let subject = if reminder {
        "survey-email-subject-reminder"
    } else {
        "survey-email-subject"
    };
    EmailMessage {
        to: r.email.clone(),
        subject: t_with(lang, subject, &[("event", arg(&title))]),
        body_text: body,
        attachments: vec![],
    }
}
