-- migrate:up
-- Background runs (issue 11): what a run needs to be resumed by another process, or cancelled.
ALTER TABLE import_runs
  -- Started as a pg-boss job (the job's id is the run's id) rather than inside a request.
  ADD COLUMN background boolean NOT NULL DEFAULT false,
  -- How many times a process that died was replaced by another that went on from the cursor.
  ADD COLUMN resumed_count integer NOT NULL DEFAULT 0,
  -- The last list row the committed batches account for; moved in each batch's own statement
  -- with total, invalid and errors as of that row. A resumed run reads on after it.
  ADD COLUMN cursor_row_id bigint,
  -- Set by a cancel request; the batch statement sees it and writes nothing more.
  ADD COLUMN cancel_requested_at timestamptz;

-- Runs that were running when this migration ran had lost their server (the app is stopped to
-- migrate): end them as partial, with counts that add up, so the index below can be built.
UPDATE import_runs SET status = 'partial', finished_at = now(), errors = total - invalid - imported - duplicates
WHERE status = 'running';

-- One run per (campaign, list) at a time, whichever process or request started it.
CREATE UNIQUE INDEX import_runs_one_active_idx ON import_runs (campaign_id, list_id) WHERE status IN ('queued', 'running');

-- migrate:down
DROP INDEX import_runs_one_active_idx;
ALTER TABLE import_runs DROP COLUMN background, DROP COLUMN resumed_count, DROP COLUMN cursor_row_id, DROP COLUMN cancel_requested_at;
