//! Signals: what each use case records about a participant, once, for the leads
//! pipeline. Recording never fails the action that caused it: a store error is logged
//! and the participant's action stands.

use crate::events::EventPage;
use crate::group_commit::GroupCommit;
use crate::{App, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::signals::{NewSignal, Signal, SignalKind, attended_seconds};

#[derive(Clone, Copy)]
pub struct Signals<'a> {
    pub(crate) app: &'a App,
}

impl App {
    pub fn signals(&self) -> Signals<'_> {
        Signals { app: self }
    }
}

impl Signals<'_> {
    /// Records that `participant` did `kind` about `ref_id` at an event, and brings the
    /// company's lead score up to date.
    pub async fn record(
        &self,
        participant: ParticipantId,
        event: EventId,
        kind: SignalKind,
        ref_id: i64,
        amount: i64,
    ) {
        let signal = NewSignal {
            participant_id: participant,
            event_id: event,
            kind,
            ref_id,
            amount,
            at: Utc::now(),
        };
        match self.app.signal_writer.submit(signal).await {
            Ok(Some(company)) => self.app.leads().score_later(company),
            Ok(None) => {}
            Err(err) => {
                tracing::error!(
                    error = &err as &dyn std::error::Error,
                    kind = kind.code(),
                    "recording a signal failed"
                )
            }
        }
    }

    /// The attendance of a participant following the live stream of a running event:
    /// counted when the stream closes. `None` for anyone else or outside the event.
    pub fn attendance(&self, principal: &Principal, page: &EventPage) -> Option<Attendance> {
        let Principal::Participant(p) = principal else {
            return None;
        };
        let now = Utc::now();
        let event = &page.event;
        if p.event_id != event.id || now >= event.ends_at {
            return None;
        }
        Some(Attendance {
            app: self.app.clone(),
            participant: p.participant_id,
            event: event.id,
            opened: now,
            starts: event.starts_at,
            ends: event.ends_at,
        })
    }

    /// Adds the seconds between `opened` and `closed` that fall inside the event.
    pub async fn attended(
        &self,
        participant: ParticipantId,
        event: EventId,
        seconds: i64,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        if seconds <= 0 {
            return Ok(());
        }
        if let Some(company) = self
            .app
            .store
            .add_seconds(SignalKind::Attended, participant, event, seconds, at)
            .await?
        {
            self.app.leads().score_later(company);
        }
        Ok(())
    }

    /// A company's signals, for investment officers of its agency.
    pub async fn company_signals(
        &self,
        principal: &Principal,
        company: CompanyId,
    ) -> AppResult<Vec<Signal>> {
        self.app
            .leads()
            .company_of_my_agency(principal, company)
            .await?;
        Ok(self.app.store.company_signals(company).await?)
    }
}

/// Writes signals in groups (see [`GroupCommit`]): many actions at once share one
/// transaction, and each caller is answered once its signal is stored.
pub(crate) type SignalWriter = GroupCommit<NewSignal, Option<CompanyId>>;

/// Signals one transaction holds at most.
const SIGNAL_BATCH: usize = 500;

pub(crate) fn signal_writer(
    store: std::sync::Arc<dyn roadshow_domain::store::Store>,
) -> SignalWriter {
    GroupCommit::start("signal", SIGNAL_BATCH, move |signals: Vec<NewSignal>| {
        let store = store.clone();
        async move {
            match store.record_signals(&signals).await {
                Ok(companies) => companies.into_iter().map(Ok).collect(),
                Err(e) => signals
                    .iter()
                    .map(|_| Err(crate::AppError::for_each(&e)))
                    .collect(),
            }
        }
    })
}

/// One participant's open live stream; when dropped (the stream closed), the time it
/// was open while the event ran is added to their attendance.
pub struct Attendance {
    app: App,
    participant: ParticipantId,
    event: EventId,
    opened: DateTime<Utc>,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
}

impl Drop for Attendance {
    fn drop(&mut self) {
        let closed = Utc::now();
        let seconds = attended_seconds(self.opened, closed, self.starts, self.ends);
        if seconds <= 0 {
            return;
        }
        let (app, participant, event, at) =
            (self.app.clone(), self.participant, self.event, self.opened);
        // The stream is dropped outside any task that could wait: count on the runtime.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(err) = app
                    .signals()
                    .attended(participant, event, seconds, at)
                    .await
                {
                    tracing::error!(
                        error = &err as &dyn std::error::Error,
                        "recording attendance failed"
                    );
                }
            });
        }
    }
}
