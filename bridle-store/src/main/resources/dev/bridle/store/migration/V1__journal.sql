-- The run journal, the run index and snapshots.
--
-- One script for SQLite and PostgreSQL (see dev.bridle.store.Migrations): only types and clauses
-- both understand. Times are BIGINT nanoseconds since the epoch, UTC (see dev.bridle.store.Times).
-- Leases (one writer per run, DESIGN §7) come in a later migration.

-- The index: one row per run, a projection of its events (core's RunSummary), updated in the
-- transaction of every append. last_seq is the run's last event number and guards appends.
CREATE TABLE runs (
  run_id              TEXT    NOT NULL PRIMARY KEY,
  workflow            TEXT,
  workflow_version    TEXT,
  user_name           TEXT,
  status              TEXT    NOT NULL,
  created_at          BIGINT  NOT NULL,
  updated_at          BIGINT  NOT NULL,
  steps               INTEGER NOT NULL,
  input_tokens        BIGINT  NOT NULL,
  output_tokens       BIGINT  NOT NULL,
  cached_input_tokens BIGINT  NOT NULL,
  task                TEXT,
  last_seq            BIGINT  NOT NULL
);

-- For listing newest first, with or without a filter. No index holds updated_at or the counters,
-- which change on every append: PostgreSQL can then update the row in place (HOT) for most events.
CREATE INDEX runs_by_created_at ON runs (created_at);
CREATE INDEX runs_by_status ON runs (status, created_at);
CREATE INDEX runs_by_workflow ON runs (workflow, created_at);
CREATE INDEX runs_by_user ON runs (user_name, created_at);

-- The journal: append-only, one row per event. body is the event as EventCodec writes it (JSON
-- text, with its type and version); type, v and at repeat what queries need.
-- TEXT, not PostgreSQL's jsonb: measured with pg_column_size on a typical step (a model response
-- and one tool call proposed, started and completed; 1,109 characters of JSON), the bodies take
-- 1,125 bytes as text and 1,310 as jsonb (16% more). Text also keeps the JSON byte for byte, and
-- jsonb refuses the escape \u0000 that a tool's output may hold. Both are compressed over ~2 KB.
CREATE TABLE events (
  run_id TEXT    NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq    BIGINT  NOT NULL,
  type   TEXT    NOT NULL,
  v      INTEGER NOT NULL,
  at     BIGINT  NOT NULL,
  body   TEXT    NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- The latest snapshot of a run: its state as of event seq.
CREATE TABLE snapshots (
  run_id TEXT   NOT NULL PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
  seq    BIGINT NOT NULL,
  state  TEXT   NOT NULL
);
