//! 1:1 meetings: the scheduler in the API and on the organiser's page.

pub mod api;
pub mod pages;

use crate::Routes;
use roadshow_app::meetings::SCHEDULE_BODY_LIMIT;

/// The routes of this capability. Instances are larger than other bodies, hence their
/// own limit.
pub fn routes() -> Routes {
    Routes::default()
        .post_upload(
            "/api/v1/meetings/schedule",
            api::schedule,
            SCHEDULE_BODY_LIMIT,
        )
        .get("/admin/scheduler", pages::scheduler)
        .post_upload(
            "/admin/scheduler",
            pages::run_scheduler,
            SCHEDULE_BODY_LIMIT,
        )
}
