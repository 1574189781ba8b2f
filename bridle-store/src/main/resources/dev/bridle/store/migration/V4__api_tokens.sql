-- API tokens of the HTTP server (bridle-server's JdbcTokenStore): in the database, so that every
-- node of a cluster accepts the same tokens and a revocation reaches all of them.
--
-- token_id     the public id (tok_ and 16 hex digits): shown in listings, used to revoke
-- token_hash   SHA-256 of the secret, lower-case hex; the secret itself is never stored
-- principal    who acts with the token (recorded as approver, as the by of kills and reverts)
-- role         viewer, approver, operator or admin
-- created_at, last_used_at, revoked_at   nanoseconds since the epoch, UTC, like every time;
--              last_used_at is updated at most once a minute; revoked_at NULL while active
CREATE TABLE api_tokens (
  token_id     TEXT   NOT NULL PRIMARY KEY,
  token_hash   TEXT   NOT NULL UNIQUE,
  principal    TEXT   NOT NULL,
  role         TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);
