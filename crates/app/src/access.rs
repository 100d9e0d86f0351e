//! Who may do what: the checks every use case starts with. Another agency's object is
//! `NotFound`, never `Forbidden`, so that nobody learns it exists.

use crate::events::EventPage;
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::accounts::{Account, Role};
use roadshow_domain::ids::*;
use std::sync::Arc;

/// The organiser a principal is, for an agency; otherwise the error that tells the caller
/// as little as possible.
pub(crate) fn require_organiser(principal: &Principal, agency: AgencyId) -> AppResult<&Account> {
    match principal {
        Principal::Anonymous => Err(AppError::Unauthenticated),
        Principal::Staff(s) if s.agency_id != agency => Err(AppError::NotFound),
        Principal::Staff(s) if s.role == Role::Organiser => Ok(s),
        _ => Err(AppError::Forbidden),
    }
}

/// Any staff member; a participant is refused, an anonymous caller must sign in.
pub(crate) fn staff_only(principal: &Principal) -> AppResult<&Account> {
    match principal {
        Principal::Staff(s) => Ok(s),
        Principal::Participant(_) => Err(AppError::Forbidden),
        Principal::Anonymous => Err(AppError::Unauthenticated),
    }
}

/// The agency of a signed-in organiser.
pub(crate) fn organiser_agency(principal: &Principal) -> AppResult<AgencyId> {
    match principal {
        Principal::Anonymous => Err(AppError::Unauthenticated),
        Principal::Staff(s) if s.role == Role::Organiser => Ok(s.agency_id),
        _ => Err(AppError::Forbidden),
    }
}

/// Why someone who is not staff of the event's agency may not run its exchange: sign in
/// first; participants may not; another agency's staff do not see it at all.
pub(crate) fn not_staff(principal: &Principal) -> AppError {
    match principal {
        Principal::Anonymous => AppError::Unauthenticated,
        Principal::Participant(_) => AppError::Forbidden,
        Principal::Staff(_) => AppError::NotFound,
    }
}

pub(crate) fn may_moderate(s: &Account) -> bool {
    matches!(s.role, Role::Moderator | Role::Organiser)
}

impl App {
    /// Counts one vote (on a question or a poll) of a participant against the limit.
    pub(crate) async fn count_vote(&self, participant: ParticipantId) -> AppResult<()> {
        self.limiter
            .hit(
                &format!("vote:{participant}"),
                roadshow_domain::limits::Limit::per_minute(self.config.votes_per_minute),
            )
            .await
    }

    pub(crate) async fn event_of(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<Arc<EventPage>> {
        self.events().event_page(principal, slug).await
    }

    /// The page of an event for a staff member of its agency (drafts included).
    pub(crate) async fn staff_page(
        &self,
        staff: &Account,
        event: EventId,
    ) -> AppResult<Arc<EventPage>> {
        let e = self.store.event(event).await?.ok_or(AppError::NotFound)?;
        if e.agency_id != staff.agency_id {
            return Err(AppError::NotFound);
        }
        self.events()
            .event_page(&Principal::Staff(staff.clone()), &e.slug)
            .await
    }

    pub(crate) fn is_staff_of(&self, principal: &Principal, page: &EventPage) -> bool {
        principal.staff_of(page.event.agency_id).is_some()
    }

    /// The page of an event for someone who may run its exchange (moderators and
    /// organisers of the agency).
    pub(crate) async fn moderator_page(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<Arc<EventPage>> {
        let page = self.event_of(principal, slug).await?;
        match principal.staff_of(page.event.agency_id) {
            Some(s) if may_moderate(s) => Ok(page),
            Some(_) => Err(AppError::Forbidden),
            None => Err(not_staff(principal)),
        }
    }
}
