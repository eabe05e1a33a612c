-- Clubs, party branches, and the links of leaders to a class, room, club and branch (002 §三);
-- records about a club or a branch.

CREATE TABLE clubs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    department_id INTEGER REFERENCES departments(id),
    updated_seq INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE party_branches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    department_id INTEGER REFERENCES departments(id),
    updated_seq INTEGER NOT NULL DEFAULT 0
);

-- One column per kind of target rather than a (type, id) pair, so every link is a real foreign
-- key: a class, room, club or branch cannot be deleted while a leader is linked to it.
CREATE TABLE leader_links (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    class_id INTEGER REFERENCES classes(id),
    room_id INTEGER REFERENCES rooms(id),
    club_id INTEGER REFERENCES clubs(id),
    branch_id INTEGER REFERENCES party_branches(id),
    updated_seq INTEGER NOT NULL DEFAULT 0,
    CHECK ((class_id IS NOT NULL) + (room_id IS NOT NULL) + (club_id IS NOT NULL) + (branch_id IS NOT NULL) = 1)
);
CREATE INDEX leader_links_user ON leader_links(user_id);
CREATE UNIQUE INDEX leader_links_class ON leader_links(user_id, class_id) WHERE class_id IS NOT NULL;
CREATE UNIQUE INDEX leader_links_room ON leader_links(user_id, room_id) WHERE room_id IS NOT NULL;
CREATE UNIQUE INDEX leader_links_club ON leader_links(user_id, club_id) WHERE club_id IS NOT NULL;
CREATE UNIQUE INDEX leader_links_branch ON leader_links(user_id, branch_id) WHERE branch_id IS NOT NULL;

-- (Removals of clubs, branches and links move roster_removals, made in 0003.)

-- Records about a club or a branch, beside the room, class and student columns: one column per
-- subject type keeps the pull's filter a plain `column IN (…)` and never mixes a club's id with
-- a branch's.
ALTER TABLE records ADD COLUMN club_id INTEGER;
ALTER TABLE records ADD COLUMN branch_id INTEGER;
CREATE INDEX records_club ON records(club_id);
CREATE INDEX records_branch ON records(branch_id);
