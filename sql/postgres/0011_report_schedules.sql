-- Staff read Roadshow and its emails in a language of their own; the report of an event
-- can be emailed to chosen staff some days after it ended.
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
CREATE TABLE report_schedules (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    days_after BIGINT NOT NULL,
    sent_at BIGINT,
    PRIMARY KEY (event_id, account_id, days_after)
);
CREATE INDEX report_schedules_unsent ON report_schedules (sent_at, event_id);
