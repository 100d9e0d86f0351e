-- The leads board's revision: raised by every write to leads, their tasks or the
-- company details a card shows, so that open boards (in any process) can tell that they
-- are out of date by reading one row. Kept by triggers so that no write path forgets it.
CREATE TABLE lead_board (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO lead_board (id, revision) VALUES (1, 1);
CREATE TRIGGER lead_board_lead_added AFTER INSERT ON leads
BEGIN UPDATE lead_board SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER lead_board_lead_changed AFTER UPDATE ON leads
BEGIN UPDATE lead_board SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER lead_board_lead_removed AFTER DELETE ON leads
BEGIN UPDATE lead_board SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER lead_board_task_added AFTER INSERT ON lead_tasks
BEGIN UPDATE lead_board SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER lead_board_task_changed AFTER UPDATE OF title, due_on, done_at, assignee_id ON lead_tasks
BEGIN UPDATE lead_board SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER lead_board_task_removed AFTER DELETE ON lead_tasks
BEGIN UPDATE lead_board SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER lead_board_company_changed AFTER UPDATE OF name, country, industry ON companies
BEGIN UPDATE lead_board SET revision = revision + 1 WHERE id = 1; END;
