-- Budgets and rate limits shared by every node of one database: what was spent per budget and
-- period (dev.bridle.store.JdbcSpendStore), and the token buckets of the rate limits
-- (dev.bridle.store.JdbcRateLimiter).
--
-- One script for SQLite and PostgreSQL like V1 to V4, except for two column types that the two
-- spell differently; they come from Flyway placeholders set per database in
-- dev.bridle.store.Migrations:
--
--   exact_decimal  PostgreSQL: NUMERIC (arbitrary precision, added exactly by the database).
--                  SQLite: TEXT, the decimal's plain string ("0.000000075"). SQLite has no exact
--                  decimal type: a column declared NUMERIC or DECIMAL turns such text into an
--                  8-byte float, keeping 15 significant digits. TEXT keeps every digit; the sum is
--                  computed in Java (BigDecimal) inside the write transaction, which holds
--                  SQLite's only write lock (BEGIN IMMEDIATE), so no other writer, in this process
--                  or another, can interleave. Fixed-point integers (micro-dollars) were not
--                  chosen: prices are per million tokens, so one token's cost has more decimals
--                  than any fixed scale would keep exactly.
--   bytes          PostgreSQL: BYTEA. SQLite: BLOB.

-- What was spent: one row per budget scope and period, updated by every recorded model call.
--
-- scope_period  RUN, USER_MONTH or WORKFLOW_DAY (core's BudgetScope.Period)
-- subject       the run id, the user or the workflow name
-- period_key    'run' for a run, '2026-11' for a user's month, '2026-11-22' for a workflow's day
-- tokens        input plus output tokens
-- usd           US dollars, exact (see exact_decimal above)
CREATE TABLE spend_totals (
  scope_period TEXT             NOT NULL,
  subject      TEXT             NOT NULL,
  period_key   TEXT             NOT NULL,
  tokens       BIGINT           NOT NULL,
  usd          ${exact_decimal} NOT NULL,
  PRIMARY KEY (scope_period, subject, period_key)
);

-- Token buckets: one row per bucket, written by compare-and-swap.
--
-- bucket_key  the rate limit's key for the call (core's RateLimit.key): its scope, subject and
--             shape, e.g. 'tool:crm:update_lead|10/60000ms|crm:*'
-- state       the bucket's state as Bucket4j serializes it (its configuration and tokens)
-- version     1 when created, one more on every write: a write applies only if the version is
--             still the one that was read
CREATE TABLE rate_buckets (
  bucket_key TEXT     NOT NULL PRIMARY KEY,
  state      ${bytes} NOT NULL,
  version    BIGINT   NOT NULL
);
