-- The duty rules and the semester calendar, as the office edits them. Every save is a new row
-- with the next version: nothing is overwritten, and an edit made from an old version is refused.
-- One institution per database today (institution.id = 1); the column keeps the key honest.
-- The first version of each (the defaults) is written by the server on migrate, from its code.

CREATE TABLE duty_rule_sets (
    institution_id INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL,
    -- The JSON of the rules (a list of rounds::duties::Rule).
    rules TEXT NOT NULL,
    -- NULL for the defaults the server stored itself.
    saved_by INTEGER REFERENCES users(id),
    saved_at TEXT NOT NULL,
    PRIMARY KEY (institution_id, version)
);

-- The semesters only: the calendar's time zone is the institution's (`institution.time_zone`).
CREATE TABLE school_calendars (
    institution_id INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL,
    -- The JSON of the semesters (a list of rounds::duties::Semester).
    semesters TEXT NOT NULL,
    saved_by INTEGER REFERENCES users(id),
    saved_at TEXT NOT NULL,
    PRIMARY KEY (institution_id, version)
);

-- The duty engine reads a school year of records of the kinds the rules count.
CREATE INDEX records_kind_occurred ON records(kind, occurred_at);
