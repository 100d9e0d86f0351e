//! Webhooks: an agency's own systems (its CRM, its website) told that something happened,
//! as the Standard Webhooks specification says. A message carries the type and the ids;
//! the receiver fetches details through the API, so nothing personal travels that the
//! receiver could not read anyway. Messages are written in the same transaction as the
//! change they tell of, retried with growing pauses for about a day, and signed with the
//! endpoint's secret.

use crate::ids::{AgencyId, DeliveryId, WebhookId};
use crate::store::StoreResult;
use crate::validation::{Checker, Invalid, URL_MAX, is_http_url};
use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// What a message tells of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// A participant registered for an event.
    RegistrationCreated,
    /// A question got a published answer.
    QuestionAnswered,
    /// An organiser confirmed a meeting.
    MeetingConfirmed,
    /// A participant answered an event's survey.
    SurveyAnswered,
    /// A lead moved to another stage.
    LeadStageChanged,
    /// A participant's data was erased: the receiver should erase its copy too.
    ParticipantErased,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::RegistrationCreated,
        EventType::QuestionAnswered,
        EventType::MeetingConfirmed,
        EventType::SurveyAnswered,
        EventType::LeadStageChanged,
        EventType::ParticipantErased,
    ];

    /// The type as messages carry it.
    pub fn code(self) -> &'static str {
        match self {
            EventType::RegistrationCreated => "registration.created",
            EventType::QuestionAnswered => "question.answered",
            EventType::MeetingConfirmed => "meeting.confirmed",
            EventType::SurveyAnswered => "survey.answered",
            EventType::LeadStageChanged => "lead.stage_changed",
            EventType::ParticipantErased => "participant.erased",
        }
    }

    pub fn parse(code: &str) -> Option<EventType> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Longest description of an endpoint, in characters.
pub const DESCRIPTION_MAX: usize = 200;
/// Endpoints an agency may register: each change is written once per endpoint.
pub const ENDPOINTS_MAX: usize = 20;

/// An endpoint as an organiser submits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointInput {
    pub url: Option<String>,
    /// Event type codes (`registration.created`, ...).
    #[serde(default)]
    pub events: Vec<String>,
    pub description: Option<String>,
}

/// A checked endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointDraft {
    pub url: String,
    pub events: Vec<EventType>,
    pub description: String,
}

impl EndpointInput {
    /// Checks every field at once: an http(s) address, at least one known event type
    /// (each once), a short description.
    pub fn parse(&self) -> Result<EndpointDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        let url = check.required("url", self.url.as_deref(), URL_MAX);
        if !url.is_empty() && !is_http_url(&url) {
            check.push("url", "invalid_url");
        }
        let description = check
            .optional("description", self.description.as_deref(), DESCRIPTION_MAX)
            .unwrap_or_default();
        let mut events = Vec::new();
        for (i, code) in self.events.iter().enumerate() {
            match EventType::parse(code.trim()) {
                Some(t) if !events.contains(&t) => events.push(t),
                Some(_) => check.push(format!("events.{i}"), "duplicate"),
                None => check.push(format!("events.{i}"), "unknown_event_type"),
            }
        }
        if self.events.is_empty() {
            check.push("events", "required");
        }
        check.finish(EndpointDraft {
            url,
            events,
            description,
        })
    }
}

/// Why an endpoint no longer receives messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DisabledReason {
    /// It answered 410 Gone: the receiver said it wants no more.
    Gone,
    /// Every attempt failed for longer than a message is retried.
    Failures,
}

impl DisabledReason {
    pub fn code(self) -> &'static str {
        match self {
            DisabledReason::Gone => "gone",
            DisabledReason::Failures => "failures",
        }
    }

    pub fn parse(code: &str) -> Option<DisabledReason> {
        [DisabledReason::Gone, DisabledReason::Failures]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// A registered endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub id: WebhookId,
    pub agency: AgencyId,
    pub url: String,
    pub description: String,
    pub events: Vec<EventType>,
    /// `whsec_` and the base64 of the key: what the receiver verifies with.
    pub secret: String,
    /// `None` while enabled.
    pub disabled: Option<DisabledReason>,
    /// When the current run of failures began (none since the last success).
    pub failing_since: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeliveryState {
    /// Waiting for its next attempt.
    Pending,
    /// A process is sending it.
    Sending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up on (retries spent, or the endpoint answered 410).
    Failed,
}

impl DeliveryState {
    pub fn code(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sending => "sending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> DeliveryState {
        match code {
            "sending" => DeliveryState::Sending,
            "delivered" => DeliveryState::Delivered,
            "failed" => DeliveryState::Failed,
            _ => DeliveryState::Pending,
        }
    }
}

/// One message to one endpoint, with how its attempts went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub endpoint: WebhookId,
    /// `msg_…`: the same on every attempt, so a receiver can drop repeats.
    pub message_id: String,
    pub event_type: String,
    /// The JSON body, exactly as signed.
    pub payload: String,
    pub state: DeliveryState,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The HTTP status of the last answer, if there was one.
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// A delivery that is due, with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub delivery: Delivery,
    pub url: String,
    pub secret: String,
}

/// Pauses before the 2nd, 3rd, ... attempt, in seconds: 5 s, 5 min, 30 min, 2 h, 5 h,
/// 10 h, 10 h — eight attempts over about 27 hours, as the specification suggests.
pub const RETRY_PAUSES: [i64; 7] = [5, 300, 1800, 7200, 18000, 36000, 36000];

/// How long the delivery log keeps a message.
pub const LOG_DAYS: i64 = 30;

/// What an attempt came to, as the store records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// Try again at this time.
    Retry(DateTime<Utc>),
    /// Retries spent: the message failed; the endpoint is disabled if nothing reached it
    /// since the message was written.
    GiveUp,
    /// 410 Gone: the message failed and the endpoint is disabled at once.
    Gone,
}

/// One attempt's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub status: Option<i64>,
    pub error: Option<String>,
    pub verdict: Verdict,
}

/// Judges an attempt: `status` is the HTTP status (none when no answer came),
/// `attempts_before` the attempts made before this one, `jitter` a number in `[0, 1)`
/// that spreads retries by up to a fifth of the pause, so that endpoints that come back
/// are not hit by every waiting message at the same second.
pub fn judge(
    at: DateTime<Utc>,
    status: Option<u16>,
    error: Option<String>,
    attempts_before: i64,
    jitter: f64,
) -> Attempt {
    let verdict = match status {
        Some(s) if (200..300).contains(&s) => Verdict::Delivered,
        Some(410) => Verdict::Gone,
        _ => match usize::try_from(attempts_before)
            .ok()
            .and_then(|i| RETRY_PAUSES.get(i))
        {
            Some(&pause) => {
                let spread = (pause as f64 * 0.2 * jitter.clamp(0.0, 1.0)) as i64;
                Verdict::Retry(at + Duration::seconds(pause + spread))
            }
            None => Verdict::GiveUp,
        },
    };
    let error = match (&verdict, status, error) {
        (Verdict::Delivered, _, _) => None,
        (_, _, Some(e)) => Some(e),
        (_, Some(s), None) => Some(format!("HTTP {s}")),
        (_, None, None) => Some("no answer".to_string()),
    };
    Attempt {
        at,
        status: status.map(i64::from),
        error,
        verdict,
    }
}

/// A new endpoint secret from 24 random bytes, in the specification's `whsec_` form.
pub fn secret_from(bytes: &[u8; 24]) -> String {
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// A message id from random bytes: `msg_` and 24 letters and digits.
pub fn message_id_from(bytes: &[u8; 24]) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let tail: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("msg_{tail}")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a webhook secret is `whsec_` followed by base64")]
pub struct BadSecret;

/// The `webhook-signature` header's value: `v1,` and the base64 HMAC-SHA256, keyed with
/// the secret's bytes, of `{id}.{timestamp}.{payload}`.
pub fn sign(
    secret: &str,
    message_id: &str,
    timestamp: i64,
    payload: &str,
) -> Result<String, BadSecret> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|_| BadSecret)?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).map_err(|_| BadSecret)?;
    mac.update(format!("{message_id}.{timestamp}.{payload}").as_bytes());
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The body of a message: its type, when it happened and the ids of what it tells of.
pub fn payload(kind: EventType, at: DateTime<Utc>, data: &serde_json::Value) -> String {
    serde_json::json!({
        "type": kind.code(),
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": data,
    })
    .to_string()
}

/// Webhooks in storage. The messages themselves are written by the stores of the changes
/// they tell of, in the same transaction.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Registers an endpoint; `Conflict("too_many")` beyond [`ENDPOINTS_MAX`].
    async fn add_webhook(
        &self,
        agency: AgencyId,
        draft: &EndpointDraft,
        secret: &str,
    ) -> StoreResult<Endpoint>;
    /// The agency's endpoints, oldest first.
    async fn webhooks(&self, agency: AgencyId) -> StoreResult<Vec<Endpoint>>;
    async fn webhook(&self, agency: AgencyId, id: WebhookId) -> StoreResult<Option<Endpoint>>;
    /// Removes an endpoint and its log; `NotFound` if it is not the agency's.
    async fn remove_webhook(&self, agency: AgencyId, id: WebhookId) -> StoreResult<()>;
    /// Turns a disabled endpoint on again; its waiting messages go out.
    async fn enable_webhook(&self, agency: AgencyId, id: WebhookId) -> StoreResult<Endpoint>;
    /// An endpoint's deliveries, newest first, before a delivery id.
    async fn deliveries(
        &self,
        agency: AgencyId,
        endpoint: WebhookId,
        before: Option<DeliveryId>,
        limit: i64,
    ) -> StoreResult<Vec<Delivery>>;
    /// Sends a message again (the same id and body) as soon as possible.
    async fn resend_delivery(
        &self,
        agency: AgencyId,
        id: DeliveryId,
        now: DateTime<Utc>,
    ) -> StoreResult<Delivery>;
    /// Deliveries due now to enabled endpoints, oldest first (and claims that expired).
    async fn due_deliveries(&self, now: DateTime<Utc>, limit: i64)
    -> StoreResult<Vec<DueDelivery>>;
    /// Claims a delivery until `until`; false if another process has it.
    async fn claim_delivery(
        &self,
        id: DeliveryId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Records an attempt, and what it means for the endpoint.
    async fn record_attempt(&self, id: DeliveryId, attempt: &Attempt) -> StoreResult<()>;
    /// Deletes delivered and failed messages written before `before`.
    async fn purge_deliveries(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_specifications_test_vector_signs_as_published() {
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            signature.as_deref(),
            Ok("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        // Any change to id, time or body gives another signature.
        assert_ne!(
            sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265331,
                r#"{"test": 2432232314}"#,
            ),
            signature
        );
        assert_eq!(sign("whsec_not base64!", "msg_1", 1, "{}"), Err(BadSecret));
    }

    #[test]
    fn secrets_and_message_ids_have_the_specifications_form() {
        let secret = secret_from(&[7; 24]);
        assert!(secret.starts_with("whsec_"));
        assert_eq!(STANDARD.decode(&secret[6..]).map(|k| k.len()), Ok(24));
        let id = message_id_from(&[200; 24]);
        assert!(id.starts_with("msg_") && id.len() == 28);
        assert!(id[4..].chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn an_endpoint_needs_an_address_and_known_event_types() {
        let ok = EndpointInput {
            url: Some("https://crm.example.de/hooks".into()),
            events: vec!["registration.created".into(), "participant.erased".into()],
            description: Some("CRM".into()),
        }
        .parse();
        assert_eq!(
            ok.map(|d| d.events),
            Ok(vec![
                EventType::RegistrationCreated,
                EventType::ParticipantErased
            ])
        );
        let Err(Invalid(errors)) = EndpointInput {
            url: Some("ftp://crm".into()),
            events: vec![
                "registration.created".into(),
                "registration.created".into(),
                "lead.won".into(),
            ],
            description: None,
        }
        .parse() else {
            panic!("accepted")
        };
        let fields: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("url", "invalid_url"),
                ("events.1", "duplicate"),
                ("events.2", "unknown_event_type")
            ]
        );
        let Err(Invalid(errors)) = EndpointInput::default().parse() else {
            panic!("accepted")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["url", "events"]);
    }

    #[test]
    fn retries_spread_over_about_a_day_then_give_up() {
        let t0 = Utc
            .with_ymd_and_hms(2026, 12, 6, 8, 0, 0)
            .single()
            .unwrap_or_default();
        let mut at = t0;
        let mut attempts = 0;
        loop {
            let a = judge(at, Some(503), None, attempts, 0.0);
            attempts += 1;
            match a.verdict {
                Verdict::Retry(next) => at = next,
                Verdict::GiveUp => break,
                other => panic!("{other:?}"),
            }
            assert_eq!(a.error.as_deref(), Some("HTTP 503"));
        }
        assert_eq!(attempts, 8);
        let hours = (at - t0).num_minutes() as f64 / 60.0;
        assert!((24.0..30.0).contains(&hours), "{hours}");
        // Jitter never shortens a pause, and lengthens it by at most a fifth.
        let Verdict::Retry(late) = judge(t0, None, None, 1, 0.999).verdict else {
            panic!("no retry")
        };
        assert!(late > t0 + Duration::seconds(300) && late <= t0 + Duration::seconds(360));
    }

    #[test]
    fn success_and_gone_end_the_retries() {
        let now = Utc::now();
        assert_eq!(
            judge(now, Some(204), None, 3, 0.5).verdict,
            Verdict::Delivered
        );
        assert_eq!(judge(now, Some(204), None, 3, 0.5).error, None);
        assert_eq!(judge(now, Some(410), None, 0, 0.5).verdict, Verdict::Gone);
        // A redirect is not followed, and not a success.
        assert!(matches!(
            judge(now, Some(302), None, 0, 0.5).verdict,
            Verdict::Retry(_)
        ));
    }

    #[test]
    fn the_payload_carries_type_time_and_ids() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 6, 8, 0, 0)
            .single()
            .unwrap_or_default();
        let body = payload(
            EventType::RegistrationCreated,
            at,
            &serde_json::json!({"event_id": 1, "registration_id": 7}),
        );
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        assert_eq!(v["type"], "registration.created");
        assert_eq!(v["timestamp"], "2026-12-06T08:00:00Z");
        assert_eq!(v["data"]["registration_id"], 7);
    }
}
