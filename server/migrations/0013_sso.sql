-- Sign-in through the university (统一身份认证, CAS or OpenID Connect). The university's sign-in
-- names a person by staff number (工号); the office records it on their Rounds account. An
-- unknown staff number is refused: no account is ever made by signing in.
ALTER TABLE users ADD COLUMN staff_no TEXT;
CREATE UNIQUE INDEX users_staff_no ON users(staff_no) WHERE staff_no IS NOT NULL;

-- Which sign-in opened a session ('cas' or 'oidc'; NULL for a password), and the OpenID
-- provider's ID token, which its logout wants back as id_token_hint.
ALTER TABLE sessions ADD COLUMN sso TEXT;
ALTER TABLE sessions ADD COLUMN sso_id_token TEXT;

-- A sign-in under way at the university's server, a few minutes at most: found by the hash of
-- a random value in the browser's cookie (so the answer must come back to the browser that
-- asked), and used once. OpenID Connect's state, nonce and PKCE verifier; where to go after.
CREATE TABLE sso_pending (
    id_hash TEXT PRIMARY KEY,
    protocol TEXT NOT NULL CHECK (protocol IN ('cas', 'oidc')),
    state TEXT NOT NULL DEFAULT '',
    nonce TEXT NOT NULL DEFAULT '',
    pkce_verifier TEXT NOT NULL DEFAULT '',
    next TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
