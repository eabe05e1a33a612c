-- A class meeting's topic is now its sub-kind (the `activity` column), so a rule can ask for the
-- graduating classes' meeting on leaving well (000 二(二)). The stored meetings get theirs, in
-- the order of rounds::MeetingTopic.
UPDATE records SET activity = CASE json_extract(envelope, '$.body.data.topic')
        WHEN 'ideology' THEN 0 WHEN 'rules' THEN 1 WHEN 'safety' THEN 2 WHEN 'theme' THEN 3
        WHEN 'other' THEN 4 WHEN 'graduation' THEN 5 END
    WHERE kind = 'class_meeting';
