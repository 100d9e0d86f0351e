//! The one error type of the use cases.
//!
//! Rule: another agency's or another participant's object is `NotFound`, never
//! `Forbidden`, so that nobody learns it exists. `Internal` carries the cause for the log;
//! the web layer logs it once and never sends it.

use roadshow_domain::store::{Cause, StoreError};
use roadshow_domain::{FieldError, Invalid};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    /// A uniqueness rule, by code: `already_registered`, `slug_taken`, `email_taken`.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Too many attempts; try again after this many seconds.
    #[error("too many requests")]
    RateLimited { retry_after: u64 },
    /// Registrations are closed or the event is not open for this action.
    #[error("closed: {0}")]
    Closed(&'static str),
    #[error("too large")]
    TooLarge { limit: usize },
    /// The database was busy and the request may succeed when sent again shortly.
    #[error("the database is busy")]
    Busy(#[source] Cause),
    /// A request the HTTP layer refused before any use case ran (a path or query value
    /// that cannot be read, a method or media type this address does not take), by its
    /// status and code: every error is then answered the same way.
    #[error("rejected: {code}")]
    Rejected { status: u16, code: &'static str },
    /// Something failed that the caller cannot fix; the cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] Cause),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(code) => AppError::Conflict(code),
            StoreError::Busy(cause) => AppError::Busy(cause),
            StoreError::Backend(cause) => AppError::Internal(cause),
        }
    }
}

impl From<Invalid> for AppError {
    fn from(err: Invalid) -> Self {
        AppError::Invalid(err.0)
    }
}

impl AppError {
    /// An internal failure described in words (a file that could not be written...).
    /// The same failure for each write of a group that one store error failed together
    /// (a busy database stays busy for each, so each may retry).
    pub(crate) fn for_each(err: &StoreError) -> AppError {
        let cause = |c: &Cause| -> Cause { c.to_string().into() };
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(code) => AppError::Conflict(code),
            StoreError::Busy(c) => AppError::Busy(cause(c)),
            StoreError::Backend(c) => AppError::Internal(cause(c)),
        }
    }

    pub fn internal(message: impl Into<String>) -> AppError {
        AppError::Internal(message.into().into())
    }

    pub fn invalid(field: &str, code: &'static str) -> AppError {
        AppError::Invalid(Invalid::field(field, code).0)
    }
}

pub type AppResult<T> = Result<T, AppError>;
