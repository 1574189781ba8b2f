-- Kill switches (DESIGN §3.5), for dev.bridle.store.JdbcKillSwitch: the switches that are on, and
-- the log of every operator action on them.
--
-- One script for SQLite and PostgreSQL, like V1 and V2. Times are BIGINT nanoseconds since the
-- epoch, UTC (see dev.bridle.store.Times).

-- The switches that are on: one row per switch, deleted when it is revived. Every node reads this
-- table before its model and tool calls (through a short cache), so it stays tiny.
--
-- scope      GLOBAL, WORKFLOW or AGENT (core's KillSwitch.Scope)
-- target     the workflow name or agent identity (agent:<workflow>@<version>); '*' for GLOBAL
-- killed_by  who turned it on (an operator, a script); turning it on again replaces who, why, when
-- reason     why, as the operator said it; '' when not given
-- killed_at  when it was (last) turned on
CREATE TABLE kill_switches (
  scope     TEXT   NOT NULL,
  target    TEXT   NOT NULL,
  killed_by TEXT   NOT NULL,
  reason    TEXT   NOT NULL,
  killed_at BIGINT NOT NULL,
  PRIMARY KEY (scope, target)
);

-- The audit log: every kill, and every revive that turned a switch off, with who, when and why.
-- Append-only; never pruned by Bridle.
--
-- seq     the order the actions committed in: 1, 2, ... (given under a lock on the table, so that
--         it needs no sequence or autoincrement, which SQLite and PostgreSQL spell differently)
-- action  KILL or REVIVE
-- actor   who did it
-- reason  why; '' for a revive, which gives none
CREATE TABLE kill_switch_log (
  seq    BIGINT NOT NULL PRIMARY KEY,
  action TEXT   NOT NULL,
  scope  TEXT   NOT NULL,
  target TEXT   NOT NULL,
  actor  TEXT   NOT NULL,
  reason TEXT   NOT NULL,
  at     BIGINT NOT NULL
);
