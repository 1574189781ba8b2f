-- Quality circuit breakers (DESIGN §5), for dev.bridle.store.JdbcQualityBreakerStore: per workflow,
-- whether the breaker is open, the samples of its rolling window, and the log of every trip, open
-- and close.
--
-- One script for SQLite and PostgreSQL, like the others. Times are BIGINT nanoseconds since the
-- epoch, UTC (see dev.bridle.store.Times).

-- One row per workflow a sample was recorded for, or a breaker was opened for. A node reads its row
-- before it starts a task of the workflow.
--
-- state            CLOSED or OPEN (core's QualityBreaker.State)
-- changed_by       who last opened or closed it; 'quality-breaker' when it tripped; '' if never
-- reason           why it last changed; '' when not given
-- changed_at       when it last changed, or when the row was created
-- window_start     samples at or before this time do not count: the last close (0 until then)
-- window_samples   the window as last evaluated: how many samples it held,
-- window_failures  how many of them counted as failures,
-- evaluated_at     and when
-- rule             the settings of that evaluation in one line, for people; '' before the first
CREATE TABLE quality_breakers (
  workflow        TEXT    NOT NULL PRIMARY KEY,
  state           TEXT    NOT NULL,
  changed_by      TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  changed_at      BIGINT  NOT NULL,
  window_start    BIGINT  NOT NULL,
  window_samples  INTEGER NOT NULL,
  window_failures INTEGER NOT NULL,
  evaluated_at    BIGINT  NOT NULL,
  rule            TEXT    NOT NULL
);

-- The samples a window may still hold: one per run that ended, one per evaluation. Kept once per
-- id (a run recorded twice counts once); those that can no longer be in the window (older than
-- its duration, beyond its size, from before a close) are deleted as new ones come in, so the
-- table stays at about one window per workflow.
--
-- sample_id  run:<runId> or evaluation:<id>
-- signal     PASSED or a failure (core's QualitySignal)
-- at         when the run ended or the evaluation was made
CREATE TABLE quality_samples (
  workflow  TEXT   NOT NULL,
  sample_id TEXT   NOT NULL,
  signal    TEXT   NOT NULL,
  at        BIGINT NOT NULL,
  PRIMARY KEY (workflow, sample_id)
);

CREATE INDEX quality_samples_by_time ON quality_samples (workflow, at);

-- The audit log: every trip, every manual open and every close, with who, when and why.
-- Append-only; never pruned by Bridle.
--
-- seq      the order the actions committed in: 1, 2, ... (given under a lock on the table)
-- action   TRIP, OPEN or CLOSE
-- actor    who did it; 'quality-breaker' for a trip
-- reason   why; for a trip, the failure rate that tripped it
CREATE TABLE quality_breaker_log (
  seq      BIGINT NOT NULL PRIMARY KEY,
  action   TEXT   NOT NULL,
  workflow TEXT   NOT NULL,
  actor    TEXT   NOT NULL,
  reason   TEXT   NOT NULL,
  at       BIGINT NOT NULL
);

CREATE INDEX quality_breaker_log_by_workflow ON quality_breaker_log (workflow, seq);
