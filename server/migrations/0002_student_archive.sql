-- The confidential student archive (004 §3.1), kept as the JSON of rounds::StudentArchive.
ALTER TABLE students ADD COLUMN archive TEXT;
