//! Emails: composing them in the reader's language, keeping every one in the outbox, and
//! delivering them through SMTP (lettre) when a server is configured.
//!
//! No email is dropped silently: each is written to the outbox in the same transaction as
//! what caused it. Without SMTP it stays there as `held` for organisers to read; with SMTP
//! it is `pending` until a worker delivers it (`sent`) or gives up after
//! [`MAX_ATTEMPTS`] (`failed`, with the error shown on the outbox page).

use crate::Config;
use crate::access::*;
use crate::events::EventPage;
use crate::links;
use crate::{App, AppError, AppResult};
use async_trait::async_trait;
use chrono::Utc;
use lettre::message::{
    Attachment as MailAttachment, Mailbox, MultiPart, SinglePart, header::ContentType,
};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use roadshow_domain::Lang;
use roadshow_domain::ids::EmailId;
use roadshow_domain::outbox::*;
use roadshow_domain::paging::{Page, PageRequest};
use roadshow_domain::registrations::RegistrationDraft;
use roadshow_domain::time::{
    BEIJING, default_zone, format_clock, format_datetime, utc_offset_label,
};
use roadshow_i18n::{ArgValue, t, t_with};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How long a claim on an email lasts: far longer than one SMTP exchange (20 seconds at
/// most), so a live process always finishes first; a process that died lets the email go
/// to another after this.
const CLAIM: chrono::Duration = chrono::Duration::minutes(10);

/// Delivery attempts before an email is marked failed.
pub const MAX_ATTEMPTS: i64 = 5;

/// SMTP delivery through lettre.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// `smtp://host:port` (plain, for a local relay), `smtp://...?tls=required` (STARTTLS)
    /// or `smtps://host` (TLS), with optional `user:password@`.
    pub fn new(url: &str, from: &str) -> AppResult<SmtpMailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| AppError::internal(format!("ROADSHOW_SMTP_URL: {e}")))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| AppError::internal(format!("sender address: {e}")))?;
        Ok(SmtpMailer { transport, from })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn deliver(&self, message: &EmailMessage) -> Result<(), DeliveryError> {
        let to: Mailbox = message
            .to
            .parse()
            .map_err(|e| DeliveryError(format!("recipient: {e}")))?;
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(message.body_text.clone()));
        for a in &message.attachments {
            let content_type = ContentType::parse(&a.content_type)
                .map_err(|e| DeliveryError(format!("attachment type: {e}")))?;
            parts = parts.singlepart(
                MailAttachment::new(a.filename.clone()).body(a.content.clone(), content_type),
            );
        }
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .multipart(parts)
            .map_err(|e| DeliveryError(e.to_string()))?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| DeliveryError(e.to_string()))
    }
}

/// Whether emails are delivered (SMTP configured), and the signal that wakes the
/// delivery worker.
pub struct Sender {
    mailer: Option<Arc<dyn Mailer>>,
    wake: Notify,
}

impl Sender {
    pub(crate) fn new(config: &Config) -> AppResult<Sender> {
        let mailer: Option<Arc<dyn Mailer>> = match &config.smtp_url {
            Some(url) => Some(Arc::new(SmtpMailer::new(url, &config.mail_from)?)),
            None => None,
        };
        Ok(Sender {
            mailer,
            wake: Notify::new(),
        })
    }

    /// `pending` when an SMTP server will take the email, `held` when it stays here.
    pub fn initial_status(&self) -> EmailStatus {
        if self.mailer.is_some() {
            EmailStatus::Pending
        } else {
            EmailStatus::Held
        }
    }

    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }
}

/// The confirmation of a registration, in the participant's language: when (Beijing time
/// and the participant's likely zone), the agenda, the personal link, and the agenda as
/// an .ics attachment.
pub fn confirmation_email(
    page: &EventPage,
    r: &RegistrationDraft,
    token: &str,
    base_url: &str,
) -> EmailMessage {
    let lang: Lang = r.language;
    let event = &page.event;
    let title = event.title.get(lang).to_string();
    let zone = default_zone(lang);
    let arg = |v: &str| ArgValue::Text(v.to_string());
    let mut body = String::new();
    body.push_str(&t_with(lang, "email-greeting", &[("name", arg(&r.name))]));
    body.push_str("\n\n");
    body.push_str(&t_with(lang, "email-registered", &[("event", arg(&title))]));
    body.push_str("\n\n");
    body.push_str(&format!(
        "{}: {} ({} {})\n",
        t(lang, "event-when"),
        format_datetime(event.starts_at, BEIJING, lang),
        t(lang, "time-beijing"),
        utc_offset_label(event.starts_at, BEIJING),
    ));
    if zone != BEIJING {
        body.push_str(&format!(
            "      {} ({})\n",
            format_datetime(event.starts_at, zone, lang),
            utc_offset_label(event.starts_at, zone),
        ));
    }
    // The live page, never the raw stream: the picture, the questions and the polls
    // are there together, and viewing is measured there.
    body.push_str(&format!(
        "{}: {}\n",
        t(lang, "event-video"),
        crate::links::event_live(base_url, &event.slug)
    ));
    body.push('\n');
    body.push_str(&t(lang, "event-agenda"));
    body.push('\n');
    for s in &page.sessions {
        let presenter = page
            .department(s.department_id)
            .map(|d| d.name.get(lang).to_string())
            .unwrap_or_else(|| s.presenter.get(lang).to_string());
        let local = if zone != BEIJING {
            format!(
                " ({} {})",
                format_clock(s.starts_at, zone),
                utc_offset_label(s.starts_at, zone)
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            "  {}{local}  {}",
            format_clock(s.starts_at, BEIJING),
            s.title.get(lang)
        ));
        if !presenter.is_empty() {
            body.push_str(&format!(" — {presenter}"));
        }
        body.push('\n');
    }
    body.push('\n');
    body.push_str(&t(lang, "email-personal-link"));
    body.push_str(&format!("\n{}\n\n", links::personal(base_url, token)));
    body.push_str(&t(lang, "email-ics-attached"));
    body.push_str("\n\n");
    body.push_str(&t_with(
        lang,
        "email-consent",
        &[("version", arg(&r.consent_version))],
    ));
    body.push_str("\n\n");
    body.push_str(page.agency.name.get(lang));
    body.push('\n');
    EmailMessage {
        to: r.email.as_str().to_string(),
        subject: t_with(lang, "email-subject-confirmed", &[("event", arg(&title))]),
        body_text: body,
        attachments: vec![Attachment {
            filename: format!("{}.ics", event.slug),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
            content: page.agenda_ics(lang, base_url),
        }],
    }
}

/// The outbox and the delivery of emails.
#[derive(Clone, Copy)]
pub struct Outbox<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// The outbox and the delivery of emails.
    pub fn outbox(&self) -> Outbox<'_> {
        Outbox { app: self }
    }
}

impl Outbox<'_> {
    /// Delivers pending emails until the process ends: woken by each new email, and every
    /// 30 seconds for retries and for emails other processes wrote. Does nothing without SMTP.
    pub async fn run_outbox(&self) {
        let Some(mailer) = self.app.sender.mailer.clone() else {
            return;
        };
        loop {
            if let Err(err) = self.deliver_pending(mailer.as_ref()).await {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    "outbox delivery round failed"
                );
            }
            tokio::select! {
                _ = self.app.sender.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(30)) => {}
            }
        }
    }

    /// One delivery round; returns how many emails were sent.
    pub async fn deliver_pending(&self, mailer: &dyn Mailer) -> AppResult<usize> {
        let mut sent = 0;
        loop {
            let batch = self.app.store.emails_to_deliver(Utc::now(), 50).await?;
            if batch.is_empty() {
                return Ok(sent);
            }
            let mut progressed = false;
            for email in batch {
                let now = Utc::now();
                if !self
                    .app
                    .store
                    .claim_email(email.id, now, now + CLAIM)
                    .await?
                {
                    continue;
                }
                progressed = true;
                let outcome = mailer.deliver(&email.message).await.map_err(|e| e.0);
                let give_up = outcome.is_err() && email.attempts + 1 >= MAX_ATTEMPTS;
                if let Err(error) = &outcome {
                    tracing::warn!(id = %email.id, %error, give_up, "email delivery failed");
                } else {
                    sent += 1;
                }
                let failed = outcome.is_err();
                self.app
                    .store
                    .record_delivery(email.id, outcome, give_up)
                    .await?;
                if failed {
                    // Leave the rest for the next round rather than hammering a server that is down.
                    return Ok(sent);
                }
            }
            if !progressed {
                return Ok(sent);
            }
        }
    }

    /// A page of the outbox of the organiser's agency, newest first: the newest emails,
    /// or those older than the cursor, with the cursor of the next (older) page.
    pub async fn outbox(
        &self,
        principal: &crate::Principal,
        page: PageRequest,
    ) -> AppResult<Page<OutboxEmail>> {
        let agency = principal.as_organiser()?.agency_id;
        let fetch = i64::try_from(page.fetch()).unwrap_or(i64::MAX);
        let emails = self
            .app
            .store
            .outbox(agency, page.after.map(EmailId), fetch)
            .await?;
        Ok(page.split(emails, |e| e.id.0))
    }

    /// Whether emails go out through SMTP.
    pub fn smtp_configured(&self) -> bool {
        self.app.sender.mailer.is_some()
    }
}
