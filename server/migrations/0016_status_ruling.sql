-- 学籍处理 (a decision on a student's enrolment: 留级, 休学, 试读…) joins the standing beside the
-- warning and the sanction (000 一(一), 二(五)). It lives in the archive's JSON like the others;
-- its history must accept the field. SQLite cannot alter a CHECK, so the history table is
-- rebuilt, every row kept.
CREATE TABLE standing_history_v3 (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('warning_level', 'warning_on', 'discipline_on', 'ruling_on', 'assistance_level', 'assistance_on')),
    old_value TEXT,
    new_value TEXT,
    changed_by INTEGER REFERENCES users(id),
    changed_at TEXT NOT NULL,
    decision_on TEXT,
    basis TEXT
);
INSERT INTO standing_history_v3 (id, student_id, field, old_value, new_value, changed_by, changed_at, decision_on, basis)
    SELECT id, student_id, field, old_value, new_value, changed_by, changed_at, decision_on, basis FROM standing_history;
DROP TABLE standing_history;
ALTER TABLE standing_history_v3 RENAME TO standing_history;
CREATE INDEX standing_history_by_student ON standing_history (student_id, id);
