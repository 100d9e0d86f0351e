-- The live exchange: questions, votes, answers, polls, and the per-event log of live
-- events that SSE clients read (and replay from with Last-Event-ID). (SQLite)
CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    session_id BIGINT REFERENCES sessions(id) ON DELETE SET NULL,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    author_name TEXT NOT NULL,
    author_company TEXT NOT NULL,
    anonymous BIGINT NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    original_text TEXT,
    lang TEXT NOT NULL,
    state TEXT NOT NULL,
    dismiss_reason TEXT,
    merged_into BIGINT REFERENCES questions(id),
    department_id BIGINT REFERENCES departments(id) ON DELETE SET NULL,
    suggested_department_id BIGINT REFERENCES departments(id) ON DELETE SET NULL,
    suggestion_reason TEXT,
    pinned BIGINT NOT NULL DEFAULT 0,
    votes BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX questions_by_event ON questions (event_id, state);
CREATE INDEX questions_by_department ON questions (department_id, state);
CREATE INDEX questions_by_participant ON questions (participant_id);
-- One vote per participant and question: the primary key is the rule.
CREATE TABLE question_votes (
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (question_id, participant_id)
);
CREATE INDEX question_votes_by_participant ON question_votes (participant_id);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    department_id BIGINT REFERENCES departments(id) ON DELETE SET NULL,
    author_id BIGINT NOT NULL REFERENCES users(id),
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    lang TEXT NOT NULL,
    live BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX answers_by_question ON answers (question_id);
CREATE TABLE polls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    session_id BIGINT REFERENCES sessions(id) ON DELETE SET NULL,
    question TEXT NOT NULL,
    options TEXT NOT NULL,
    multiple BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    results_shown BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX polls_by_event ON polls (event_id);
CREATE TABLE poll_votes (
    poll_id BIGINT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    choices TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (poll_id, participant_id)
);
-- Per event: the last live event's number (its row is locked while a live event is
-- appended, so numbers are handed out in commit order), the session on now, and the
-- organiser's settings for written answers and the FAQ.
CREATE TABLE live_streams (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL DEFAULT 0,
    current_session_id BIGINT REFERENCES sessions(id) ON DELETE SET NULL,
    answer_working_days BIGINT NOT NULL DEFAULT 5,
    faq_published_at BIGINT
);
CREATE TABLE live_events (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, seq)
);
