//! The follow-up in the OpenAPI document: the intent survey, signals and the leads
//! pipeline with company merges.

use super::{merge, op, schema};
use roadshow_domain::leads::Stage;
use roadshow_domain::reference::INDUSTRIES;
use roadshow_domain::surveys::*;
use serde_json::{Value, json};

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

pub(super) fn add(doc: &mut Value) {
    let obj = json!({"type": "object"});
    let filters = [
        "stage",
        "owner",
        "country",
        "sector",
        "district",
        "min_score",
        "overdue",
        "company",
        "page",
    ];
    let list = |summary: &str, ok: Value| {
        let mut o = op(summary, true, &filters, None, 200, ok, &[401, 404, 422]);
        o["parameters"] = json!(
            filters
                .iter()
                .map(|p| json!({"$ref": format!("#/components/parameters/lead_{p}")}))
                .collect::<Vec<_>>()
        );
        o
    };
    let mut csv = list(
        "The filtered leads as CSV (UTF-8 with BOM, CRLF), every cell safe against formula injection",
        json!({"type": "string"}),
    );
    csv["responses"]["200"] = json!({"description": "CSV with a header row", "content": {"text/csv": {"schema": {"type": "string"}}}});
    let paths = json!({
        "/api/v1/events/{slug}/survey": {
            "get": op("The event's intent survey with its answers and how many gave each interest level (organiser)", true, &["slug"], None, 200, obj.clone(), &[401, 403, 404]),
            "put": op("Create or change the survey: wording per question and language, introduction, sending time (default: the event's end), deadline, reminder days (organiser). Raises its version", true, &["slug"], Some("SurveyInput"), 200, schema("Survey"), &[401, 403, 404, 422, 429])
        },
        "/api/v1/events/{slug}/survey/send": {
            "post": op("Send the invitations now, one email with its own link per participant in their language (organiser); 409 when sent before", true, &["slug"], None, 200, json!({"type": "object", "properties": {"sent": {"type": "integer"}}}), &[401, 403, 404, 409, 429])
        },
        "/api/v1/events/{slug}/survey/answers": {
            "get": op("The survey for a participant of the event: questions in the reader's language with their choices, the agency's parks and policies, their answers", true, &["slug"], None, 200, obj.clone(), &[401, 403, 404]),
            "put": op("Give or change one's answers until the deadline (participant); 409 after it. \"considering\" or more makes the company a lead", true, &["slug"], Some("SurveyAnswers"), 200, schema("SurveyResponse"), &[401, 403, 404, 409, 422, 429])
        },
        "/api/v1/leads": {
            "get": list("Leads of the caller's agency (investment officers and organisers), best score first, 50 per page, with filters", json!({"type": "object", "properties": {"total": {"type": "integer"}, "offset": {"type": "integer"}, "leads": {"type": "array", "items": schema("Lead")}}})),
            "post": op("Add a company as a lead by hand: an existing company by id, or a new one", true, &[], Some("NewLead"), 201, schema("Lead"), &[401, 404, 422, 429])
        },
        "/api/v1/leads/board": {"get": list("The board: each stage with its number of leads and its 50 best-scored (only `owner` applies)", json!({"type": "object", "properties": {"columns": {"type": "array", "items": {"type": "object", "properties": {"stage": {"type": "string"}, "total": {"type": "integer"}, "leads": {"type": "array", "items": schema("Lead")}}}}}}))},
        "/api/v1/leads.csv": {"get": csv},
        "/api/v1/leads/rules": {
            "get": op("Assignment rules, in order: the first that matches a new lead gives its owner; without a match it waits in the pool", true, &[], None, 200, obj.clone(), &[401, 404]),
            "put": op("Replace the assignment rules (organiser)", true, &[], Some("Rules"), 200, obj.clone(), &[401, 403, 404, 422, 429])
        },
        "/api/v1/leads/{id}": {
            "get": op("A lead with its score and the reasons for it, tasks, contacts and survey answers", true, &["id"], None, 200, obj.clone(), &[401, 404]),
            "put": op("Replace a lead's details (owner, FDI project fields, next step, notes); each changed field is recorded", true, &["id"], Some("LeadDetails"), 200, schema("Lead"), &[401, 404, 422, 429])
        },
        "/api/v1/leads/{id}/stage": {"post": op("Move a lead to a stage; `lost` needs a reason", true, &["id"], Some("StageMove"), 200, schema("Lead"), &[401, 404, 422, 429])},
        "/api/v1/leads/{id}/take": {"post": op("Take a lead from the shared pool; 409 when someone owns it", true, &["id"], None, 200, schema("Lead"), &[401, 404, 409, 429])},
        "/api/v1/leads/{id}/timeline": {"get": op("The lead's timeline, newest first: the company's signals and every change (who, when, what), with its score", true, &["id"], None, 200, obj.clone(), &[401, 404])},
        "/api/v1/leads/{id}/tasks": {"post": op("Add a task with a due date (reminded by email on that day); assigned to the caller unless named", true, &["id"], Some("TaskInput"), 201, schema("Task"), &[401, 404, 422, 429])},
        "/api/v1/tasks": {"get": op("The caller's open tasks, earliest due first", true, &[], None, 200, obj.clone(), &[401, 404])},
        "/api/v1/tasks/{id}": {"put": op("Mark a task done (or open again)", true, &["id"], Some("TaskDone"), 200, schema("Task"), &[401, 404, 422, 429])},
        "/api/v1/companies/{id}/signals": {"get": op("What a company's people did, oldest first: registered, attended (seconds), asked, got answers, voted, meetings, survey (interest level)", true, &["id"], None, 200, obj.clone(), &[401, 404])},
        "/api/v1/companies/duplicates": {"get": op("Pairs of companies that may be one (same website domain, same or contained name), and past merges", true, &[], None, 200, obj.clone(), &[401, 404])},
        "/api/v1/companies/merges": {"post": op("Merge a company into another: its people, registrations, signals and lead move; undoable", true, &[], Some("Merge"), 201, obj.clone(), &[401, 404, 409, 422, 429])},
        "/api/v1/companies/merges/{id}/undo": {"post": op("Undo a merge: exactly what it moved moves back; 409 when undone before", true, &["id"], None, 200, obj.clone(), &[401, 404, 409, 429])}
    });
    let localized = json!({"$ref": "#/components/schemas/Localized"});
    let choice = |codes: Vec<&'static str>| json!({"type": "string", "enum": codes});
    let many = |codes: Vec<&'static str>| json!({"type": "array", "maxItems": 50, "items": {"type": "string", "enum": codes}});
    let text = |max: usize| json!({"type": "string", "maxLength": max});
    let schemas = json!({
        "SurveyInput": {"type": "object", "additionalProperties": false, "properties": {
            "intro": localized.clone(),
            "questions": {"type": "object", "propertyNames": {"enum": QUESTIONS}, "additionalProperties": localized.clone()},
            "send_at": {"description": "Wall-clock time in the event's zone (YYYY-MM-DDTHH:MM) or RFC 3339; empty: the event's end", "type": "string"},
            "deadline": {"description": "As send_at; required, after the sending", "type": "string"},
            "reminder_days": {"type": "integer", "minimum": 1, "maximum": MAX_REMINDER_DAYS}
        }},
        "Survey": {"type": "object", "properties": {"event_id": {"type": "integer"}, "version": {"type": "integer"}, "deadline": {"type": "string", "format": "date-time"}, "sent_at": {"type": ["string", "null"]}}},
        "SurveyAnswers": {"type": "object", "additionalProperties": false, "properties": {
            "interest": choice(codes(Interest::ALL, Interest::code)),
            "sectors": many(INDUSTRIES.to_vec()),
            "districts": many(DISTRICTS.to_vec()),
            "parks": {"type": "array", "items": {"type": "integer"}},
            "project_type": choice(codes(ProjectType::ALL, ProjectType::code)),
            "investment": {"description": "CNY bands: lt_10m, 10m_50m, 50m_200m, 200m_1b, gt_1b (shown with EUR at 7.8 CNY per EUR)", "type": "string", "enum": codes(InvestmentBand::ALL, InvestmentBand::code)},
            "timeline": choice(codes(Horizon::ALL, Horizon::code)),
            "next_steps": many(codes(NextStep::ALL, NextStep::code)),
            "policies": {"type": "array", "items": {"type": "integer"}},
            "comment": text(MAX_COMMENT),
            "consent": {"description": "Agrees to be contacted by the agency's investment officers", "type": "boolean"}
        }},
        "SurveyResponse": {"type": "object", "properties": {"interest": {"type": "string"}, "consent": {"type": "boolean"}, "survey_version": {"type": "integer"}, "answered_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
        "Lead": {"type": "object", "properties": {
            "id": {"type": "integer"}, "stage": {"type": "string", "enum": codes(Stage::ALL, Stage::code)}, "lost_reason": {"type": ["string", "null"]},
            "owner_id": {"type": ["integer", "null"]}, "owner_name": {"type": ["string", "null"]}, "score": {"type": "integer"},
            "source": {"type": "string", "enum": ["survey", "follow_up", "manual"]},
            "company": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "country": {"type": "string"}, "industry": {"type": "string"}, "website": {"type": ["string", "null"]}, "is_sample": {"type": "boolean"}}},
            "sector": {"type": ["string", "null"]}, "activity": {"type": ["string", "null"]}, "capex_cny": {"type": ["integer", "null"]}, "jobs": {"type": ["integer", "null"]},
            "target_district": {"type": ["string", "null"]}, "target_park_id": {"type": ["integer", "null"]}, "next_step": {"type": ["string", "null"]}, "next_step_due": {"type": ["string", "null"], "format": "date"}, "notes": {"type": "string"}, "open_tasks": {"type": "integer"}
        }},
        "NewLead": {"type": "object", "additionalProperties": false, "properties": {"company_id": {"type": "integer"}, "company": {"type": "object", "properties": {"name": text(200), "country": {"type": "string"}, "industry": {"type": "string", "enum": INDUSTRIES}, "size": {"type": "string"}, "website": {"type": "string"}}}}},
        "LeadDetails": {"type": "object", "additionalProperties": false, "properties": {
            "owner_id": {"type": "integer"}, "sector": {"type": "string", "enum": INDUSTRIES}, "activity": choice(codes(ProjectType::ALL, ProjectType::code)),
            "capex_cny": {"type": "integer", "minimum": 0, "maximum": roadshow_domain::leads::MAX_CAPEX}, "jobs": {"type": "integer", "minimum": 0, "maximum": roadshow_domain::leads::MAX_JOBS},
            "target_district": choice(DISTRICTS.to_vec()), "target_park_id": {"type": "integer"}, "next_step": text(300),
            "next_step_due": {"type": "string", "format": "date"}, "notes": text(roadshow_domain::leads::MAX_NOTES)
        }},
        "StageMove": {"type": "object", "additionalProperties": false, "properties": {"stage": {"type": "string", "enum": codes(Stage::ALL, Stage::code)}, "lost_reason": text(300)}},
        "TaskInput": {"type": "object", "additionalProperties": false, "properties": {"title": text(300), "due_on": {"type": "string", "format": "date"}, "assignee_id": {"type": "integer"}}},
        "TaskDone": {"type": "object", "additionalProperties": false, "properties": {"done": {"type": "boolean"}}},
        "Task": {"type": "object", "properties": {"id": {"type": "integer"}, "lead_id": {"type": "integer"}, "title": {"type": "string"}, "due_on": {"type": "string", "format": "date"}, "done_at": {"type": ["string", "null"]}}},
        "Rules": {"type": "object", "additionalProperties": false, "properties": {"rules": {"type": "array", "maxItems": roadshow_domain::leads::MAX_RULES, "items": {"type": "object", "properties": {"field": {"type": "string", "enum": ["sector", "district", "country"]}, "value": {"type": "string"}, "owner_id": {"type": "integer"}}}}}},
        "Merge": {"type": "object", "additionalProperties": false, "properties": {"kept": {"type": "integer"}, "merged": {"type": "integer"}}}
    });
    merge(doc, paths, schemas);
    let parameters = json!({
        "lead_stage": {"name": "stage", "in": "query", "required": false, "schema": {"type": "string", "enum": codes(Stage::ALL, Stage::code)}},
        "lead_owner": {"name": "owner", "in": "query", "required": false, "description": "`mine`, `pool`, `all` or an account id", "schema": {"type": "string"}},
        "lead_country": {"name": "country", "in": "query", "required": false, "schema": {"type": "string"}},
        "lead_sector": {"name": "sector", "in": "query", "required": false, "schema": {"type": "string"}},
        "lead_district": {"name": "district", "in": "query", "required": false, "schema": {"type": "string"}},
        "lead_min_score": {"name": "min_score", "in": "query", "required": false, "schema": {"type": "integer"}},
        "lead_overdue": {"name": "overdue", "in": "query", "required": false, "description": "`1`: only leads whose next step is overdue", "schema": {"type": "string", "enum": ["1", "0"]}},
        "lead_company": {"name": "company", "in": "query", "required": false, "description": "Part of the company's name", "schema": {"type": "string", "maxLength": 100}},
        "lead_page": {"name": "page", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1}}
    });
    if let (Some(p), Value::Object(new)) =
        (doc["components"]["parameters"].as_object_mut(), parameters)
    {
        p.extend(new);
    }
}
