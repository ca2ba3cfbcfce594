-- migrate:up transaction:false
-- Background runs (issue 11): the statuses of a run waiting for a worker, and of one stopped on
-- request. In a migration of their own: a new enum value can't be used in the transaction (or
-- the multi-statement query) that adds it, and the next migration's index names 'queued'.
ALTER TYPE import_run_status ADD VALUE IF NOT EXISTS 'queued' BEFORE 'running';
ALTER TYPE import_run_status ADD VALUE IF NOT EXISTS 'cancelled';

-- migrate:down
-- PostgreSQL can't drop enum values: 'queued' and 'cancelled' stay in import_run_status.
