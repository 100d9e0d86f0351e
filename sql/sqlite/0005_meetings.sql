-- 1:1 meeting booking on an event: the grid (days, hours and slot length in the event's
-- zone), the hosts (departments) with their tables, the companies' requests, the slot
-- starts each participant can make (Unix seconds), and the confirmed meetings.
CREATE TABLE meeting_bookings (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    days TEXT NOT NULL,
    day_start TEXT NOT NULL,
    day_end TEXT NOT NULL,
    slot_minutes BIGINT NOT NULL,
    break_minutes BIGINT NOT NULL,
    max_per_company BIGINT NOT NULL,
    request_deadline BIGINT NOT NULL,
    video_link TEXT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE meeting_hosts (
    event_id BIGINT NOT NULL REFERENCES meeting_bookings(event_id) ON DELETE CASCADE,
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    capacity BIGINT NOT NULL,
    -- The slot starts (Unix seconds, comma-separated) the host cannot make.
    unavailable TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, department_id)
);

CREATE TABLE meeting_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    priority TEXT NOT NULL,
    topic TEXT NOT NULL,
    -- 1 when the host asked for this meeting too (it weighs more).
    from_host BIGINT NOT NULL DEFAULT 0,
    -- The host's answer: NULL (not yet), 'accepted' or 'declined' (with a reason).
    host_answer TEXT,
    host_reason TEXT,
    created_at BIGINT NOT NULL,
    CONSTRAINT meeting_requests_once UNIQUE (event_id, participant_id, department_id)
);
CREATE INDEX meeting_requests_by_event ON meeting_requests (event_id);

CREATE TABLE meeting_availability (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, participant_id, starts_at)
);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    request_id BIGINT NOT NULL UNIQUE REFERENCES meeting_requests(id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    -- What the host recorded afterwards: 'held' or 'no_show', notes, follow-up wanted.
    outcome TEXT,
    outcome_notes TEXT,
    follow_up BIGINT NOT NULL DEFAULT 0,
    -- When the reminder went out (the day before); claimed once across processes.
    reminded_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_by_event ON meetings (event_id);
