//! Who may do what: the checks every use case starts with. Another agency's object is
//! `NotFound`, never `Forbidden`, so that nobody learns it exists.

use crate::events::EventPage;
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::accounts::{Account, ParticipantAccess, Role};
use roadshow_domain::ids::*;
use std::sync::Arc;

/// Who may do what, asked of the caller: each use case asks once, first, before it
/// looks anything up, so that who may not do it at all learns that (401 to sign in, 403)
/// whether or not the thing exists; another agency's object is then "not found".
pub trait Guards {
    /// Any staff member; a participant is refused, an anonymous caller must sign in.
    fn as_staff(&self) -> AppResult<&Account>;
    /// Any staff member of `agency`; another agency's staff do not see it at all.
    fn as_staff_of(&self, agency: AgencyId) -> AppResult<&Account>;
    /// An organiser (of their own agency).
    fn as_organiser(&self) -> AppResult<&Account>;
    /// The organiser of `agency`.
    fn as_organiser_of(&self, agency: AgencyId) -> AppResult<&Account>;
    /// A moderator or an organiser: who runs the live exchange.
    fn as_moderator(&self) -> AppResult<&Account>;
    /// An investment officer or an organiser: who works on leads. To anyone else the
    /// pipeline does not exist (404), so that nobody learns what it holds.
    fn as_officer(&self) -> AppResult<&Account>;
    /// An official (their department's questions and meetings) or an organiser.
    fn as_official_or_organiser(&self) -> AppResult<&Account>;
    /// A participant signed in by their registration.
    fn as_participant(&self) -> AppResult<&ParticipantAccess>;
    /// A participant of `event`; another event's participants do not see it.
    fn as_participant_of(&self, event: EventId) -> AppResult<&ParticipantAccess>;
}

impl Guards for Principal {
    fn as_staff(&self) -> AppResult<&Account> {
        match self {
            Principal::Staff(s) => Ok(s),
            Principal::Participant(_) => Err(AppError::Forbidden),
            Principal::Anonymous => Err(AppError::Unauthenticated),
        }
    }

    fn as_staff_of(&self, agency: AgencyId) -> AppResult<&Account> {
        match self.as_staff()? {
            s if s.agency_id == agency => Ok(s),
            _ => Err(AppError::NotFound),
        }
    }

    fn as_organiser(&self) -> AppResult<&Account> {
        match self.as_staff()? {
            s if s.role == Role::Organiser => Ok(s),
            _ => Err(AppError::Forbidden),
        }
    }

    fn as_organiser_of(&self, agency: AgencyId) -> AppResult<&Account> {
        match self.as_staff()? {
            s if s.agency_id != agency => Err(AppError::NotFound),
            s if s.role == Role::Organiser => Ok(s),
            _ => Err(AppError::Forbidden),
        }
    }

    fn as_moderator(&self) -> AppResult<&Account> {
        match self.as_staff()? {
            s if may_moderate(s) => Ok(s),
            _ => Err(AppError::Forbidden),
        }
    }

    fn as_officer(&self) -> AppResult<&Account> {
        match self {
            Principal::Anonymous => Err(AppError::Unauthenticated),
            Principal::Staff(s) if matches!(s.role, Role::Organiser | Role::InvestmentOfficer) => {
                Ok(s)
            }
            _ => Err(AppError::NotFound),
        }
    }

    fn as_official_or_organiser(&self) -> AppResult<&Account> {
        match self.as_staff()? {
            s if matches!(s.role, Role::Official | Role::Organiser) => Ok(s),
            _ => Err(AppError::Forbidden),
        }
    }

    fn as_participant(&self) -> AppResult<&ParticipantAccess> {
        match self {
            Principal::Participant(p) => Ok(p),
            Principal::Staff(_) => Err(AppError::Forbidden),
            Principal::Anonymous => Err(AppError::Unauthenticated),
        }
    }

    fn as_participant_of(&self, event: EventId) -> AppResult<&ParticipantAccess> {
        match self.as_participant()? {
            p if p.event_id == event => Ok(p),
            _ => Err(AppError::NotFound),
        }
    }
}

/// Whether a staff member may run the live exchange.
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
        principal.as_moderator()?;
        let page = self.event_of(principal, slug).await?;
        principal.as_staff_of(page.event.agency_id)?;
        Ok(page)
    }

    /// The page of an event for an organiser of its agency (drafts included).
    pub(crate) async fn organiser_page(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<Arc<EventPage>> {
        principal.as_staff()?;
        let page = self.event_of(principal, slug).await?;
        principal.as_organiser_of(page.event.agency_id)?;
        Ok(page)
    }
}
