-- Assistance (帮扶, seeds 001 and 003): the semester results the office imports, the working
-- group's identification decisions, and the volunteer register. The cases themselves are records
-- (kind `assistance_case`) in `records`, with their revisions, like every other kind.

-- The standing gains the day its assistance level was decided (`assistance_on`), from which the
-- level's actions fall due; its history must accept the field. SQLite cannot alter a CHECK, so
-- the history table is rebuilt, every row kept.
CREATE TABLE standing_history_v2 (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('warning_level', 'warning_on', 'discipline_on', 'assistance_level', 'assistance_on')),
    old_value TEXT,
    new_value TEXT,
    changed_by INTEGER REFERENCES users(id),
    changed_at TEXT NOT NULL,
    decision_on TEXT,
    basis TEXT
);
INSERT INTO standing_history_v2 (id, student_id, field, old_value, new_value, changed_by, changed_at, decision_on, basis)
    SELECT id, student_id, field, old_value, new_value, changed_by, changed_at, decision_on, basis FROM standing_history;
DROP TABLE standing_history;
ALTER TABLE standing_history_v2 RENAME TO standing_history;
CREATE INDEX standing_history_by_student ON standing_history (student_id, id);

-- One student's results of one term (`2025-2026-2`), as 教务处 sent them; a re-import of the same
-- file changes nothing.
CREATE TABLE semester_results (
    term TEXT NOT NULL,
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    failed_credits REAL NOT NULL,
    failed_courses INTEGER NOT NULL,
    gpa REAL,
    absence_hours REAL NOT NULL,
    imported_by INTEGER REFERENCES users(id),
    imported_at TEXT NOT NULL,
    PRIMARY KEY (term, student_id)
);

-- The working group's decision on a term's list (003 五 «经工作组研究决定»): when, on what basis,
-- who entered it. Confirming again keeps the first entry's time and adds the students confirmed.
CREATE TABLE identification_decisions (
    term TEXT PRIMARY KEY,
    decided_on TEXT NOT NULL,
    basis TEXT NOT NULL,
    confirmed_by INTEGER REFERENCES users(id),
    confirmed_at TEXT NOT NULL
);

-- Each student the decision confirmed, with the level decided (NULL: in difficulty below the
-- first line).
CREATE TABLE identification_confirmations (
    term TEXT NOT NULL,
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    level INTEGER CHECK (level IN (1, 2, 3)),
    decided_on TEXT NOT NULL,
    PRIMARY KEY (term, student_id)
);

-- 003 六: volunteers selected, trained and registered by the working group.
CREATE TABLE volunteers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    student_no TEXT NOT NULL DEFAULT '',
    class_name TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    selected_on TEXT,
    trained_on TEXT,
    active INTEGER NOT NULL DEFAULT 1
);

-- Which sub-kind a record is (`RecordKind::ACTIVITIES`, by position), kept beside the subject
-- columns so duty facts never open the JSON; the server writes it with every revision. Rows
-- stored before: branch and club activities named their sub-kind in `activity`, parent contacts
-- in `channel` (the wire names of this release, in their order).
ALTER TABLE records ADD COLUMN activity INTEGER;
UPDATE records SET activity = CASE json_extract(envelope, '$.body.data.activity')
        WHEN 'party_lecture' THEN 0 WHEN 'organisational_meeting' THEN 1 WHEN 'report' THEN 2 WHEN 'talk' THEN 3 END
    WHERE kind = 'branch_activity';
UPDATE records SET activity = CASE json_extract(envelope, '$.body.data.activity')
        WHEN 'plan' THEN 0 WHEN 'meeting' THEN 1 WHEN 'activity' THEN 2 END
    WHERE kind = 'club_activity';
UPDATE records SET activity = CASE json_extract(envelope, '$.body.data.channel')
        WHEN 'phone' THEN 0 WHEN 'we_chat' THEN 1 WHEN 'sms' THEN 2 WHEN 'letter' THEN 3 WHEN 'registered_mail' THEN 4
        WHEN 'meeting' THEN 5 WHEN 'visit' THEN 6 END
    WHERE kind = 'parent_contact';
-- A leader's class attendance is a lecture (002 三(二)'s «每学期…1次讲座», a duty of its own) or not.
UPDATE records SET activity = 0 WHERE kind = 'class_attendance' AND json_extract(envelope, '$.body.data.event') = 'lecture';
