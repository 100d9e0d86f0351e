//! The OpenAPI 3.1 document of the API, generated: each operation comes from its
//! handler's `#[utoipa::path]` as the routes register it ([`crate::Routes::api`]), each
//! schema from the wire types beside the handlers. What every operation shares is added
//! here once: the bearer scheme, and the error answers the one error path makes
//! (all `application/problem+json`). Served at `/api/openapi.json`, printed by
//! `roadshow openapi`, snapshot-tested.

use crate::api::{FieldProblem, Problem};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;
use utoipa::openapi::path::{HttpMethod, Operation, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, ObjectBuilder, OpenApi, Ref, RefOr, Type};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Roadshow API",
        description = "Online investment-promotion events: events and their agenda, registrations, departments and materials, the live exchange (questions, answers, polls), 1:1 meetings, the follow-up (survey, leads) and the directory (parks, policies, success stories, search, eligibility). Errors are RFC 9457 problem details. Staff authenticate with a bearer token from `roadshow token create`; participants with the token returned at registration.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    servers((url = "/")),
    components(schemas(Problem, FieldProblem)),
    modifiers(&Bearer)
)]
struct Base;

struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Properties of answers that are left out when they do not apply; every other property
/// of every schema only answers use is sent always (null when empty), and the document
/// says so (`required`).
const MAY_BE_ABSENT: &[(&str, &[&str])] = &[
    ("Problem", &["instance", "errors"]),
    (
        "Question",
        &[
            "answers",
            "answer",
            "author_name",
            "author_company",
            "original_text",
            "dismiss_reason",
            "merged_into",
            "suggested_department",
            "suggestion_reason",
            "version",
        ],
    ),
];

/// The document, made once.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = <Base as utoipa::OpenApi>::openapi();
        doc.info.version = env!("CARGO_PKG_VERSION").to_string();
        doc.merge(crate::api_document());
        for (path, item) in doc.paths.paths.iter_mut() {
            for (method, operation) in operations(item) {
                complete_errors(path, method, operation);
            }
        }
        let mut doc = serde_json::to_value(&doc).unwrap_or(Value::Null);
        require_what_is_always_sent(&mut doc);
        describe_live_messages(&mut doc);
        doc
    })
}

/// A live stream's answer is a series of Server-Sent Events: what the handler names as
/// its body (`LiveData`) is the JSON each message carries in `data:`, described here as
/// the message it travels in (`contentSchema`, as OpenAPI 3.2's `itemSchema` reads it).
fn describe_live_messages(doc: &mut Value) {
    // The logged kinds, and `watching` (staff streams say how many watch; not logged).
    let kinds: Vec<&str> = roadshow_domain::live::LiveKind::ALL
        .iter()
        .map(|k| k.code())
        .chain(["watching"])
        .collect();
    // The shapes overlap (a `refresh` carries nothing a question lacks), so the data is
    // any of them, not exactly one: the `event` says which it is.
    if let Some(data) = doc
        .pointer_mut("/components/schemas/LiveData")
        .and_then(Value::as_object_mut)
        && let Some(shapes) = data.remove("oneOf")
    {
        data.insert("anyOf".into(), shapes);
    }
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(content) = item
            .pointer_mut("/get/responses/200/content/text~1event-stream")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        // The leads board's stream says one thing: that the board changed.
        let (kinds, about) = if path == "/api/v1/leads/board/stream" {
            (
                vec!["board"],
                "One message of the board's stream: `event` is `board`, `data` its JSON, `id` the revision to send back as Last-Event-ID.",
            )
        } else {
            (
                kinds.clone(),
                "One message of the live stream: `event` names what changed, `data` is its JSON, `id` the number to send back as Last-Event-ID.",
            )
        };
        let data = content.get("schema").cloned().unwrap_or(Value::Null);
        content.insert(
            "schema".into(),
            serde_json::json!({
                "type": "object",
                "description": about,
                "required": ["data"],
                "properties": {
                    "event": {"type": "string", "enum": kinds},
                    "data": {
                        "type": "string",
                        "contentMediaType": "application/json",
                        "contentSchema": data
                    },
                    "id": {"type": "string", "pattern": "^[0-9]+$"},
                    "retry": {"type": "integer", "minimum": 0}
                }
            }),
        );
    }
}

/// The names of the component schemas `roots` lead to, through every `$ref`.
fn reachable<'a>(doc: &'a Value, roots: Vec<&'a Value>) -> BTreeSet<String> {
    let schemas = &doc["components"]["schemas"];
    let mut seen = BTreeSet::new();
    let mut todo = roots;
    while let Some(node) = todo.pop() {
        match node {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    if seen.insert(name.to_string()) {
                        todo.push(&schemas[name]);
                    }
                }
                todo.extend(map.values());
            }
            Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
    seen
}

/// Marks every property of the schemas only answers use as required, but those
/// [`MAY_BE_ABSENT`] names, so that a renamed or dropped field fails every check.
fn require_what_is_always_sent(doc: &mut Value) {
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            requests.push(&operation["requestBody"]);
            requests.push(&operation["parameters"]);
            responses.push(&operation["responses"]);
        }
    }
    let asked = reachable(doc, requests);
    let answered = reachable(doc, responses);
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    for name in answered.difference(&asked) {
        let absent = MAY_BE_ABSENT
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, fields)| *fields)
            .unwrap_or(&[]);
        if let Some(schema) = schemas.get_mut(name) {
            require_properties(schema, absent);
        }
    }
}

fn require_properties(schema: &mut Value, absent: &[&str]) {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let required: Vec<Value> = props
            .keys()
            .filter(|k| !absent.contains(&k.as_str()))
            .map(|k| Value::from(k.as_str()))
            .collect();
        if let Some(map) = schema.as_object_mut() {
            map.insert("required".into(), Value::Array(required));
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(items) = schema.get_mut(key).and_then(Value::as_array_mut) {
            for item in items {
                require_properties(item, absent);
            }
        }
    }
}

/// The methods of a path item, as route lists spell them.
pub(crate) fn methods(item: &PathItem) -> Vec<&'static str> {
    [
        (item.get.is_some(), "GET"),
        (item.put.is_some(), "PUT"),
        (item.post.is_some(), "POST"),
        (item.delete.is_some(), "DELETE"),
        (item.patch.is_some(), "PATCH"),
    ]
    .into_iter()
    .filter_map(|(has, name)| has.then_some(name))
    .collect()
}

fn operations(item: &mut PathItem) -> Vec<(HttpMethod, &mut Operation)> {
    [
        (HttpMethod::Get, item.get.as_mut()),
        (HttpMethod::Put, item.put.as_mut()),
        (HttpMethod::Post, item.post.as_mut()),
        (HttpMethod::Delete, item.delete.as_mut()),
        (HttpMethod::Patch, item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, o)| o.map(|o| (m, o)))
    .collect()
}

/// What an error status means, for every operation that can answer it.
fn description(code: u16) -> &'static str {
    match code {
        400 => "A path or query value, or the JSON, cannot be read",
        401 => "No or unknown bearer token",
        403 => "The caller's role may not do this",
        404 => "Not found (or belongs to someone else)",
        409 => "Conflict: the state does not allow it (see `code`)",
        413 => "Body too large",
        415 => "Wrong content type",
        422 => "Invalid fields, listed in `errors`",
        429 => "Too many requests; send again after Retry-After",
        500 => "Something failed on the server; the problem's request id finds it in the log",
        503 => "Busy; send again after Retry-After",
        _ => "Error",
    }
}

/// A problem answer; 429 and 503 say when to try again, 401 how to authenticate.
pub fn problem_response(code: u16) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description(code))
        .content("application/problem+json", content);
    if matches!(code, 429 | 503) {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(0)),
                )
                .description(Some("Seconds to wait"))
                .build(),
        );
    }
    response.build()
}

/// Every operation lists every error status it can answer, as the one error path makes
/// them: 400 for an unreadable path or query value, 500 and 503 anywhere, 401, 403 and
/// 404 where a token is read, 404 where the path names something, 413/415/422 where a
/// body is taken, 422 where query values are, 429 for writes (and wherever rate limits count).
fn complete_errors(path: &str, method: HttpMethod, operation: &mut Operation) {
    let mut codes = vec![400, 500, 503];
    if operation.security.is_some() {
        // Someone else's object, or a capability the caller has no part in, is "not
        // found" rather than "forbidden", so that nothing leaks.
        codes.extend([401, 403, 404]);
    } else if path.contains('{') {
        codes.push(404);
    }
    if operation.request_body.is_some() {
        codes.extend([413, 415, 422]);
    } else if operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query))
    {
        // A query value that reads but cannot be used (a page size out of range) is
        // named as a field is.
        codes.push(422);
    }
    if method != HttpMethod::Get {
        codes.push(429);
    }
    for (code, response) in operation.responses.responses.iter_mut() {
        if let RefOr::T(response) = response {
            if response.description.is_empty() {
                response.description = match code.as_str() {
                    "201" => "Created",
                    "204" => "Done",
                    _ => "Success",
                }
                .to_string();
            }
        }
    }
    for code in codes {
        operation
            .responses
            .responses
            .entry(code.to_string())
            .or_insert_with(|| RefOr::T(problem_response(code)));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_api_route_has_its_operation_and_nothing_else() {
        let doc = super::document();
        let mut described = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in item.as_object().into_iter().flat_map(|o| o.keys()) {
                described.push((method.to_uppercase(), path.clone()));
            }
        }
        let mut served: Vec<(String, String)> = crate::route_list()
            .into_iter()
            .filter(|(_, p)| p.starts_with("/api/") || *p == "/healthz" || *p == "/readyz")
            .map(|(m, p)| (m.to_string(), p))
            .collect();
        described.sort();
        served.sort();
        assert_eq!(described, served);
    }

    #[test]
    fn no_two_schemas_share_a_name() {
        assert_eq!(crate::schema_collisions(), Vec::<String>::new());
    }

    #[test]
    fn the_document_is_the_reviewed_contract() {
        insta::assert_json_snapshot!("openapi", super::document());
    }
}
