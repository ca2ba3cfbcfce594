-- migrate:up
-- The counters behind every rate limit (API writes and imports per key, failed sign-ins per
-- account and per client address), shared by every app instance on this database. The shape is
-- what rate-limiter-flexible's PostgreSQL store reads and writes (src/server/domain/rate-limit.ts):
-- key = "<limit>:<who>", points used in the current window, expire = the window's end in ms since
-- the epoch. Created here rather than by the library at run time, so the app needs no DDL rights.
-- UNLOGGED: every limited request writes a counter, and without WAL that write needs no disk
-- flush at commit (measured: 5 ms a call logged, docs/performance.md). The price: after a crash of
-- PostgreSQL (not of the app) or a fail-over to a replica the counters start again from zero.
CREATE UNLOGGED TABLE rate_limits (
  key    text PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

-- migrate:down
DROP TABLE rate_limits;
