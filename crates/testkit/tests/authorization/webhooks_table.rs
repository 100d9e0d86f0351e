//! The routes of webhooks × the seven callers of [`super::officers_table`]: organisers of
//! the agency only; the rows' `{id}` is an endpoint of the agency (one kept, one removed
//! through the API, one on the page).

pub(crate) const WEBHOOKS: &[(&str, &str, [u16; 7])] = &[
    (
        "GET",
        "/api/v1/webhooks",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/v1/webhooks",
        [401, 403, 403, 403, 403, 403, 422],
    ),
    (
        "GET",
        "/api/v1/webhooks/{id}",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "DELETE",
        "/api/v1/webhooks/{id}",
        [401, 403, 403, 403, 403, 403, 204],
    ),
    (
        "POST",
        "/api/v1/webhooks/{id}/enable",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "GET",
        "/api/v1/webhooks/{id}/deliveries",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/v1/webhook-deliveries/{id}/resend",
        [401, 403, 403, 403, 403, 403, 404],
    ),
    (
        "GET",
        "/admin/webhooks",
        [303, 403, 403, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/admin/webhooks",
        [303, 403, 403, 403, 403, 403, 422],
    ),
    (
        "GET",
        "/admin/webhooks/{id}",
        [303, 403, 403, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/admin/webhooks/{id}/enable",
        [303, 403, 403, 403, 403, 403, 303],
    ),
    (
        "POST",
        "/admin/webhooks/{id}/delete",
        [303, 403, 403, 403, 403, 403, 303],
    ),
    (
        "POST",
        "/admin/webhooks/deliveries/{id}/resend",
        [303, 403, 403, 403, 403, 403, 404],
    ),
];
