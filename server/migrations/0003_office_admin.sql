-- The office manages accounts and the roster in the browser.

-- A disabled account cannot sign in; its sessions are ended when it is disabled.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- A deleted roster row (a student, a bed, a class assignment…) leaves no row behind to carry a
-- change number, so this one row carries it: the pull re-sends the roster when it moves.
CREATE TABLE roster_removals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    updated_seq INTEGER NOT NULL
);
INSERT INTO roster_removals (id, updated_seq) VALUES (1, 0);
