-- Every push and pull asks for the roster's last change number (MAX(updated_seq) of each roster
-- table) to know whether its cached roster is current; an index answers each in one lookup
-- instead of a scan of the whole school.
CREATE INDEX students_updated_seq ON students(updated_seq);
CREATE INDEX beds_updated_seq ON beds(updated_seq);
CREATE INDEX rooms_updated_seq ON rooms(updated_seq);
CREATE INDEX classes_updated_seq ON classes(updated_seq);
