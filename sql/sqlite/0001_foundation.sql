-- Roadshow foundation schema (SQLite). Times are Unix seconds (UTC); per-language texts and
-- lists are JSON text; flags are 0/1. Kept column-for-column equal to sql/postgres.
CREATE TABLE agencies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    slug TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    website TEXT,
    UNIQUE (agency_id, slug)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    theme TEXT NOT NULL,
    description TEXT NOT NULL,
    focus_industries TEXT NOT NULL,
    target_countries TEXT NOT NULL,
    languages TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    timezone TEXT NOT NULL,
    video_url TEXT,
    status TEXT NOT NULL,
    registration_questions TEXT NOT NULL,
    privacy_version TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id) ON DELETE SET NULL,
    presenter TEXT NOT NULL,
    park_ids TEXT NOT NULL,
    policy_ids TEXT NOT NULL,
    story_ids TEXT NOT NULL
);
CREATE INDEX sessions_event ON sessions(event_id, starts_at);
CREATE TABLE speakers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL
);
CREATE INDEX speakers_session ON speakers(session_id);
CREATE TABLE materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    url TEXT,
    file_key TEXT,
    filename TEXT,
    content_type TEXT,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX materials_session ON materials(session_id);
CREATE TABLE parks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    district TEXT NOT NULL,
    summary TEXT NOT NULL,
    focus_industries TEXT NOT NULL,
    area_km2 REAL,
    website TEXT,
    contact TEXT,
    is_sample BIGINT NOT NULL,
    policy_ids TEXT NOT NULL,
    UNIQUE (agency_id, slug)
);
CREATE TABLE policies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    issuing_body TEXT NOT NULL,
    region TEXT NOT NULL,
    sectors TEXT NOT NULL,
    benefit_types TEXT NOT NULL,
    summary TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    source_url TEXT,
    is_sample BIGINT NOT NULL,
    UNIQUE (agency_id, slug)
);
CREATE TABLE stories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    slug TEXT NOT NULL,
    company_name TEXT NOT NULL,
    country TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    is_sample BIGINT NOT NULL,
    UNIQUE (agency_id, slug)
);
CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    country TEXT NOT NULL,
    industry TEXT NOT NULL,
    size TEXT NOT NULL,
    website TEXT,
    is_sample BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (agency_id, name_key, country)
);
CREATE TABLE participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    job_title TEXT,
    language TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (agency_id, email)
);
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events(id),
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    token_hash TEXT NOT NULL UNIQUE,
    consent_at BIGINT NOT NULL,
    consent_version TEXT NOT NULL,
    answers TEXT NOT NULL,
    is_sample BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (event_id, participant_id)
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE TABLE login_sessions (
    session_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT REFERENCES agencies(id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    attachments TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_status ON outbox(status, id);
