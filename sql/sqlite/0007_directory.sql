-- The directory: policies get their full text, eligibility criteria, successor, external
-- id (for imports), archiving and versions; parks their address and coordinates; stories
-- their park. Every change is numbered so each process's search index can follow it, and
-- agencies can add words to the glossary.
ALTER TABLE policies ADD COLUMN external_id TEXT;
ALTER TABLE policies ADD COLUMN body TEXT NOT NULL DEFAULT '{}';
ALTER TABLE policies ADD COLUMN criteria TEXT NOT NULL DEFAULT '[]';
ALTER TABLE policies ADD COLUMN successor_id BIGINT REFERENCES policies(id) ON DELETE SET NULL;
ALTER TABLE policies ADD COLUMN archived_at BIGINT;
ALTER TABLE policies ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE policies ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX policies_by_external_id ON policies (agency_id, external_id);

ALTER TABLE parks ADD COLUMN external_id TEXT;
ALTER TABLE parks ADD COLUMN address TEXT;
ALTER TABLE parks ADD COLUMN latitude REAL;
ALTER TABLE parks ADD COLUMN longitude REAL;
ALTER TABLE parks ADD COLUMN archived_at BIGINT;
CREATE UNIQUE INDEX parks_by_external_id ON parks (agency_id, external_id);

ALTER TABLE stories ADD COLUMN external_id TEXT;
ALTER TABLE stories ADD COLUMN park_id BIGINT REFERENCES parks(id) ON DELETE SET NULL;
ALTER TABLE stories ADD COLUMN archived_at BIGINT;
CREATE UNIQUE INDEX stories_by_external_id ON stories (agency_id, external_id);

-- Each saved state of a policy, as JSON, with who saved it and when.
CREATE TABLE policy_versions (
    policy_id BIGINT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    changed_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (policy_id, version)
);

-- Numbered changes: kind is policy, park, story or glossary.
CREATE TABLE directory_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);

CREATE TABLE glossary_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    concept TEXT NOT NULL,
    lang TEXT NOT NULL,
    term TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (agency_id, concept, lang, term)
);
