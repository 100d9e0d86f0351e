-- The report reads an event's signals by kind (presence, directory interest).
CREATE INDEX signals_by_event ON signals (event_id, kind);
