-- The press-release draft of an event per language, as its organiser edited it (a
-- language without a row gets the draft made from the figures).
CREATE TABLE press_releases (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, language)
);
