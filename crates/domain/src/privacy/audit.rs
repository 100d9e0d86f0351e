//! The audit log's hash chain. Each entry's hash covers the hash before it, its own
//! fields and the digest of its payload; the payload (what was changed) is kept apart
//! with its own salt, so that erasing a person deletes the payload while the digest keeps
//! the chain verifiable — and, salted, the digest gives nothing of the person away.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Something audited, as a use case describes it before it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditDraft {
    pub agency: Option<crate::AgencyId>,
    /// `account:ID`, `participant:ID` or `system`.
    pub actor: String,
    /// What was done: `sign_in`, `consent_changed`, `export_downloaded`…
    pub action: &'static str,
    /// What it was done to: `participant:ID`, `event:ID`, `lead:ID`…
    pub subject: String,
    /// What changed, as JSON; ids and codes, never names or addresses when avoidable.
    pub payload: String,
    /// A random salt of the payload's digest, so that an erased payload cannot be
    /// guessed back from it.
    pub salt: String,
}

/// An entry as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub agency: Option<crate::AgencyId>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub payload_digest: String,
    pub prev_hash: String,
    pub hash: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest of a payload under its salt.
pub fn payload_digest(salt: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0]);
    h.update(payload.as_bytes());
    hex(&h.finalize())
}

impl AuditEntry {
    /// The hash of the entry: the hash before it and every field, separated so that no
    /// two entries can read alike.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let agency = self.agency.map(|a| a.0.to_string()).unwrap_or_default();
        for part in [
            self.prev_hash.as_str(),
            &self.seq.to_string(),
            &agency,
            &self.at.timestamp().to_string(),
            &self.actor,
            &self.action,
            &self.subject,
            &self.payload_digest,
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        hex(&h.finalize())
    }
}

/// Where the chain is broken, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// The first entry that does not verify (or the head, when the tail is missing).
    pub seq: i64,
    /// `changed`, `missing`, `inserted` or `head`.
    pub why: &'static str,
}

/// Walks the entries in order of `seq` from the first: each must follow the one before
/// (its number and its `prev_hash`) and hash to what it holds; the last must be the
/// head's. Returns the number of entries verified.
pub fn verify(entries: &[AuditEntry], head: (i64, &str)) -> Result<i64, Broken> {
    let mut prev = GENESIS.to_string();
    let mut expected = 1;
    for e in entries {
        if e.seq > expected {
            return Err(Broken {
                seq: expected,
                why: "missing",
            });
        }
        if e.seq < expected || e.prev_hash != prev {
            return Err(Broken {
                seq: e.seq,
                why: "inserted",
            });
        }
        let hash = e.compute_hash();
        if hash != e.hash {
            return Err(Broken {
                seq: e.seq,
                why: "changed",
            });
        }
        prev = hash;
        expected += 1;
    }
    if head.0 != expected - 1 || head.1 != prev {
        return Err(Broken {
            seq: head.0,
            why: "head",
        });
    }
    Ok(expected - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    agency: None,
                    at,
                    actor: "system".into(),
                    action: "sign_in".into(),
                    subject: "x".into(),
                    payload_digest: payload_digest("salt", "{}"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn a_chain_verifies_and_each_kind_of_tampering_is_found() {
        let c = chain(5);
        let head = (5, c[4].hash.clone());
        assert_eq!(verify(&c, (head.0, &head.1)), Ok(5));
        let mut changed = c.clone();
        changed[2].subject = "y".into();
        assert_eq!(verify(&changed, (head.0, &head.1)).unwrap_err().seq, 3);
        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(
            verify(&removed, (head.0, &head.1)),
            Err(Broken {
                seq: 2,
                why: "missing"
            })
        );
        let mut inserted = c.clone();
        let mut extra = c[1].clone();
        extra.seq = 2;
        inserted.insert(2, extra);
        assert_eq!(verify(&inserted, (head.0, &head.1)).unwrap_err().seq, 2);
        let truncated = &c[..4];
        assert_eq!(
            verify(truncated, (head.0, &head.1)).unwrap_err().why,
            "head"
        );
    }
}
