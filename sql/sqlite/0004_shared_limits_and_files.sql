-- Rate limits counted in the database, so that several processes on one database share
-- one count per key (an account, a client address, a participant). `window_start` is in
-- milliseconds since the epoch.
CREATE TABLE rate_limits (
    limit_key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL
);
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);

-- The bytes of uploaded materials, kept with their row so that every process serves them
-- and deleting the material (or its session) deletes the file.
CREATE TABLE material_files (
    material_id BIGINT PRIMARY KEY REFERENCES materials(id) ON DELETE CASCADE,
    bytes BLOB NOT NULL
);
