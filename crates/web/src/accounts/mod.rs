//! Staff accounts: signing in and out, and who the API caller is.

pub mod api;
pub mod pages;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .get("/api/v1/me", api::me)
        .get("/login", pages::login_form)
        .post("/login", pages::login)
        .post("/logout", pages::logout)
}
