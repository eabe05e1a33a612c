-- When each counselor or head teacher was assigned to each class, kept by triggers so every
-- path that assigns (the office's pages, the CLI, the demo, an import) records it alike.
-- A record written offline about a class before it was taken from its author is then kept for
-- the office rather than refused (issue 15.2), and the office can tell who looked after a
-- class when.
CREATE TABLE class_assignment_history (
    user_id INTEGER NOT NULL,
    class_id INTEGER NOT NULL,
    assigned_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX class_assignment_history_user ON class_assignment_history(user_id, class_id);

-- Assignments made before this table existed: since the beginning, as far as anyone knows.
INSERT INTO class_assignment_history (user_id, class_id, assigned_at, ended_at)
    SELECT user_id, class_id, '1970-01-01T00:00:00.000Z', NULL FROM class_assignments;

CREATE TRIGGER class_assignment_started AFTER INSERT ON class_assignments
BEGIN
    INSERT INTO class_assignment_history (user_id, class_id, assigned_at, ended_at)
    SELECT NEW.user_id, NEW.class_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL
    WHERE NOT EXISTS (SELECT 1 FROM class_assignment_history
                      WHERE user_id = NEW.user_id AND class_id = NEW.class_id AND ended_at IS NULL);
END;

CREATE TRIGGER class_assignment_ended AFTER DELETE ON class_assignments
BEGIN
    UPDATE class_assignment_history SET ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE user_id = OLD.user_id AND class_id = OLD.class_id AND ended_at IS NULL;
END;
