-- The broadcast: each event and session has a stream (and a recording, with the time it
-- really started) kept as JSON; the players' heartbeats fold into viewing intervals per
-- registration; captions of a recording per language. An event's old video_url becomes
-- a stream of type link.
ALTER TABLE events ADD COLUMN stream TEXT;
ALTER TABLE events ADD COLUMN recording TEXT;
ALTER TABLE events ADD COLUMN recording_started_at BIGINT;
ALTER TABLE events ADD COLUMN replay_public BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN attended_minutes BIGINT NOT NULL DEFAULT 10;
UPDATE events SET stream = '{"source":{"kind":"link","value":"' || replace(video_url, '\', '\\') || '"},"alternatives":[]}'
    WHERE video_url IS NOT NULL;
ALTER TABLE events DROP COLUMN video_url;
ALTER TABLE sessions ADD COLUMN stream TEXT;
ALTER TABLE sessions ADD COLUMN recording TEXT;
ALTER TABLE sessions ADD COLUMN recording_started_at BIGINT;

-- One row per interval of viewing: beats closer than 90 s to each other extend it.
CREATE TABLE viewings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id BIGINT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    session_id BIGINT REFERENCES sessions(id) ON DELETE SET NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT NOT NULL,
    beats BIGINT NOT NULL,
    position_s DOUBLE PRECISION,
    audio_language TEXT,
    caption_language TEXT
);
CREATE INDEX viewings_by_viewer ON viewings (registration_id, mode, ended_at);
CREATE INDEX viewings_by_event ON viewings (event_id, ended_at);

-- Captions of a recording: the event's ('event') or a session's ('session-<id>').
CREATE TABLE captions (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    recording TEXT NOT NULL,
    language TEXT NOT NULL,
    vtt TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, recording, language)
);
