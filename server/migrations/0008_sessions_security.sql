-- Sessions a person can see and end ("signed in on 2 devices"): a public id (the token's hash
-- never leaves the server), when it was last used, from where and with what browser.
ALTER TABLE sessions ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
UPDATE sessions SET public_id = lower(hex(randomblob(8))) WHERE public_id = '';
CREATE UNIQUE INDEX sessions_public_id ON sessions(public_id);

-- The office's settings of sign-in: how long an unused session stays open.
CREATE TABLE security_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    idle_timeout_minutes INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at TEXT
);
INSERT INTO security_settings (id, idle_timeout_minutes) VALUES (1, 4320);

-- Failed sign-ins by source address and the username typed (known or not): throttling is per
-- address and account together, so a stranger cannot lock a counselor out of their own account.
CREATE TABLE login_failures (
    address TEXT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_address ON login_failures(address, at);

-- Each time an address was stopped, for the office to see.
CREATE TABLE lockouts (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL,
    -- NULL when the address was stopped for trying many accounts (a spray).
    username TEXT,
    failures INTEGER NOT NULL,
    locked_until TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX lockouts_at ON lockouts(at);
