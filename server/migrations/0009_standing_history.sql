-- The history of every change of a student's standing (学业预警, 处分, 帮扶 level): which field,
-- from what to what, who changed it and when (server time), and for the office's decisions the
-- decision date and basis (决定日期, 依据). Rows are only ever added. The standing itself stays in
-- the archive JSON of `students`; this is the trail of how it got there.
CREATE TABLE standing_history (
    id INTEGER PRIMARY KEY,
    -- A student can be deleted only while no records are about them; their history goes with them.
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('warning_level', 'warning_on', 'discipline_on', 'assistance_level')),
    old_value TEXT,
    new_value TEXT,
    changed_by INTEGER REFERENCES users(id),
    changed_at TEXT NOT NULL,
    decision_on TEXT,
    basis TEXT
);
CREATE INDEX standing_history_by_student ON standing_history (student_id, id);
