-- The leadership tier (学校领导班子成员、二级党组织班子成员, 002 三(一), 四(二)): leaders who owe
-- a politics lesson each semester and face-to-face contact with students each week.
ALTER TABLE users ADD COLUMN leadership INTEGER NOT NULL DEFAULT 0;
