//! A poll as the API and the live stream show it.

use roadshow_domain::polls::Poll;
use serde_json::{Value, json};

/// The JSON of a poll; counts only when shown (or for staff).
pub fn poll_json(p: &Poll, with_counts: bool) -> Value {
    json!({
        "id": p.id,
        "session": p.session_id,
        "question": p.question,
        "options": p.options,
        "multiple": p.multiple,
        "state": p.state,
        "results_shown": p.results_shown,
        "counts": if with_counts { json!(p.counts) } else { Value::Null },
        "voters": if with_counts { json!(p.voters) } else { Value::Null },
    })
}
