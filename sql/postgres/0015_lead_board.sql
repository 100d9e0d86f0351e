-- The leads board's revision: raised by every write to leads, their tasks or the
-- company details a card shows, so that open boards (in any process) can tell that they
-- are out of date by reading one row. Kept by triggers so that no write path forgets it;
-- once per statement, so that a batch of score updates raises it once.
CREATE TABLE lead_board (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO lead_board (id, revision) VALUES (1, 1);
CREATE FUNCTION lead_board_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lead_board SET revision = revision + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER lead_board_leads AFTER INSERT OR UPDATE OR DELETE ON leads
    FOR EACH STATEMENT EXECUTE FUNCTION lead_board_raise();
CREATE TRIGGER lead_board_tasks AFTER INSERT OR DELETE OR UPDATE OF title, due_on, done_at, assignee_id ON lead_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION lead_board_raise();
CREATE TRIGGER lead_board_companies AFTER UPDATE OF name, country, industry ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION lead_board_raise();
