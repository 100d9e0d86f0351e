-- Follow-up after an event: the intent survey (wording, times, invitations, links and
-- answers), signals of what each participant did, and the investment officers' leads
-- with their tasks, recorded changes, assignment rules and company merges.
ALTER TABLE companies ADD COLUMN domain TEXT;
CREATE INDEX companies_by_domain ON companies (agency_id, domain);
-- A company merged into another points to it; merged companies are hidden from lists.
ALTER TABLE companies ADD COLUMN merged_into BIGINT;

CREATE TABLE surveys (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    intro TEXT NOT NULL,
    questions TEXT NOT NULL,
    send_at BIGINT,
    deadline BIGINT NOT NULL,
    reminder_days BIGINT NOT NULL,
    sent_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE survey_invitations (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id BIGINT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    sent_at BIGINT NOT NULL,
    reminded_at BIGINT,
    PRIMARY KEY (event_id, registration_id)
);
-- Each email carries its own link; only the hash of its token is kept.
CREATE TABLE survey_links (
    token_hash TEXT PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id BIGINT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE TABLE survey_responses (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id BIGINT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    survey_version BIGINT NOT NULL,
    interest TEXT NOT NULL,
    answers TEXT NOT NULL,
    consent BIGINT NOT NULL,
    answered_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, registration_id)
);

CREATE TABLE signals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    at BIGINT NOT NULL,
    CONSTRAINT signals_once UNIQUE (participant_id, kind, ref_id)
);
CREATE INDEX signals_by_company ON signals (company_id, at);

CREATE TABLE leads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    stage TEXT NOT NULL,
    lost_reason TEXT,
    owner_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    project TEXT NOT NULL,
    sector TEXT,
    target_district TEXT,
    next_step_due TEXT,
    source TEXT NOT NULL,
    score BIGINT NOT NULL,
    -- A lead folded into another by a company merge; hidden until the merge is undone.
    merged_into BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT leads_one_per_company UNIQUE (company_id)
);
CREATE INDEX leads_board ON leads (agency_id, stage, score);
CREATE INDEX leads_owner ON leads (agency_id, owner_id, score);
CREATE INDEX leads_rank ON leads (agency_id, score, id);
CREATE TABLE lead_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    assignee_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    done_at BIGINT,
    reminded_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX lead_tasks_by_lead ON lead_tasks (lead_id);
CREATE INDEX lead_tasks_open ON lead_tasks (assignee_id, done_at, due_on);
CREATE TABLE lead_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    at BIGINT NOT NULL,
    field TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT
);
CREATE INDEX lead_changes_by_lead ON lead_changes (lead_id, at);
CREATE TABLE lead_rules (
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    position BIGINT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (agency_id, position)
);
CREATE TABLE company_merges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    kept_id BIGINT NOT NULL REFERENCES companies(id),
    merged_id BIGINT NOT NULL REFERENCES companies(id),
    -- What moved, for the undo: participant, registration and signal ids, and the lead.
    moved TEXT NOT NULL,
    by_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    at BIGINT NOT NULL,
    undone_at BIGINT
);
