//! What an attacker and a fuzzer found, kept fixed: each test here failed before its fix.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{Db, TestApp, TestResponse};

mod input;
mod live;
mod processes;
mod sign_in;
use input::*;
use live::*;
use processes::*;
use sign_in::*;

const SLUG: &str = "two-zones-germany";

roadshow_testkit::on_both_databases!(
    a_leftover_session_cookie_does_not_block_sign_in,
    sign_in_never_redirects_elsewhere,
    control_characters_are_a_named_422_and_nothing_is_saved,
    a_speaker_added_while_its_session_is_deleted_is_a_404,
    simultaneous_wrong_passwords_are_counted_before_they_are_checked,
    limits_hold_across_processes_on_one_database,
    uploads_are_served_by_every_process_under_their_real_type,
    a_staff_stream_ends_when_its_session_does,
    public_pages_are_shared_and_revalidated,
    the_live_log_carries_changes_not_histories,
    a_follower_back_after_the_replay_window_is_told_to_refresh,
    every_error_is_a_problem_document_the_contract_names,
    write_limits_taken_in_blocks_never_let_more_through,
    a_body_of_the_wrong_shape_names_its_field_in_the_callers_language,
    a_number_out_of_range_is_told_its_bounds,
    who_may_not_send_a_large_body_is_told_before_it_is_read,
);

/// The CSRF token a page's form carries, and the cookie (if any) the page set for it.
fn form_token(page: &TestResponse) -> (String, Option<String>) {
    let token = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page has a form with a CSRF token")
        .to_string();
    let cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("rs_csrf="))
        .map(|c| c.split(';').next().unwrap_or("").to_string());
    (token, cookie)
}

/// Opens the sign-in page with `cookies` and posts the form back as a browser would.
async fn sign_in(t: &TestApp, cookies: &str, next: &str, password: &str) -> TestResponse {
    let mut get = Request::get(format!("/login?next={next}"));
    if !cookies.is_empty() {
        get = get.header("cookie", cookies);
    }
    let page = t.send(get.body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, 200);
    let (token, set) = form_token(&page);
    let jar = [Some(cookies.to_string()), set]
        .into_iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let next_field = page
        .body
        .split("name=\"next\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .replace("&amp;", "&");
    let body = url_form(&[
        ("csrf", &token),
        ("email", "organiser@roadshow.example"),
        ("password", password),
        ("next", &next_field),
    ]);
    t.send(
        Request::post("/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", jar)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn url_form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", roadshow_web::pages::encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}
