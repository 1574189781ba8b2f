-- Leases on runs: one writer per run (DESIGN §3.4, §7), for the run queue
-- (dev.bridle.store.JdbcRunQueue).
--
-- On the index row itself rather than in a table of their own: an append already locks that row to
-- check last_seq, so it reads the lease epoch under the same lock, in the same transaction (the
-- fencing), and a claim that locks the row waits for (or, with SKIP LOCKED, skips) a batch that is
-- appending to the run.
--
-- lease_owner      the node holding the lease; NULL when no node does (never claimed, or released)
-- lease_expires_at when the lease runs out unless renewed (nanoseconds, like every time); NULL with
--                  lease_owner
-- lease_epoch      how many times the run was claimed: raised by every claim, kept on release,
--                  never reused. An append through a lease is refused unless the run is still at
--                  its epoch. 0: never claimed (a run started outside the queue).
ALTER TABLE runs ADD COLUMN lease_owner TEXT;
ALTER TABLE runs ADD COLUMN lease_expires_at BIGINT;
ALTER TABLE runs ADD COLUMN lease_epoch BIGINT NOT NULL DEFAULT 0;

-- No new index: a claim looks for QUEUED and RUNNING runs oldest first, which runs_by_status
-- (status, created_at) serves, and an index on lease_expires_at would keep PostgreSQL from updating
-- the row in place (HOT) on every heartbeat.
