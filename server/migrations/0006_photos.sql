-- Photos of records, content-addressed. The bytes live here as BLOBs, beside the records that
-- name them: one file to back up, and one transaction for both.
CREATE TABLE photos (
    sha256 TEXT PRIMARY KEY,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/webp', 'image/png')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- Who sent which photo: an uploader may fetch it back before any record names it.
CREATE TABLE photo_uploads (
    sha256 TEXT NOT NULL REFERENCES photos(sha256),
    user_id INTEGER NOT NULL REFERENCES users(id),
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (sha256, user_id)
);

-- Which records name which photo, over every stored revision (the history keeps old photos
-- visible). No foreign key to photos: a record may arrive before its photos do.
CREATE TABLE record_photos (
    sha256 TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (sha256, record_id)
);
