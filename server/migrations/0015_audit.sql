-- The audit log (issue 14): every read of a confidential record or archive, and every change of
-- roster, standing, rules, accounts and links: who, when, what, from which address. Append-only:
-- the code has no UPDATE or DELETE of it, and the triggers below refuse both, so not even a bug
-- (or a hand at the sqlite3 prompt that forgets) can edit what was logged.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- When it happened (UTC, RFC 3339): for a phone's read, when the phone says it was opened.
    at TEXT NOT NULL,
    -- When the server wrote it down.
    logged_at TEXT NOT NULL,
    -- No foreign keys: the log outlives the accounts, students and records it names.
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    via TEXT NOT NULL CHECK (via IN ('server', 'phone')),
    target TEXT NOT NULL DEFAULT '',
    student_id INTEGER,
    -- The student's name and number at the time.
    student TEXT NOT NULL DEFAULT '',
    record_id TEXT,
    item_count INTEGER,
    -- A phone's own id for a read it uploads: the same read sent twice is written once.
    client_id TEXT UNIQUE
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_student ON audit_log(student_id, at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Single logout from the university (back-channel): which university session opened a Rounds
-- session. CAS: the service ticket (the SessionIndex of its logoutRequest). OpenID Connect: the
-- ID token's sid and sub (a logout_token names one or both).
ALTER TABLE sessions ADD COLUMN sso_session TEXT;
ALTER TABLE sessions ADD COLUMN sso_subject TEXT;
CREATE INDEX sessions_sso_session ON sessions(sso, sso_session) WHERE sso_session IS NOT NULL;
CREATE INDEX sessions_sso_subject ON sessions(sso, sso_subject) WHERE sso_subject IS NOT NULL;
