//! Signing in: sessions left over, where it returns to, attempts counted before they are checked.

use super::*;

pub(crate) async fn a_leftover_session_cookie_does_not_block_sign_in(db: Db) {
    let t = TestApp::with_demo(db).await;
    // A browser that kept the cookie of a session that has since ended, and no CSRF cookie.
    let r = sign_in(
        &t,
        "rs_session=ended-session-ended-session-ended-session",
        "/admin",
        "roadshow-demo-2026",
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), "/admin");
    assert!(r.header("set-cookie").starts_with("rs_session="));
}

pub(crate) async fn sign_in_never_redirects_elsewhere(db: Db) {
    let t = TestApp::with_demo(db).await;
    for next in [
        "/%09/evil.example",
        "%2F%09%2Fevil.example",
        "/%0d%0a/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "%2F%5Cevil.example",
        "/%2F/evil.example",
        "javascript:alert(1)",
        "https://evil.example",
    ] {
        let r = sign_in(&t, "", next, "roadshow-demo-2026").await;
        assert_eq!(r.status, 303, "{next}: {}", r.body);
        assert_eq!(r.header("location"), "/", "{next}");
    }
    let r = sign_in(&t, "", "%2Fadmin%2Fevents", "roadshow-demo-2026").await;
    assert_eq!(r.header("location"), "/admin/events");
}

pub(crate) async fn simultaneous_wrong_passwords_are_counted_before_they_are_checked(db: Db) {
    let t = TestApp::with_demo(db).await;
    let app = &t.app;
    let attempts = (0..60).map(|_| async move {
        app.accounts()
            .login("organiser@roadshow.example", "wrong-password", "10.1.1.1")
            .await
    });
    let results = futures_util::future::join_all(attempts).await;
    let checked = results
        .iter()
        .filter(|r| matches!(r, Err(roadshow_app::AppError::Unauthenticated)))
        .count();
    let limited = results
        .iter()
        .filter(|r| matches!(r, Err(roadshow_app::AppError::RateLimited { .. })))
        .count();
    assert_eq!((checked, limited), (5, 55), "the limit is 5 per account");
}
