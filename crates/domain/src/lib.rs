//! Roadshow's domain: events, sessions, registrations, departments, parks, policies and
//! the rules that hold between them, in the words of DOMAIN.md.
//!
//! Plain Rust with no I/O. The ports ([`store::Store`], [`mail::Mailer`]) are traits the
//! outer crates implement, so the rules here can be tested without a database.

pub mod calendar;
pub mod catalogue;
pub mod countries;
pub mod event;
pub mod ids;
pub mod lang;
pub mod localized;
pub mod mail;
pub mod principal;
pub mod qa;
pub mod reference;
pub mod registration;
pub mod store;
pub mod suggest;
pub mod text;
pub mod time;
pub mod validation;

pub use ids::*;
pub use lang::Lang;
pub use localized::Localized;
pub use validation::{FieldError, Invalid};
