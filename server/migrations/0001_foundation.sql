-- Rounds foundation schema: roster, accounts, sessions, and the one record store for every kind.

-- One counter for every change the pull must see (roster rows and records alike).
CREATE TABLE change_seq (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO change_seq (id, value) VALUES (1, 0);

CREATE TABLE institution (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai'
);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    updated_seq INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    name TEXT NOT NULL UNIQUE,
    cohort_year INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE students (
    id INTEGER PRIMARY KEY,
    student_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    class_id INTEGER NOT NULL REFERENCES classes(id),
    phone TEXT,
    updated_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX students_class ON students(class_id);

CREATE TABLE buildings (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    updated_seq INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE rooms (
    id INTEGER PRIMARY KEY,
    building_id INTEGER NOT NULL REFERENCES buildings(id),
    number TEXT NOT NULL,
    updated_seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (building_id, number)
);

CREATE TABLE beds (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES rooms(id),
    label TEXT NOT NULL,
    student_id INTEGER UNIQUE REFERENCES students(id),
    updated_seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (room_id, label)
);
CREATE INDEX beds_room ON beds(room_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('counselor', 'head_teacher', 'leader', 'office', 'admin')),
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    last_failed_at TEXT,
    created_at TEXT NOT NULL
);

-- Which staff look after which class (counselor or head teacher).
CREATE TABLE class_assignments (
    user_id INTEGER NOT NULL REFERENCES users(id),
    class_id INTEGER NOT NULL REFERENCES classes(id),
    updated_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, class_id)
);

-- The token itself never rests here, only its SHA-256.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The current revision of every record, whatever its kind; the subject columns let the pull and
-- the scope checks work without opening the JSON.
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    revision INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    room_id INTEGER,
    class_id INTEGER,
    student_id INTEGER,
    occurred_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    envelope TEXT NOT NULL,
    seq INTEGER NOT NULL UNIQUE
);
CREATE INDEX records_room ON records(room_id);
CREATE INDEX records_class ON records(class_id);
CREATE INDEX records_student ON records(student_id);
CREATE INDEX records_author ON records(author_id);

-- Every revision ever received, current, superseded or in conflict: nothing is overwritten.
CREATE TABLE record_revisions (
    id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    base_revision INTEGER,
    status TEXT NOT NULL CHECK (status IN ('current', 'superseded', 'conflict')),
    author_id INTEGER NOT NULL,
    envelope TEXT NOT NULL,
    seq INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (id, revision, content_hash)
);
