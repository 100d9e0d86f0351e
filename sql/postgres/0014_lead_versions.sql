-- A lead's version, raised by every change an officer makes, so that a save based on an
-- older version is refused (409) instead of overwriting what another officer saved.
ALTER TABLE leads ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
