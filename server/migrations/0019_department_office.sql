-- An office account may be a department's office (院系学工办): 004 puts the archives, the letters
-- to families, the vacation home visits and the help groups on «学工部、各系». Such an account owes
-- the office's duties for its department's classes only; NULL is the school's office (学工部).
ALTER TABLE users ADD COLUMN department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL;
