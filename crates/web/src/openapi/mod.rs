//! The OpenAPI 3.1 description of the API, served at /api/openapi.json. Written out here
//! rather than derived, so that it reads as the contract; a test checks that it names
//! exactly the API routes the router serves.

mod directory;
mod follow_up;

use roadshow_domain::reference::{COMPANY_SIZES, INDUSTRIES};
use serde_json::{Value, json};

fn problem_responses(codes: &[u16]) -> Value {
    let mut map = serde_json::Map::new();
    for code in codes {
        let description = match code {
            400 => "A path or query value, or the JSON, cannot be read",
            401 => "No or unknown bearer token",
            403 => "The caller's role may not do this",
            404 => "Not found (or belongs to someone else)",
            409 => "Conflict (already registered, slug taken, registrations closed)",
            413 => "Body too large",
            415 => "Wrong content type",
            422 => "Invalid fields, listed in `errors`",
            429 => "Too many requests; see Retry-After",
            500 => "Something failed on the server; the problem's request id finds it in the log",
            503 => "The database is busy; send again after Retry-After",
            _ => "Error",
        };
        map.insert(
            code.to_string(),
            json!({"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}),
        );
    }
    Value::Object(map)
}

fn op(
    summary: &str,
    security: bool,
    params: &[&str],
    body: Option<&str>,
    ok_code: u16,
    ok_schema: Value,
    errors: &[u16],
) -> Value {
    // Any operation may meet a busy database.
    let mut errors = errors.to_vec();
    errors.push(503);
    let mut responses = problem_responses(&errors);
    let ok = if ok_code == 204 {
        json!({"description": "Done"})
    } else {
        json!({"description": "Success", "content": {"application/json": {"schema": ok_schema}}})
    };
    responses[ok_code.to_string()] = ok;
    let mut operation = json!({
        "summary": summary,
        "parameters": params.iter().map(|p| json!({"$ref": format!("#/components/parameters/{p}")})).collect::<Vec<_>>(),
        "responses": responses,
    });
    if let Some(schema) = body {
        operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    }
    if security {
        operation["security"] = json!([{"bearer": []}]);
    }
    operation
}

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn localized() -> Value {
    json!({"$ref": "#/components/schemas/Localized"})
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut doc = foundation();
    add_questions_polls_and_live(&mut doc);
    add_catalogue(&mut doc);
    add_meetings(&mut doc);
    follow_up::add(&mut doc);
    directory::add(&mut doc);
    complete_errors(&mut doc);
    doc
}

/// Every operation lists every error status it can answer, as the one error path makes
/// them (all `application/problem+json`): 400 for an unreadable path or query value, 500
/// and 503 anywhere, 401 and 403 where a token is needed, 404 where the path names
/// something, 413/415/422 where a body is taken, 429 for writes.
fn complete_errors(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let mut codes = vec![400, 500, 503];
            if operation.get("security").is_some() {
                codes.extend([401, 403]);
            }
            if path.contains('{') {
                codes.push(404);
            }
            if operation.get("requestBody").is_some() {
                codes.extend([413, 415, 422]);
            }
            if method != "get" {
                codes.push(429);
            }
            let missing = problem_responses(&codes);
            if let (Some(responses), Some(missing)) =
                (operation["responses"].as_object_mut(), missing.as_object())
            {
                for (code, response) in missing {
                    responses
                        .entry(code.clone())
                        .or_insert_with(|| response.clone());
                }
            }
        }
    }
}

/// The agency's parks and policies (organisers).
fn add_catalogue(doc: &mut Value) {
    use roadshow_domain::reference::{BENEFIT_TYPES, INDUSTRIES};
    let industries = json!({"type": "array", "maxItems": roadshow_domain::directory::LIST_MAX, "items": {"type": "string", "enum": INDUSTRIES}});
    let paths = json!({
        "/api/v1/parks": {
            "get": op("The agency's industrial parks (organiser)", true, &[], None, 200, json!({"type": "object", "properties": {"parks": {"type": "array", "items": schema("Park")}}}), &[401, 403]),
            "post": op("Add a park (organiser)", true, &[], Some("ParkInput"), 201, schema("Park"), &[400, 401, 403, 413, 415, 422, 429])
        },
        "/api/v1/parks/{id}": {
            "put": op("Change a park (organiser of its agency)", true, &["id"], Some("ParkInput"), 200, schema("Park"), &[400, 401, 403, 404, 413, 415, 422, 429])
        },
        "/api/v1/policies": {
            "get": op("The agency's preferential and support policies (organiser)", true, &[], None, 200, json!({"type": "object", "properties": {"policies": {"type": "array", "items": schema("Policy")}}}), &[401, 403]),
            "post": op("Add a policy (organiser)", true, &[], Some("PolicyInput"), 201, schema("Policy"), &[400, 401, 403, 413, 415, 422, 429])
        },
        "/api/v1/policies/{id}": {
            "put": op("Change a policy (organiser of its agency)", true, &["id"], Some("PolicyInput"), 200, schema("Policy"), &[400, 401, 403, 404, 413, 415, 422, 429])
        },
        "/api/v1/stories": {
            "get": op("The agency's success stories (organiser)", true, &[], None, 200, json!({"type": "object", "properties": {"stories": {"type": "array", "items": schema("SuccessStory")}}}), &[401, 403]),
            "post": op("Add a success story (organiser)", true, &[], Some("StoryInput"), 201, schema("SuccessStory"), &[400, 401, 403, 413, 415, 422, 429])
        },
        "/api/v1/stories/{id}": {
            "put": op("Change a success story (organiser of its agency)", true, &["id"], Some("StoryInput"), 200, schema("SuccessStory"), &[400, 401, 403, 404, 413, 415, 422, 429])
        }
    });
    let schemas = json!({
        "ParkInput": {"type": "object", "required": ["slug", "name"], "properties": {
            "slug": {"type": "string", "maxLength": 80}, "name": localized(), "district": localized(), "summary": localized(),
            "focus_industries": industries.clone(),
            "area_km2": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": roadshow_domain::directory::AREA_MAX_KM2},
            "website": {"type": "string", "format": "uri"}, "contact": {"type": "string", "maxLength": roadshow_domain::directory::CONTACT_MAX},
            "policy_ids": {"type": "array", "items": {"type": "integer"}, "description": "Policies of the same agency"},
            "external_id": {"type": "string", "maxLength": 100}, "address": {"type": "string", "maxLength": 300},
            "latitude": {"type": "number", "minimum": -90, "maximum": 90}, "longitude": {"type": "number", "minimum": -180, "maximum": 180}
        }},
        "Park": {"type": "object", "properties": {"id": {"type": "integer"}, "slug": {"type": "string"}, "name": localized(), "district": localized(), "summary": localized(), "focus_industries": {"type": "array", "items": {"type": "string"}}, "area_km2": {"type": ["number", "null"]}, "website": {"type": ["string", "null"]}, "contact": {"type": ["string", "null"]}, "is_sample": {"type": "boolean"}, "policy_ids": {"type": "array", "items": {"type": "integer"}}, "external_id": {"type": ["string", "null"]}, "address": {"type": ["string", "null"]}, "latitude": {"type": ["number", "null"]}, "longitude": {"type": ["number", "null"]}, "archived": {"type": "boolean"}}},
        "PolicyInput": {"type": "object", "required": ["slug", "title"], "properties": {
            "slug": {"type": "string", "maxLength": 80}, "title": localized(), "issuing_body": localized(), "region": localized(), "summary": localized(),
            "sectors": industries,
            "benefit_types": {"type": "array", "items": {"type": "string", "enum": BENEFIT_TYPES}},
            "valid_from": {"type": "string", "format": "date"}, "valid_until": {"type": "string", "format": "date"},
            "source_url": {"type": "string", "format": "uri"},
            "body": {"allOf": [localized()], "description": "Full text, Markdown per language"},
            "criteria": {"type": "array", "maxItems": roadshow_domain::directory::eligibility::CRITERIA_MAX, "items": schema("Criterion")},
            "successor_id": {"type": "integer", "description": "The policy of the same agency that replaces this one"},
            "park_ids": {"type": "array", "items": {"type": "integer"}, "description": "Parks where it applies; omitted: unchanged"},
            "external_id": {"type": "string", "maxLength": 100}
        }},
        "StoryInput": {"type": "object", "required": ["slug", "company_name", "country", "title"], "properties": {
            "slug": {"type": "string", "maxLength": 80}, "company_name": {"type": "string", "maxLength": 200},
            "country": {"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166-1 alpha-2"},
            "title": localized(), "body": {"allOf": [localized()], "description": "Markdown per language"},
            "park_id": {"type": "integer"}, "external_id": {"type": "string", "maxLength": 100}
        }},
        "SuccessStory": {"type": "object", "properties": {"id": {"type": "integer"}, "slug": {"type": "string"}, "company_name": {"type": "string"}, "country": {"type": "string"}, "title": localized(), "body": localized(), "is_sample": {"type": "boolean"}}},
        "Policy": {"type": "object", "properties": {"id": {"type": "integer"}, "slug": {"type": "string"}, "title": localized(), "issuing_body": localized(), "region": localized(), "sectors": {"type": "array", "items": {"type": "string"}}, "benefit_types": {"type": "array", "items": {"type": "string"}}, "summary": localized(), "valid_from": {"type": ["string", "null"]}, "valid_until": {"type": ["string", "null"]}, "source_url": {"type": ["string", "null"]}, "is_sample": {"type": "boolean"}, "body": localized(), "criteria": {"type": "array", "items": schema("Criterion")}, "successor_id": {"type": ["integer", "null"]}, "park_ids": {"type": "array", "items": {"type": "integer"}}, "external_id": {"type": ["string", "null"]}, "archived": {"type": "boolean"}, "version": {"type": "integer"}, "updated_at": {"type": "integer"}}}
    });
    merge(doc, paths, schemas);
}

fn add_meetings(doc: &mut Value) {
    let ids = json!({"type": "array", "items": {"type": "string"}});
    let mut operation = op(
        "Schedule 1:1 meetings (organiser): the grid of greatest total weight found within the time limit, the upper bound proved, and why each request left out got nothing. Every problem of the instance is a 422 naming its record (`requests[3].host`).",
        true,
        &[],
        Some("ScheduleInstance"),
        200,
        schema("Schedule"),
        &[400, 401, 403, 413, 415, 422, 429],
    );
    operation["parameters"] = json!([{"name": "time_limit_ms", "in": "query", "required": false, "description": "Stop searching after this long (default 5000)", "schema": {"type": "integer", "minimum": 100, "maximum": 10000}}]);
    let obj = json!({"type": "object"});
    let mut proposal = op(
        "The scheduler's grid for the event's current requests (organiser); confirmed meetings stay where they are unless `full=true`",
        true,
        &["slug"],
        None,
        200,
        schema("Schedule"),
        &[401, 403, 404, 429],
    );
    proposal["parameters"] = json!([{"$ref": "#/components/parameters/slug"}, {"name": "full", "in": "query", "required": false, "schema": {"type": "boolean"}}]);
    let paths = json!({
        "/api/v1/meetings/schedule": {"post": operation},
        "/api/v1/events/{slug}/meetings/booking": {
            "get": op("The event's meeting booking with its slots, requests and confirmed meetings (organiser)", true, &["slug"], None, 200, obj.clone(), &[401, 403, 404]),
            "put": op("Open or change meeting booking: days, hours and slot length in the event's zone, breaks, most meetings per company, request deadline, video-link pattern, hosts with their tables (organiser)", true, &["slug"], Some("BookingInput"), 200, obj.clone(), &[401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/meetings/proposal": {"post": proposal},
        "/api/v1/events/{slug}/meetings/confirm": {
            "post": op("Confirm meetings (organiser): checked against every rule before they are kept; a meeting that stays in its slot keeps its id", true, &["slug"], Some("ConfirmInput"), 200, obj.clone(), &[401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/meetings": {
            "get": op("A participant's meeting booking: hosts, slots, their requests, the slots they marked and their confirmed meetings with video links", true, &["slug"], None, 200, obj.clone(), &[401, 403, 404])
        },
        "/api/v1/events/{slug}/meetings/requests": {
            "post": op("Ask a host for a meeting, with a priority (must, want, nice) and a topic (participant, before the deadline); asking the same host again changes the request", true, &["slug"], Some("MeetingRequestInput"), 201, obj.clone(), &[401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/meetings/requests/{id}": {
            "delete": op("Withdraw one's own request (participant, before the deadline)", true, &["slug", "id"], None, 200, obj.clone(), &[401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/meetings/host": {
            "get": op("The requests and meetings of the caller's department (official) or of every host (organiser)", true, &["slug"], None, 200, obj.clone(), &[401, 403, 404])
        },
        "/api/v1/events/{slug}/meetings/invitations": {
            "post": op("A host asks a registered company for a meeting (official for its department, organiser for any host); the host's interest raises the request's weight by 2", true, &["slug"], Some("InvitationInput"), 201, obj.clone(), &[401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/meetings/requests/{id}/answer": {
            "post": op("A host accepts a request, or declines it with a reason (a declined request is not scheduled)", true, &["slug", "id"], Some("AnswerInput"), 200, obj.clone(), &[401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/meetings/{id}/outcome": {
            "post": op("A host records what came of a meeting once it has begun: held or no-show, notes, follow-up wanted", true, &["slug", "id"], Some("OutcomeInput"), 200, obj.clone(), &[401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/meetings/availability": {
            "put": op("Replace the slots one can make (participant, before the deadline): slot starts as Unix seconds or RFC 3339", true, &["slug"], Some("AvailabilityInput"), 200, obj.clone(), &[401, 403, 404, 422, 429])
        }
    });
    let schemas = json!({
        "ScheduleInstance": {"type": "object", "required": ["slots", "hosts", "companies", "requests"], "properties": {
            "slots": {"description": "In time order: idle gaps are counted along it", "type": "array", "items": {"type": "string"}},
            "hosts": {"type": "array", "items": {"type": "object", "required": ["id", "capacity", "available"], "properties": {"id": {"type": "string"}, "capacity": {"type": "integer", "minimum": 1, "maximum": roadshow_domain::meetings::instance::MAX_CAPACITY}, "available": ids.clone()}}},
            "companies": {"type": "array", "items": {"type": "object", "required": ["id", "available", "max_meetings"], "properties": {"id": {"type": "string"}, "available": ids.clone(), "max_meetings": {"type": "integer", "minimum": 0}}}},
            "requests": {"type": "array", "items": {"type": "object", "required": ["company", "host", "weight"], "properties": {"company": {"type": "string"}, "host": {"type": "string"}, "weight": {"type": "integer", "minimum": 1, "maximum": roadshow_domain::meetings::instance::MAX_WEIGHT}, "slot": {"description": "Pinned: the meeting must stay in this slot", "type": "string"}}}}
        }},
        "BookingInput": {"type": "object", "properties": {
            "days": {"description": "YYYY-MM-DD, separated by commas or spaces", "type": "string"},
            "day_start": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
            "day_end": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
            "slot_minutes": {"type": "integer", "minimum": 10, "maximum": 120},
            "break_minutes": {"type": "integer", "minimum": 0, "maximum": 60},
            "max_per_company": {"type": "integer", "minimum": 1, "maximum": 20},
            "request_deadline": {"description": "Wall-clock time in the event's zone (YYYY-MM-DDTHH:MM) or RFC 3339", "type": "string"},
            "video_link": {"description": "{meeting} is replaced by the meeting's number", "type": "string"},
            "hosts": {"type": "array", "items": {"type": "object", "properties": {"department_id": {"type": "integer"}, "capacity": {"type": "integer", "minimum": 1, "maximum": 20}}}}
        }},
        "ConfirmInput": {"type": "object", "properties": {"meetings": {"type": "array", "items": {"type": "object", "required": ["company", "host", "slot"], "properties": {"company": {"type": "string"}, "host": {"type": "string"}, "slot": {"type": "string"}}}}}},
        "MeetingRequestInput": {"type": "object", "properties": {"department_id": {"type": "integer"}, "priority": {"type": "string", "enum": ["must", "want", "nice"]}, "topic": {"type": "string", "maxLength": 300}}},
        "InvitationInput": {"type": "object", "properties": {"department_id": {"type": "integer"}, "participant_id": {"type": "integer"}, "topic": {"type": "string", "maxLength": 300}}},
        "AnswerInput": {"type": "object", "properties": {"accept": {"type": "boolean"}, "reason": {"description": "Required when declining", "type": "string", "maxLength": 500}}},
        "OutcomeInput": {"type": "object", "properties": {"outcome": {"type": "string", "enum": ["held", "no_show"]}, "notes": {"type": "string", "maxLength": 4000}, "follow_up": {"type": "boolean"}}},
        "AvailabilityInput": {"type": "object", "properties": {"slots": {"type": "array", "items": {"type": "string"}}}},
        "Schedule": {"type": "object", "required": ["meetings", "objective", "upper_bound", "optimal", "seconds"], "properties": {
            "meetings": {"type": "array", "items": {"type": "object", "required": ["company", "host", "slot"], "properties": {"company": {"type": "string"}, "host": {"type": "string"}, "slot": {"type": "string"}}}},
            "objective": {"description": "Total weight of the meetings", "type": "integer", "minimum": 0},
            "upper_bound": {"description": "No schedule can weigh more (proven)", "type": "integer", "minimum": 0},
            "optimal": {"type": "boolean"},
            "seconds": {"type": "number"},
            "gap_percent": {"type": "number"},
            "companies_with_meetings": {"type": "integer"},
            "unplaced": {"type": "array", "items": {"type": "object", "properties": {"company": {"type": "string"}, "host": {"type": "string"}, "weight": {"type": "integer"}, "reason": {"type": "string", "enum": ["no_common_slot", "company_at_maximum", "host_full", "company_busy"]}}}}
        }}
    });
    merge(doc, paths, schemas);
}

fn foundation() -> Value {
    let obj = json!({"type": "object"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Roadshow API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Online investment-promotion events: events and their agenda, registrations, departments and materials. Errors are RFC 9457 problem details. Staff authenticate with a bearer token from `roadshow token create`; participants with the token returned at registration.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/healthz": {"get": op("Health: the server and its database answer", false, &[], None, 200, obj.clone(), &[])},
            "/api/openapi.json": {"get": op("This document", false, &[], None, 200, obj.clone(), &[])},
            "/api/v1/reference": {"get": op("The lists registrations choose from: countries (ISO 3166-1 alpha-2), industries, company sizes", false, &[], None, 200, schema("Reference"), &[])},
            "/api/v1/events": {
                "get": op("Published events, soonest first", false, &[], None, 200, json!({"type": "object", "properties": {"events": {"type": "array", "items": schema("Event")}}}), &[]),
                "post": op("Create an event (organiser)", true, &[], Some("EventInput"), 201, schema("Event"), &[400, 401, 403, 413, 415, 422, 429])
            },
            "/api/v1/events/{slug}": {
                "get": op("An event with its agenda, departments, parks, policies and success stories", false, &["slug"], None, 200, schema("EventDetail"), &[404]),
                "put": op("Change an event (organiser of its agency)", true, &["slug"], Some("EventInput"), 200, schema("Event"), &[400, 401, 403, 404, 413, 415, 422, 429])
            },
            "/api/v1/events/{slug}/sessions": {
                "post": op("Add a session to the agenda (organiser)", true, &["slug"], Some("SessionInput"), 201, schema("Session"), &[400, 401, 403, 404, 422, 429])
            },
            "/api/v1/sessions/{id}": {
                "put": op("Change a session (organiser)", true, &["id"], Some("SessionInput"), 200, schema("Session"), &[400, 401, 403, 404, 422, 429]),
                "delete": op("Remove a session with its speakers and materials (organiser)", true, &["id"], None, 204, obj.clone(), &[401, 403, 404, 429])
            },
            "/api/v1/sessions/{id}/speakers": {
                "post": op("Add a speaker to a session (organiser)", true, &["id"], Some("SpeakerInput"), 201, schema("Speaker"), &[400, 401, 403, 404, 422, 429])
            },
            "/api/v1/speakers/{id}": {
                "delete": op("Remove a speaker (organiser)", true, &["id"], None, 204, obj.clone(), &[401, 403, 404, 429])
            },
            "/api/v1/sessions/{id}/materials": {
                "post": op("Attach a link as material (organiser)", true, &["id"], Some("LinkInput"), 201, schema("Material"), &[400, 401, 403, 404, 422, 429])
            },
            "/api/v1/sessions/{id}/materials/upload": {
                "post": {
                    "summary": "Upload a file as material (organiser): PDF, PNG, JPEG, WebP, PPTX, PPT or ODP, recognised by content; at most 20 MB",
                    "security": [{"bearer": []}],
                    "parameters": [{"$ref": "#/components/parameters/id"}],
                    "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["title", "file"], "properties": {"title": {"type": "string"}, "file": {"type": "string", "contentMediaType": "application/octet-stream"}}}}}},
                    "responses": {
                        "201": {"description": "Stored", "content": {"application/json": {"schema": schema("Material")}}},
                        "401": problem_responses(&[401])["401"].clone(),
                        "403": problem_responses(&[403])["403"].clone(),
                        "404": problem_responses(&[404])["404"].clone(),
                        "413": problem_responses(&[413])["413"].clone(),
                        "415": problem_responses(&[415])["415"].clone(),
                        "422": problem_responses(&[422])["422"].clone()
                    }
                }
            },
            "/api/v1/materials/{id}": {
                "delete": op("Remove a material and its file (organiser)", true, &["id"], None, 204, obj.clone(), &[401, 403, 404, 429])
            },
            "/api/v1/departments": {
                "get": op("The agency's departments (staff)", true, &[], None, 200, json!({"type": "object", "properties": {"departments": {"type": "array", "items": schema("Department")}}}), &[401]),
                "post": op("Create a department (organiser)", true, &[], Some("DepartmentInput"), 201, schema("Department"), &[400, 401, 403, 422, 429])
            },
            "/api/v1/departments/{id}": {
                "put": op("Change a department (organiser)", true, &["id"], Some("DepartmentInput"), 200, schema("Department"), &[400, 401, 403, 404, 422, 429])
            },
            "/api/v1/outbox": {
                "get": op("The emails of the agency: held (no SMTP), pending, sent or failed (organiser)", true, &[], None, 200, obj.clone(), &[401, 403])
            },
            "/api/v1/events/{slug}/registrations": {
                "post": op("Register for an event (public). Returns the participant's token, shown only here.", false, &["slug"], Some("RegistrationInput"), 201, schema("RegistrationReceipt"), &[400, 404, 409, 413, 415, 422, 429]),
                "get": op("The event's registrations with counts by country and industry (organiser)", true, &["slug", "country", "industry", "q"], None, 200, schema("RegistrationList"), &[401, 403, 404])
            },
            "/api/v1/events/{slug}/registrations.csv": {
                "get": {
                    "summary": "The registrations as CSV (UTF-8 with BOM, cells defused against formula injection; organiser)",
                    "security": [{"bearer": []}],
                    "parameters": [{"$ref": "#/components/parameters/slug"}, {"$ref": "#/components/parameters/country"}, {"$ref": "#/components/parameters/industry"}, {"$ref": "#/components/parameters/q"}],
                    "responses": {
                        "200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                        "401": problem_responses(&[401])["401"].clone(),
                        "403": problem_responses(&[403])["403"].clone(),
                        "404": problem_responses(&[404])["404"].clone()
                    }
                }
            },
            "/api/v1/registrations/{id}": {
                "get": op("One registration: for an organiser of its agency or its own participant", true, &["id"], None, 200, schema("Registration"), &[401, 403, 404])
            },
            "/api/v1/me": {
                "get": op("Who the bearer token belongs to; a participant gets their registration", true, &[], None, 200, obj.clone(), &[401])
            }
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "parameters": {
                "slug": {"name": "slug", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}},
                "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}},
                "country": {"name": "country", "in": "query", "required": false, "schema": {"type": "string", "pattern": "^[A-Za-z]{2}$"}},
                "industry": {"name": "industry", "in": "query", "required": false, "schema": {"type": "string", "enum": INDUSTRIES}},
                "q": {"name": "q", "in": "query", "required": false, "description": "Part of a name, email or company name", "schema": {"type": "string", "maxLength": 200}}
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "description": "RFC 9457 problem details",
                    "required": ["type", "title", "status"],
                    "properties": {
                        "type": {"type": "string", "format": "uri-reference"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "instance": {"type": "string"},
                        "code": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "object", "required": ["field", "code", "message"], "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}
                    }
                },
                "Localized": {"type": "object", "description": "A text per language; readers fall back to English, German, Chinese, French", "properties": {"de": {"type": "string"}, "en": {"type": "string"}, "zh": {"type": "string"}, "fr": {"type": "string"}}, "additionalProperties": false},
                "Reference": {"type": "object", "properties": {"countries": {"type": "array", "items": {"type": "object"}}, "industries": {"type": "array", "items": {"type": "string"}}, "company_sizes": {"type": "array", "items": {"type": "string"}}, "languages": {"type": "array", "items": {"type": "string"}}}},
                "Event": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"}, "slug": {"type": "string"}, "title": localized(), "theme": localized(), "description": localized(),
                        "focus_industries": {"type": "array", "items": {"type": "string"}}, "target_countries": {"type": "array", "items": {"type": "string"}},
                        "languages": {"type": "array", "items": {"type": "string", "enum": ["de", "en", "zh", "fr"]}},
                        "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
                        "timezone": {"type": "string"}, "video_url": {"type": ["string", "null"]},
                        "status": {"type": "string", "enum": ["draft", "published", "live", "closed"]},
                        "registration_questions": {"type": "array", "items": {"type": "object"}}, "privacy_version": {"type": "string"}
                    }
                },
                "EventDetail": {"allOf": [schema("Event"), {"type": "object", "properties": {"sessions": {"type": "array", "items": schema("Session")}, "departments": {"type": "array", "items": schema("Department")}, "parks": {"type": "array", "items": {"type": "object"}}, "policies": {"type": "array", "items": {"type": "object"}}, "success_stories": {"type": "array", "items": {"type": "object"}}, "agenda_ics": {"type": "string"}}}]},
                "EventInput": {
                    "type": "object",
                    "required": ["slug", "title", "starts_at", "ends_at"],
                    "properties": {
                        "slug": {"type": "string", "maxLength": 80}, "title": localized(), "theme": localized(), "description": localized(),
                        "focus_industries": {"type": "array", "items": {"type": "string", "enum": INDUSTRIES}},
                        "target_countries": {"type": "array", "items": {"type": "string"}},
                        "languages": {"type": "array", "items": {"type": "string", "enum": ["de", "en", "zh", "fr"]}},
                        "starts_at": {"type": "string", "description": "YYYY-MM-DDTHH:MM in the event's zone, or RFC 3339"},
                        "ends_at": {"type": "string"}, "timezone": {"type": "string", "default": "Asia/Shanghai"},
                        "video_url": {"type": "string", "format": "uri"},
                        "status": {"type": "string", "enum": ["draft", "published", "live", "closed"]},
                        "registration_questions": {"type": "array", "maxItems": 10, "items": {"type": "object"}},
                        "privacy_version": {"type": "string"}
                    }
                },
                "Session": {"type": "object", "properties": {"id": {"type": "integer"}, "event_id": {"type": "integer"}, "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"}, "kind": {"type": "string", "enum": ["presentation", "exchange"]}, "title": localized(), "summary": localized(), "department_id": {"type": ["integer", "null"]}, "presenter": localized(), "speakers": {"type": "array", "items": schema("Speaker")}, "materials": {"type": "array", "items": schema("Material")}}},
                "SessionInput": {"type": "object", "required": ["starts_at", "ends_at", "title"], "properties": {"starts_at": {"type": "string"}, "ends_at": {"type": "string"}, "kind": {"type": "string", "enum": ["presentation", "exchange"]}, "title": localized(), "summary": localized(), "department_id": {"type": ["integer", "null"]}, "presenter": localized(), "park_ids": {"type": "array", "items": {"type": "integer"}}, "policy_ids": {"type": "array", "items": {"type": "integer"}}, "story_ids": {"type": "array", "items": {"type": "integer"}}}},
                "Speaker": {"type": "object", "properties": {"id": {"type": "integer"}, "session_id": {"type": "integer"}, "name": {"type": "string"}, "role": localized()}},
                "SpeakerInput": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "maxLength": 200}, "role": localized()}},
                "Material": {"type": "object", "properties": {"id": {"type": "integer"}, "session_id": {"type": "integer"}, "title": {"type": "string"}, "url": {"type": ["string", "null"]}, "filename": {"type": ["string", "null"]}, "content_type": {"type": ["string", "null"]}, "size_bytes": {"type": "integer"}, "download_url": {"type": "string"}}},
                "LinkInput": {"type": "object", "required": ["title", "url"], "properties": {"title": {"type": "string"}, "url": {"type": "string", "format": "uri"}}},
                "Department": {"type": "object", "properties": {"id": {"type": "integer"}, "slug": {"type": "string"}, "kind": {"type": "string"}, "name": localized(), "description": localized(), "website": {"type": ["string", "null"]}}},
                "DepartmentInput": {"type": "object", "required": ["slug", "name"], "properties": {"slug": {"type": "string"}, "kind": {"type": "string", "enum": roadshow_domain::departments::DEPARTMENT_KINDS}, "name": localized(), "description": localized(), "website": {"type": "string", "format": "uri"}}},
                "RegistrationInput": {
                    "type": "object",
                    "required": ["email", "name", "company", "consent"],
                    "properties": {
                        "email": {"type": "string", "format": "email", "maxLength": 254},
                        "name": {"type": "string", "maxLength": 120},
                        "job_title": {"type": "string", "maxLength": 120},
                        "language": {"type": "string", "enum": ["de", "en", "zh", "fr"]},
                        "company": {"type": "object", "required": ["name", "country", "industry", "size"], "properties": {
                            "name": {"type": "string", "maxLength": 200},
                            "country": {"type": "string", "description": "ISO 3166-1 alpha-2; see /api/v1/reference", "pattern": "^[A-Za-z]{2}$"},
                            "industry": {"type": "string", "enum": INDUSTRIES},
                            "size": {"type": "string", "enum": COMPANY_SIZES},
                            "website": {"type": "string", "format": "uri"}
                        }},
                        "consent": {"type": "boolean", "const": true, "description": "Agreement to the privacy notice; stored with its time and version"},
                        "answers": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 2000}, "description": "Answers to the event's registration questions, by key"}
                    }
                },
                "Registration": {"type": "object", "properties": {"id": {"type": "integer"}, "event_id": {"type": "integer"}, "participant_id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"}, "job_title": {"type": ["string", "null"]}, "language": {"type": "string"}, "company": {"type": "object"}, "consent_at": {"type": "string", "format": "date-time"}, "consent_version": {"type": "string"}, "answers": {"type": "object"}, "created_at": {"type": "string", "format": "date-time"}}},
                "RegistrationReceipt": {"allOf": [schema("Registration"), {"type": "object", "required": ["token", "participant_url"], "properties": {"token": {"type": "string", "description": "The participant's bearer token, shown only once"}, "participant_url": {"type": "string"}}}]},
                "RegistrationList": {"type": "object", "properties": {"event": {"type": "string"}, "registrations": {"type": "array", "items": schema("Registration")}, "counts": {"type": "object"}}}
            }
        }
    })
}

/// Adds paths and component schemas to the document.
fn merge(doc: &mut Value, paths: Value, schemas: Value) {
    if let (Some(p), Value::Object(new)) = (doc["paths"].as_object_mut(), paths) {
        p.extend(new);
    }
    if let (Some(s), Value::Object(new)) = (doc["components"]["schemas"].as_object_mut(), schemas) {
        s.extend(new);
    }
}

/// The live exchange: questions, votes, moderation, answers, polls, the SSE stream.
fn add_questions_polls_and_live(doc: &mut Value) {
    let list = |key: &str, item: &str| json!({"type": "object", "properties": {key: {"type": "array", "items": schema(item)}}});
    let paths = json!({
        "/api/v1/events/{slug}/questions": {
            "post": op("Ask a question (participant of the event). It waits for moderation; Roadshow suggests the department to answer it", true, &["slug"], Some("QuestionInput"), 201, schema("Question"), &[400, 401, 403, 404, 415, 422, 429]),
            "get": op("Questions: approved and answered ones for everyone, a participant's own too, all with their state for the agency's staff", false, &["slug"], None, 200, list("questions", "Question"), &[404])
        },
        "/api/v1/events/{slug}/questions.csv": {
            "get": {"summary": "Questions and answers as CSV (moderators and organisers), safe against formula injection", "security": [{"bearer": []}], "parameters": [{"$ref": "#/components/parameters/slug"}], "responses": {"200": {"description": "CSV with a header row", "content": {"text/csv": {"schema": {"type": "string"}}}}, "401": problem_responses(&[401])["401"], "403": problem_responses(&[403])["403"], "404": problem_responses(&[404])["404"]}}
        },
        "/api/v1/questions/{id}": {
            "get": op("One question as the caller may see it", false, &["id"], None, 200, schema("Question"), &[404])
        },
        "/api/v1/questions/{id}/vote": {
            "post": op("Vote for a question (participant; once, a second vote changes nothing)", true, &["id"], None, 200, schema("VoteResult"), &[401, 403, 404, 429]),
            "delete": op("Take a vote back (participant)", true, &["id"], None, 200, schema("VoteResult"), &[401, 403, 404, 429])
        },
        "/api/v1/questions/{id}/moderation": {
            "post": op("Moderate a question (moderator or organiser): approve, dismiss, edit, merge, route, pin, unpin", true, &["id"], Some("ModerationInput"), 200, schema("Question"), &[400, 401, 403, 404, 409, 415, 422, 429])
        },
        "/api/v1/questions/{id}/answers": {
            "post": op("Answer a question in writing (Markdown, sanitised) or mark it answered live (official of the routed department, or organiser)", true, &["id"], Some("AnswerInput"), 201, schema("Question"), &[400, 401, 403, 404, 409, 415, 422, 429])
        },
        "/api/v1/assignments": {
            "get": op("Questions routed to the official's department (organisers: every routed question), with their answer deadlines", true, &[], None, 200, json!({"type": "object", "properties": {"assignments": {"type": "array", "items": {"type": "object", "properties": {"event": {"type": "string"}, "due": {"type": "string", "format": "date-time"}, "overdue": {"type": "boolean"}, "question": schema("Question")}}}}}), &[401, 403])
        },
        "/api/v1/events/{slug}/polls": {
            "get": op("Polls (drafts and counts only for moderators and organisers, counts for others once shown)", false, &["slug"], None, 200, list("polls", "Poll"), &[404]),
            "post": op("Create a poll, as a draft (moderator or organiser)", true, &["slug"], Some("PollInput"), 201, schema("Poll"), &[400, 401, 403, 404, 415, 422, 429])
        },
        "/api/v1/polls/{id}/state": {
            "post": op("Open, close, show or hide the results of a poll (moderator or organiser)", true, &["id"], Some("PollAction"), 200, schema("Poll"), &[400, 401, 403, 404, 409, 422, 429])
        },
        "/api/v1/polls/{id}/votes": {
            "post": op("Answer an open poll (participant; again to change the answer)", true, &["id"], Some("PollVote"), 200, json!({"type": "object", "properties": {"poll": schema("Poll"), "choices": {"type": "array", "items": {"type": "integer"}}}}), &[400, 401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/live": {
            "get": {
                "summary": "Server-Sent Events: the event's live exchange as it happens. Each message has `id:` (the live event's number), `event:` (question_submitted, question_approved, question_updated, question_removed, question_voted, question_answered, question_pinned, poll_opened, poll_closed, poll_results, session_changed) and one line of JSON `data:`. Reconnect with Last-Event-ID (or ?after=) to get what was missed, once. Staff of the agency also receive questions waiting for moderation.",
                "parameters": [{"$ref": "#/components/parameters/slug"}, {"name": "after", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0}}, {"name": "Last-Event-ID", "in": "header", "required": false, "schema": {"type": "integer", "minimum": 0}}],
                "responses": {"200": {"description": "An endless event stream", "content": {"text/event-stream": {"schema": {"$ref": "#/components/schemas/LiveMessage"}}}}, "401": problem_responses(&[401])["401"], "404": problem_responses(&[404])["404"]}
            }
        },
        "/api/v1/events/{slug}/live/session": {
            "put": op("Mark the session on now, or none (moderator or organiser)", true, &["slug"], Some("CurrentSession"), 200, json!({"type": "object", "properties": {"session": {"type": ["integer", "null"]}, "seq": {"type": "integer"}}}), &[400, 401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/qa-settings": {
            "put": op("Set the working days for written answers after the event and publish the FAQ (organiser)", true, &["slug"], Some("AnswerSettings"), 200, json!({"type": "object", "properties": {"answer_working_days": {"type": "integer"}, "faq_published_at": {"type": ["string", "null"], "format": "date-time"}}}), &[400, 401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/faq": {
            "get": op("The FAQ: answered questions grouped by department and session (public once published; staff may preview)", false, &["slug"], None, 200, json!({"type": "object", "properties": {"event": {"type": "string"}, "published_at": {"type": ["string", "null"]}, "groups": {"type": "array", "items": {"type": "object"}}}}), &[404])
        }
    });
    let department = json!({"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": localized()}});
    let schemas = json!({
        "QuestionInput": {"type": "object", "required": ["text"], "properties": {
            "text": {"type": "string", "minLength": 1, "maxLength": roadshow_domain::questions::QUESTION_MAX},
            "session_id": {"type": ["integer", "null"], "description": "A session of the event; none for the whole event"},
            "anonymous": {"type": "boolean", "default": false, "description": "Hide the name from other participants (staff still see it)"},
            "lang": {"type": "string", "enum": ["de", "en", "zh", "fr"], "description": "The question's language; the caller's when missing"}
        }},
        "Question": {"type": "object", "required": ["id", "text", "state", "votes", "department", "answers"], "properties": {
            "id": {"type": "integer"}, "event": {"type": "string"}, "session": {"type": ["integer", "null"]},
            "text": {"type": "string"}, "lang": {"type": "string"},
            "author": {"type": ["string", "null"], "description": "Name (company); null when anonymous"},
            "anonymous": {"type": "boolean"},
            "state": {"type": "string", "enum": ["pending", "approved", "answered", "dismissed", "merged"]},
            "votes": {"type": "integer"}, "pinned": {"type": "boolean"},
            "department": department.clone(),
            "answers": {"type": "array", "items": schema("Answer")},
            "created_at": {"type": "string", "format": "date-time"},
            "author_name": {"type": "string", "description": "Staff only"}, "author_company": {"type": "string", "description": "Staff only"},
            "original_text": {"type": ["string", "null"], "description": "Staff only: the text as asked, if edited"},
            "dismiss_reason": {"type": ["string", "null"], "description": "Staff only"},
            "merged_into": {"type": ["integer", "null"], "description": "Staff only"},
            "suggested_department": department.clone(),
            "suggestion_reason": {"type": ["string", "null"], "description": "Staff only: what matched, e.g. \"Sino-German Industrial Park, Shunyi, tax\""},
            "version": {"type": "integer", "description": "Staff only"}
        }},
        "Answer": {"type": "object", "properties": {"id": {"type": "integer"}, "body": {"type": "string", "description": "Markdown as written"}, "body_html": {"type": "string", "description": "Sanitised HTML"}, "live": {"type": "boolean"}, "lang": {"type": "string"}, "author": {"type": "string"}, "department": department, "created_at": {"type": "string", "format": "date-time"}}},
        "VoteResult": {"type": "object", "properties": {"id": {"type": "integer"}, "votes": {"type": "integer", "description": "The count stored"}, "voted": {"type": "boolean"}, "changed": {"type": "boolean"}}},
        "ModerationInput": {"type": "object", "required": ["action"], "properties": {
            "action": {"type": "string", "enum": ["approve", "dismiss", "edit", "merge", "route", "pin", "unpin"]},
            "reason": {"type": "string", "maxLength": roadshow_domain::questions::REASON_MAX, "description": "For dismiss (required)"},
            "text": {"type": "string", "maxLength": roadshow_domain::questions::QUESTION_MAX, "description": "For edit (required); the original is kept"},
            "into": {"type": "integer", "description": "For merge (required): the question that takes this one's votes"},
            "department": {"type": ["integer", "null"], "description": "For route: a department of the agency, or null"}
        }},
        "InvitationInput": {"type": "object", "properties": {"department_id": {"type": "integer"}, "participant_id": {"type": "integer"}, "topic": {"type": "string", "maxLength": 300}}},
        "AnswerInput": {"type": "object", "properties": {"body": {"type": "string", "maxLength": roadshow_domain::questions::ANSWER_MAX, "description": "Markdown; required unless live"}, "live": {"type": "boolean", "default": false}, "lang": {"type": "string", "enum": ["de", "en", "zh", "fr"]}}},
        "LiveMessage": {"type": "object", "description": "One message of the live stream: `event` names what changed and `data` is its JSON (a question without `answers` when only the question changed; with `answer` for a new answer; `refresh` when what a reconnecting client missed is past the replay window). `id` is the number to send back as Last-Event-ID.", "properties": {"event": {"type": "string", "enum": ["question_submitted", "question_approved", "question_updated", "question_removed", "question_voted", "question_answered", "question_pinned", "poll_opened", "poll_closed", "poll_results", "session_changed", "refresh"]}, "data": {"type": "string", "contentMediaType": "application/json"}, "id": {"type": "string", "pattern": "^[0-9]+$"}, "retry": {"type": "integer"}}, "required": ["event", "data"]},
        "Poll": {"type": "object", "properties": {"id": {"type": "integer"}, "session": {"type": ["integer", "null"]}, "question": localized(), "options": {"type": "array", "items": localized()}, "multiple": {"type": "boolean"}, "state": {"type": "string", "enum": ["draft", "open", "closed"]}, "results_shown": {"type": "boolean"}, "counts": {"type": ["array", "null"], "items": {"type": "integer"}}, "voters": {"type": ["integer", "null"]}}},
        "PollInput": {"type": "object", "required": ["question", "options"], "properties": {"question": localized(), "options": {"type": "array", "minItems": 2, "maxItems": 10, "items": localized()}, "multiple": {"type": "boolean", "default": false}, "session_id": {"type": ["integer", "null"]}}},
        "PollAction": {"type": "object", "required": ["action"], "properties": {"action": {"type": "string", "enum": ["open", "close", "show_results", "hide_results"]}}},
        "PollVote": {"type": "object", "required": ["choices"], "properties": {"choices": {"type": "array", "items": {"type": "integer", "minimum": 0}, "description": "Option indexes; one unless the poll allows several"}}},
        "CurrentSession": {"type": "object", "properties": {"session": {"type": ["integer", "null"]}}},
        "AnswerSettings": {"type": "object", "properties": {"answer_working_days": {"type": "integer", "minimum": 0, "maximum": 60}, "faq_published": {"type": "boolean"}}}
    });
    merge(doc, paths, schemas);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_route_is_described_and_nothing_else() {
        let doc = document();
        let paths = doc["paths"].as_object().expect("paths");
        let mut described = Vec::new();
        for (path, item) in paths {
            for method in item.as_object().expect("item").keys() {
                described.push((method.to_uppercase(), path.clone()));
            }
        }
        let mut served: Vec<(String, String)> = crate::route_list()
            .into_iter()
            .filter(|(_, p)| p.starts_with("/api/") || *p == "/healthz")
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        described.sort();
        served.sort();
        assert_eq!(described, served);
    }
}
