-- Privacy: consent per purpose, requests to export or erase a person's data, the
-- register of recipients, retention per agency (and per event), the keyed hashes that
-- keep "do not contact" after an erasure, and the hash-chained audit log whose payloads
-- can be erased without breaking the chain.
ALTER TABLE participants ADD COLUMN erased_at BIGINT;
ALTER TABLE participants ADD COLUMN erased_reason TEXT;
ALTER TABLE events ADD COLUMN retention_days BIGINT;
CREATE TABLE privacy_settings (
    agency_id BIGINT PRIMARY KEY REFERENCES agencies(id) ON DELETE CASCADE,
    retention_days BIGINT NOT NULL DEFAULT 365,
    hash_key TEXT NOT NULL,
    swept_on TEXT
);
CREATE TABLE consents (
    participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    version TEXT NOT NULL,
    given BIGINT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, purpose)
);
CREATE TABLE privacy_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    channel TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    confirm_hash TEXT UNIQUE,
    done_at BIGINT,
    handled_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    identity_check TEXT,
    refusal_reason TEXT,
    file TEXT,
    expires_at BIGINT
);
CREATE INDEX privacy_requests_by_participant ON privacy_requests (participant_id, kind, requested_at);
CREATE INDEX privacy_requests_by_agency ON privacy_requests (agency_id, requested_at);
CREATE TABLE do_not_contact (
    agency_id BIGINT NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    email_hash TEXT NOT NULL,
    since BIGINT NOT NULL,
    PRIMARY KEY (agency_id, email_hash)
);
CREATE TABLE recipients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    purpose TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    agency_id BIGINT,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload_digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_by_subject ON audit_log (subject);
CREATE INDEX audit_log_by_agency ON audit_log (agency_id, seq);
CREATE TABLE audit_payloads (
    seq BIGINT PRIMARY KEY REFERENCES audit_log(seq) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
