//! A question as the API and the live stream show it: the public view, and the staff view
//! with who asked, the original text and the suggestion.

use roadshow_app::events::EventPage;
use roadshow_domain::ids::DepartmentId;
use roadshow_domain::questions::{Answer, Question};
use serde_json::{Value, json};

/// The JSON of a question as a reader sees it: staff also get who asked, the original
/// text, the dismissal reason and the suggestion.
fn department_json(page: &EventPage, id: Option<DepartmentId>) -> Value {
    page.department(id)
        .map(|d| json!({ "id": d.id, "name": d.name }))
        .unwrap_or(Value::Null)
}

/// An answer as the API and the live stream show it.
pub fn answer_json(a: &Answer, page: &EventPage) -> Value {
    json!({
        "id": a.id,
        "body": a.body,
        "body_html": crate::directory::cited_html(&a.body_html(), page, a.lang),
        "live": a.live,
        "lang": a.lang,
        "author": a.author_name,
        "department": department_json(page, a.department_id),
        "created_at": a.created_at,
    })
}

/// A question without its `answers` key: what a live event sends when the question
/// itself changed (the answers the reader has stay as they are).
pub fn question_delta_json(q: &Question, staff: bool, page: &EventPage) -> Value {
    let mut v = question_json(q, staff, page);
    if let Some(map) = v.as_object_mut() {
        map.remove("answers");
    }
    v
}

pub fn question_json(q: &Question, staff: bool, page: &EventPage) -> Value {
    let department = |id: Option<DepartmentId>| department_json(page, id);
    let answers: Vec<Value> = q.answers.iter().map(|a| answer_json(a, page)).collect();
    let mut v = json!({
        "id": q.id,
        "event": page.event.slug,
        "session": q.session_id,
        "text": q.text,
        "lang": q.lang,
        "author": q.public_author(),
        "anonymous": q.anonymous,
        "state": q.state,
        "votes": q.votes,
        "pinned": q.pinned,
        "department": department(q.department_id),
        "answers": answers,
        "created_at": q.created_at,
    });
    if staff {
        if let Some(map) = v.as_object_mut() {
            map.insert("author_name".into(), json!(q.author_name));
            map.insert("author_company".into(), json!(q.author_company));
            map.insert("original_text".into(), json!(q.original_text));
            map.insert("dismiss_reason".into(), json!(q.dismiss_reason));
            map.insert("merged_into".into(), json!(q.merged_into));
            map.insert(
                "suggested_department".into(),
                department(q.suggested_department),
            );
            map.insert("suggestion_reason".into(), json!(q.suggestion_reason));
            map.insert("version".into(), json!(q.version));
        }
    }
    v
}
