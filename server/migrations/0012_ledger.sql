-- The issue ledger (002 四(三)): an issue and its steps are one thread. Steps are written by
-- the office, the assignee and the raiser, so a thread's records are also seen by its parties
-- (the raiser and everyone it was assigned to), whatever their scope.
ALTER TABLE records ADD COLUMN thread_id TEXT;
UPDATE records SET thread_id = id WHERE kind = 'student_issue';
CREATE INDEX records_thread ON records(thread_id);

CREATE TABLE record_parties (
    record_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (record_id, user_id)
);
CREATE INDEX record_parties_user ON record_parties(user_id);

-- The office's days per category before an issue is due (002 says only «及时»); NULL until
-- the office saves its own, when the defaults in src/ledger.rs apply.
CREATE TABLE ledger_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    due_days TEXT,
    updated_by INTEGER REFERENCES users(id),
    updated_at TEXT
);
INSERT INTO ledger_settings (id) VALUES (1);
