//! The routes of surveys, signals and leads × seven callers → the status.

/// The routes of surveys, signals and leads, where officers of this and another agency
/// have columns of their own. Columns: anonymous, participant,
/// moderator, official, investment officer of another agency, investment officer,
/// organiser. Leads are confidential: everyone but the agency's officers and organisers
/// gets 404 (anonymous callers are asked to sign in).
pub(crate) const WITH_OFFICERS: &[(&str, &str, [u16; 7])] = &[
    (
        "GET",
        "/api/v1/events/{slug}/survey",
        [401, 403, 403, 403, 404, 403, 200],
    ),
    (
        "PUT",
        "/api/v1/events/{slug}/survey",
        [401, 403, 403, 403, 404, 403, 422],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/survey/answers",
        [401, 200, 403, 403, 403, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/events/{slug}/survey/answers",
        [401, 422, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/admin/events/{slug}/survey",
        [303, 403, 403, 403, 404, 403, 200],
    ),
    (
        "POST",
        "/admin/events/{slug}/survey",
        [303, 403, 403, 403, 404, 403, 422],
    ),
    (
        "GET",
        "/events/{slug}/survey",
        [303, 200, 403, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/events/{slug}/survey",
        [303, 422, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/survey/{token}",
        [404, 404, 404, 404, 404, 404, 404],
    ),
    (
        "POST",
        "/survey/{token}",
        [404, 404, 404, 404, 404, 404, 404],
    ),
    ("GET", "/api/v1/leads", [401, 404, 404, 404, 200, 200, 200]),
    ("POST", "/api/v1/leads", [401, 404, 404, 404, 422, 422, 422]),
    (
        "GET",
        "/api/v1/leads/board",
        [401, 404, 404, 404, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/leads/board/stream",
        [401, 404, 404, 404, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/leads.csv",
        [401, 404, 404, 404, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/leads/rules",
        [401, 404, 404, 404, 200, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/leads/rules",
        [401, 404, 404, 404, 403, 403, 200],
    ),
    (
        "GET",
        "/api/v1/leads/{id}",
        [401, 404, 404, 404, 404, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/leads/{id}",
        [401, 404, 404, 404, 404, 200, 200],
    ),
    (
        "POST",
        "/api/v1/leads/{id}/stage",
        [401, 404, 404, 404, 404, 422, 422],
    ),
    (
        "GET",
        "/api/v1/leads/{id}/timeline",
        [401, 404, 404, 404, 404, 200, 200],
    ),
    (
        "POST",
        "/api/v1/leads/{id}/tasks",
        [401, 404, 404, 404, 404, 422, 422],
    ),
    ("GET", "/api/v1/tasks", [401, 404, 404, 404, 200, 200, 200]),
    (
        "PUT",
        "/api/v1/tasks/{id}",
        [401, 404, 404, 404, 404, 422, 422],
    ),
    (
        "GET",
        "/api/v1/companies/{id}/signals",
        [401, 404, 404, 404, 404, 200, 200],
    ),
    (
        "GET",
        "/api/v1/companies/duplicates",
        [401, 404, 404, 404, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/companies/merges",
        [401, 404, 404, 404, 422, 422, 422],
    ),
    ("GET", "/admin/leads", [303, 404, 404, 404, 200, 200, 200]),
    (
        "GET",
        "/admin/leads/stream",
        [303, 404, 404, 404, 200, 200, 200],
    ),
    ("POST", "/admin/leads", [303, 404, 404, 404, 422, 422, 422]),
    (
        "GET",
        "/admin/leads/list",
        [303, 404, 404, 404, 200, 200, 200],
    ),
    (
        "GET",
        "/admin/leads/export.csv",
        [303, 404, 404, 404, 200, 200, 200],
    ),
    (
        "GET",
        "/admin/leads/rules",
        [303, 404, 404, 404, 200, 200, 200],
    ),
    (
        "POST",
        "/admin/leads/rules",
        [303, 404, 404, 404, 403, 403, 303],
    ),
    (
        "GET",
        "/admin/leads/{id}",
        [303, 404, 404, 404, 404, 200, 200],
    ),
    (
        "POST",
        "/admin/leads/{id}",
        [303, 404, 404, 404, 404, 303, 303],
    ),
    (
        "POST",
        "/admin/leads/{id}/stage",
        [303, 404, 404, 404, 404, 422, 422],
    ),
    (
        "POST",
        "/admin/leads/{id}/tasks",
        [303, 404, 404, 404, 404, 422, 422],
    ),
    ("GET", "/admin/tasks", [303, 404, 404, 404, 200, 200, 200]),
    (
        "POST",
        "/admin/tasks/{id}",
        [303, 404, 404, 404, 404, 303, 303],
    ),
    (
        "GET",
        "/admin/companies",
        [303, 404, 404, 404, 200, 200, 200],
    ),
    (
        "POST",
        "/admin/companies/merges",
        [303, 404, 404, 404, 422, 422, 422],
    ),
    // Only the first caller allowed may succeed: the organiser finds it done (409).
    (
        "POST",
        "/api/v1/leads/{id}/take",
        [401, 404, 404, 404, 404, 200, 409],
    ),
    (
        "POST",
        "/admin/leads/{id}/take",
        [303, 404, 404, 404, 404, 409, 409],
    ),
    (
        "POST",
        "/api/v1/companies/merges/{id}/undo",
        [401, 404, 404, 404, 404, 200, 409],
    ),
    (
        "POST",
        "/admin/companies/merges/{id}/undo",
        [303, 404, 404, 404, 404, 409, 409],
    ),
    (
        "POST",
        "/admin/events/{slug}/survey/send",
        [303, 403, 403, 403, 404, 403, 303],
    ),
    (
        "POST",
        "/api/v1/events/{slug}/survey/send",
        [401, 403, 403, 403, 404, 403, 409],
    ),
    // The broadcast: attendance is for the agency's organisers and officers (officials:
    // their own sessions); the replay and its chapters and captions for its participants
    // and staff; changes for organisers.
    (
        "POST",
        "/api/v1/events/{slug}/stream/check",
        [401, 403, 403, 403, 403, 403, 422],
    ),
    (
        "POST",
        "/api/v1/events/{slug}/heartbeats",
        [401, 422, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/attendance",
        [401, 403, 403, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/chapters.vtt",
        [401, 200, 200, 200, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/chapters.txt",
        [401, 200, 200, 200, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/captions",
        [401, 200, 200, 200, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/captions/{language}",
        [401, 200, 200, 200, 403, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/events/{slug}/captions/{language}",
        [401, 403, 403, 403, 403, 403, 422],
    ),
    (
        "POST",
        "/events/{slug}/heartbeats",
        [403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/events/{slug}/replay",
        [303, 200, 200, 200, 403, 200, 200],
    ),
    (
        "GET",
        "/events/{slug}/chapters.vtt",
        [303, 200, 200, 200, 403, 200, 200],
    ),
    (
        "GET",
        "/events/{slug}/captions/{language}",
        [303, 200, 200, 200, 403, 200, 200],
    ),
    (
        "GET",
        "/admin/events/{slug}/attendance",
        [303, 403, 403, 200, 404, 200, 200],
    ),
    (
        "POST",
        "/admin/events/{slug}/stream/check",
        [303, 403, 403, 403, 403, 403, 422],
    ),
    (
        "POST",
        "/admin/events/{slug}/captions",
        [303, 403, 403, 403, 404, 403, 422],
    ),
    (
        "DELETE",
        "/api/v1/events/{slug}/captions/{language}",
        [401, 403, 403, 403, 403, 403, 204],
    ),
    // The report: the agency's organisers and officers; officials see their own
    // department's questions and meetings; another agency's staff not at all.
    (
        "GET",
        "/api/v1/events/{slug}/report",
        [401, 403, 403, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/admin/events/{slug}/report",
        [303, 403, 403, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/report/tables/{table}",
        [401, 403, 403, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/report.xlsx",
        [401, 403, 403, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/admin/events/{slug}/report/tables/{table}",
        [303, 403, 403, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/admin/events/{slug}/report.xlsx",
        [303, 403, 403, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/api/v1/events/{slug}/report.pdf",
        [401, 403, 403, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/admin/events/{slug}/report.pdf",
        [303, 403, 403, 200, 404, 200, 200],
    ),
    // The press release: read by organisers and officers, changed by organisers.
    (
        "GET",
        "/api/v1/events/{slug}/press-release",
        [401, 403, 403, 403, 404, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/events/{slug}/press-release",
        [401, 403, 403, 403, 404, 403, 422],
    ),
    (
        "DELETE",
        "/api/v1/events/{slug}/press-release",
        [401, 403, 403, 403, 404, 403, 204],
    ),
    (
        "GET",
        "/admin/events/{slug}/press-release",
        [303, 403, 403, 403, 404, 200, 200],
    ),
    (
        "POST",
        "/admin/events/{slug}/press-release",
        [303, 403, 403, 403, 404, 403, 422],
    ),
    (
        "GET",
        "/admin/events/{slug}/press-release.md",
        [303, 403, 403, 403, 404, 200, 200],
    ),
    (
        "GET",
        "/admin/events/{slug}/press-release.txt",
        [303, 403, 403, 403, 404, 200, 200],
    ),
    // The report by email: read by organisers and officers, changed by organisers.
    (
        "GET",
        "/api/v1/events/{slug}/report/schedule",
        [401, 403, 403, 403, 404, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/events/{slug}/report/schedule",
        [401, 403, 403, 403, 404, 403, 200],
    ),
    (
        "GET",
        "/admin/events/{slug}/report/schedule",
        [303, 403, 403, 403, 404, 200, 200],
    ),
    (
        "POST",
        "/admin/events/{slug}/report/schedule",
        [303, 403, 403, 403, 404, 403, 303],
    ),
    // Each staff member's own account: the language of their emails.
    (
        "PUT",
        "/api/v1/me/language",
        [401, 403, 422, 422, 422, 422, 422],
    ),
    ("GET", "/admin/account", [303, 403, 200, 200, 200, 200, 200]),
    (
        "POST",
        "/admin/account",
        [303, 403, 422, 422, 422, 422, 422],
    ),
    // The agency's reports: each officer and organiser sees their own agency's.
    (
        "GET",
        "/api/v1/reports/agency",
        [401, 403, 403, 403, 200, 200, 200],
    ),
    ("GET", "/admin/reports", [303, 403, 403, 403, 200, 200, 200]),
    // Privacy: a participant's own (their token is the key); the organiser's requests,
    // retention, recipients, audit head and data map (each agency's own).
    ("GET", "/privacy", [200, 200, 200, 200, 200, 200, 200]),
    (
        "GET",
        "/api/v1/me/privacy",
        [401, 200, 403, 403, 403, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/me/consents",
        [401, 422, 403, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/api/v1/me/exports",
        [401, 202, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/me/exports/{id}",
        [401, 404, 403, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/api/v1/me/erasure",
        [401, 202, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/participants/{id}/export",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/v1/participants/{id}/erasure",
        [401, 403, 403, 403, 403, 403, 422],
    ),
    (
        "POST",
        "/api/v1/privacy/requests/{id}/refusal",
        [401, 403, 403, 403, 403, 403, 422],
    ),
    (
        "POST",
        "/admin/privacy/requests/{id}/refusal",
        [303, 403, 403, 403, 403, 403, 422],
    ),
    (
        "GET",
        "/api/v1/privacy/requests",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "GET",
        "/api/v1/privacy/retention",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "PUT",
        "/api/v1/privacy/retention",
        [401, 403, 403, 403, 403, 403, 422],
    ),
    (
        "GET",
        "/api/v1/privacy/recipients",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/api/v1/privacy/recipients",
        [401, 403, 403, 403, 403, 403, 422],
    ),
    (
        "DELETE",
        "/api/v1/privacy/recipients/{id}",
        [401, 403, 403, 403, 403, 403, 204],
    ),
    (
        "GET",
        "/api/v1/privacy/audit/head",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "GET",
        "/api/v1/privacy/data-map",
        [401, 403, 403, 403, 403, 403, 200],
    ),
    (
        "GET",
        "/p/{token}/privacy",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/p/{token}/privacy/consents",
        [303, 303, 303, 303, 303, 303, 303],
    ),
    (
        "POST",
        "/p/{token}/privacy/export",
        [429, 429, 429, 429, 429, 429, 429],
    ),
    (
        "POST",
        "/p/{token}/privacy/erasure",
        [303, 303, 303, 303, 303, 303, 303],
    ),
    (
        "GET",
        "/p/{token}/privacy/exports/{id}",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/p/{token}/privacy/exports/{id}/file",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/privacy/erasure/{confirm}",
        [404, 404, 404, 404, 404, 404, 404],
    ),
    (
        "POST",
        "/privacy/erasure/{confirm}",
        [404, 404, 404, 404, 404, 404, 404],
    ),
    ("GET", "/admin/privacy", [303, 403, 403, 403, 403, 403, 200]),
    (
        "POST",
        "/admin/privacy/retention",
        [303, 403, 403, 403, 403, 403, 422],
    ),
    (
        "POST",
        "/admin/privacy/recipients",
        [303, 403, 403, 403, 403, 403, 422],
    ),
    (
        "POST",
        "/admin/privacy/recipients/{id}/delete",
        [303, 403, 403, 403, 403, 403, 404],
    ),
    (
        "GET",
        "/admin/privacy/participants/{id}/export",
        [303, 403, 403, 403, 403, 403, 200],
    ),
    (
        "POST",
        "/admin/privacy/participants/{id}/erasure",
        [303, 403, 403, 403, 403, 403, 422],
    ),
    (
        "GET",
        "/admin/privacy/audit-head",
        [303, 403, 403, 403, 403, 403, 200],
    ),
];
