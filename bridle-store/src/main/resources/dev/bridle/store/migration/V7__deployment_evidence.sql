-- Deployment evidence (DESIGN §4, §8), for dev.bridle.store.JdbcDeploymentEvidence: what humans did
-- about shadow runs, feedback on runs, evaluation suite results, and the log of mode changes. The
-- rest of the evidence (shadowed calls, approval decisions, outcomes, cost) is in the journal.
--
-- One script for SQLite and PostgreSQL, like the others. Times are BIGINT nanoseconds since the
-- epoch, UTC (see dev.bridle.store.Times). Decisions and feedback name their run but hold no
-- foreign key to it: the evidence outlives the retention of runs (a pruned run's feedback still
-- counts in its version's mean; its decision is no longer compared, having nothing to compare
-- with), and the tables that reference runs stay the journal's own (events, snapshots).

-- What a human actually did about the task of a shadow run; one row per run, never updated.
--
-- calls       a JSON array of {"arguments": {...}, "tool": NAME}, arguments normalised (keys
--             sorted, numbers by value); [] when the human did nothing
-- decided_by  who recorded it
CREATE TABLE shadow_decisions (
  run_id           TEXT   NOT NULL PRIMARY KEY,
  workflow         TEXT   NOT NULL,
  workflow_version TEXT   NOT NULL,
  calls            TEXT   NOT NULL,
  decided_by       TEXT   NOT NULL,
  decided_at       BIGINT NOT NULL
);

CREATE INDEX shadow_decisions_by_workflow ON shadow_decisions (workflow, decided_at);

-- A rating of a run (1 bad to 5 good) and a comment; one row per run and person, replaced when
-- the person rates the run again.
--
-- comment  what the person wrote, at most 2,000 characters; '' when nothing
CREATE TABLE run_feedback (
  run_id           TEXT    NOT NULL,
  given_by         TEXT    NOT NULL,
  workflow         TEXT    NOT NULL,
  workflow_version TEXT    NOT NULL,
  rating           INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment          TEXT    NOT NULL,
  given_at         BIGINT  NOT NULL,
  PRIMARY KEY (run_id, given_by)
);

CREATE INDEX run_feedback_by_workflow ON run_feedback (workflow, given_at);

-- The results of evaluation suites, as bridle eval records them. Append-only.
--
-- seq      the order they were recorded in: 1, 2, ... (given under a lock on the table)
-- total    cases run (at least 1); passed: of them, those that passed. The pass rate is
--          passed / total, computed where it is read.
CREATE TABLE evaluation_results (
  seq              BIGINT  NOT NULL PRIMARY KEY,
  workflow         TEXT    NOT NULL,
  workflow_version TEXT    NOT NULL,
  suite            TEXT    NOT NULL,
  total            INTEGER NOT NULL CHECK (total >= 1),
  passed           INTEGER NOT NULL CHECK (passed >= 0 AND passed <= total),
  recorded_at      BIGINT  NOT NULL,
  recorded_by      TEXT    NOT NULL
);

CREATE INDEX evaluation_results_by_workflow ON evaluation_results (workflow, seq);

-- The audit log of mode changes: who changed which workflow's mode, when, why, from what, to
-- what, whether against the evidence, and the evidence as it stood. The newest row of a workflow
-- is its mode override: agents built for it run in to_mode. Append-only; never pruned by Bridle.
--
-- seq        the order the changes committed in: 1, 2, ... (given under a lock on the table)
-- from_mode  SHADOW, PROPOSE, SUPERVISED or AUTONOMOUS (core's Mode); '' when it was not known
-- forced     1 when the evidence did not support to_mode and the operator forced it, else 0
-- evidence   the readiness in one line when the change was made
CREATE TABLE mode_changes (
  seq        BIGINT  NOT NULL PRIMARY KEY,
  workflow   TEXT    NOT NULL,
  from_mode  TEXT    NOT NULL,
  to_mode    TEXT    NOT NULL,
  changed_by TEXT    NOT NULL,
  reason     TEXT    NOT NULL,
  forced     INTEGER NOT NULL CHECK (forced IN (0, 1)),
  evidence   TEXT    NOT NULL,
  changed_at BIGINT  NOT NULL
);

CREATE INDEX mode_changes_by_workflow ON mode_changes (workflow, seq);
