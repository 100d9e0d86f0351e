-- One word for staff accounts: the table is `accounts`, and what points to it says
-- `account_id`. (SQLite rewrites the references in other tables on rename.)
ALTER TABLE users RENAME TO accounts;
ALTER TABLE api_tokens RENAME COLUMN user_id TO account_id;
ALTER TABLE login_sessions RENAME COLUMN user_id TO account_id;

-- Links between sessions, parks, policies and stories are rows with foreign keys, so that
-- deleting one side cannot leave a dangling id; `position` keeps the order chosen.
CREATE TABLE session_parks (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    park_id BIGINT NOT NULL REFERENCES parks(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (session_id, park_id)
);
CREATE INDEX session_parks_by_park ON session_parks (park_id);
CREATE TABLE session_policies (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    policy_id BIGINT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (session_id, policy_id)
);
CREATE INDEX session_policies_by_policy ON session_policies (policy_id);
CREATE TABLE session_stories (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (session_id, story_id)
);
CREATE INDEX session_stories_by_story ON session_stories (story_id);
CREATE TABLE park_policies (
    park_id BIGINT NOT NULL REFERENCES parks(id) ON DELETE CASCADE,
    policy_id BIGINT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (park_id, policy_id)
);
CREATE INDEX park_policies_by_policy ON park_policies (policy_id);

-- The JSON lists carried over; ids that no longer exist are dropped.
INSERT INTO session_parks (session_id, park_id, position)
    SELECT s.id, CAST(j.value AS BIGINT), j.key FROM sessions s, json_each(s.park_ids) j
    WHERE EXISTS (SELECT 1 FROM parks p WHERE p.id = j.value) ON CONFLICT DO NOTHING;
INSERT INTO session_policies (session_id, policy_id, position)
    SELECT s.id, CAST(j.value AS BIGINT), j.key FROM sessions s, json_each(s.policy_ids) j
    WHERE EXISTS (SELECT 1 FROM policies p WHERE p.id = j.value) ON CONFLICT DO NOTHING;
INSERT INTO session_stories (session_id, story_id, position)
    SELECT s.id, CAST(j.value AS BIGINT), j.key FROM sessions s, json_each(s.story_ids) j
    WHERE EXISTS (SELECT 1 FROM stories x WHERE x.id = j.value) ON CONFLICT DO NOTHING;
INSERT INTO park_policies (park_id, policy_id, position)
    SELECT k.id, CAST(j.value AS BIGINT), j.key FROM parks k, json_each(k.policy_ids) j
    WHERE EXISTS (SELECT 1 FROM policies p WHERE p.id = j.value) ON CONFLICT DO NOTHING;
ALTER TABLE sessions DROP COLUMN park_ids;
ALTER TABLE sessions DROP COLUMN policy_ids;
ALTER TABLE sessions DROP COLUMN story_ids;
ALTER TABLE parks DROP COLUMN policy_ids;

-- An email claimed for sending is the claimer's until this time (Unix seconds); a process
-- that dies while sending leaves it to be claimed again after that, never lost.
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;

-- Live events now carry the changed records in the domain's terms (the wire format is
-- made when they are sent); the log's earlier entries, in the old form, are dropped. The
-- numbering goes on where it was, so a follower's Last-Event-ID stays meaningful.
DELETE FROM live_events;
