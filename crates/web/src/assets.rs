//! Static assets, compiled into the binary: no front-end build step.

use crate::Routes;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "live.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/live.js"),
    ),
    (
        "console.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/console.js"),
    ),
    (
        "leads.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/leads.js"),
    ),
    (
        "player.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/player.js"),
    ),
    // hls.js, vendored with its licence (assets/vendor/README.md).
    (
        "hls.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/hls.min.js"),
    ),
    (
        "hls.worker.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/hls.worker.js"),
    ),
    (
        "hls.js-LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../assets/vendor/hls.js-LICENSE.txt"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../assets/favicon.svg"),
    ),
];

async fn asset(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => {
            let mut response = body.to_vec().into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub fn routes() -> Routes {
    Routes::default().get("/assets/{name}", asset)
}
