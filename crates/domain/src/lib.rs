//! Roadshow's domain: the words of DOMAIN.md as types, and the rules that hold between
//! them. One module per capability (`events`, `departments`, `materials`,
//! `registrations`, `questions`, `polls`, `live`, `outbox`, `accounts`,
//! `meetings`, `surveys`, `signals`, `leads`, `directory`, `broadcast`), each
//! with its records, the inputs that parse into drafts (`XInput::parse → XDraft`), its
//! rules and its storage port (`XStore`); [`store::Store`] is all of them together.
//!
//! Plain Rust with no I/O, so the rules can be tested without a database.

pub mod accounts;
pub mod broadcast;
pub mod countries;
pub mod departments;
pub mod directory;
pub mod events;
pub mod ids;
pub mod lang;
pub mod leads;
pub mod limits;
pub mod live;
pub mod localized;
pub mod materials;
pub mod meetings;
pub mod outbox;
pub mod paging;
pub mod polls;
pub mod privacy;
pub mod questions;
pub mod reference;
pub mod registrations;
pub mod reports;
pub mod signals;
pub mod store;
pub mod surveys;
pub mod text;
pub mod time;
pub mod validation;
pub mod webhooks;

pub use ids::*;
pub use lang::Lang;
pub use localized::Localized;
pub use validation::{FieldError, Invalid};
