//! Who is calling: the roles of DOMAIN.md and what each may do.

use crate::ids::{AgencyId, DepartmentId, EventId, ParticipantId, RegistrationId, UserId};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A staff role. Participants are not users: they sign in by their registration's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Agency staff who organise events.
    Organiser,
    /// Moderates the questions of the live exchange.
    Moderator,
    /// An official of a department who answers questions.
    Official,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Organiser => "organiser",
            Role::Moderator => "moderator",
            Role::Official => "official",
        }
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "organiser" => Ok(Role::Organiser),
            "moderator" => Ok(Role::Moderator),
            "official" => Ok(Role::Official),
            _ => Err(()),
        }
    }
}

/// A staff member as signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: UserId,
    pub agency_id: AgencyId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
}

/// A participant as signed in by their registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantAccess {
    pub registration_id: RegistrationId,
    pub participant_id: ParticipantId,
    pub event_id: EventId,
}

/// The caller of a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    Staff(StaffMember),
    Participant(ParticipantAccess),
}

impl Principal {
    /// The staff member when it is an organiser of `agency`.
    pub fn organiser_of(&self, agency: AgencyId) -> Option<&StaffMember> {
        match self {
            Principal::Staff(s) if s.role == Role::Organiser && s.agency_id == agency => Some(s),
            _ => None,
        }
    }

    /// Any staff member of `agency` (organisers, moderators, officials).
    pub fn staff_of(&self, agency: AgencyId) -> Option<&StaffMember> {
        match self {
            Principal::Staff(s) if s.agency_id == agency => Some(s),
            _ => None,
        }
    }

    pub fn staff(&self) -> Option<&StaffMember> {
        match self {
            Principal::Staff(s) => Some(s),
            _ => None,
        }
    }
}
