//! Staff accounts: signing in and out, and who the API caller is.

pub mod api;
pub mod oidc;
pub mod pages;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::me))
        .api(routes!(api::set_language))
        .get("/admin/account", pages::account)
        .post("/admin/account", pages::save_account)
        .get("/login", pages::login_form)
        .post("/login", pages::login)
        .get("/login/oidc", oidc::start)
        .get("/login/oidc/callback", oidc::callback)
        .post("/logout", pages::logout)
}
