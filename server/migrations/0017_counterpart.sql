-- Whom a record was with, outside the roster: the course teacher a class check or a teacher
-- contact names (000 三(四) asks for a contact with every course teacher each semester). The
-- duty engine compares it by a key of the name (rounds::record::counterpart_key); the name is
-- kept as written, so the key can change without touching the rows.
ALTER TABLE records ADD COLUMN counterpart TEXT;
UPDATE records SET counterpart = json_extract(envelope, '$.body.data.teacher')
    WHERE kind IN ('class_check', 'teacher_contact');
