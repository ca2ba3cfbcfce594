-- migrate:up
-- Why rows were not imported (issue 12). What each skipped row needs is not written at import
-- time; the report recomputes it from the list, the campaign and these few facts, exactly
-- (docs/performance.md: recording every skipped row cost 30% of the import's speed).

-- The list import's run that inserted a prospect (null: added by the API). A later duplicate of
-- the same person is "repeated in the list" when this is the run it belongs to, and "already in
-- the campaign" otherwise. No foreign key: checking one on every inserted row would cost each
-- batch, and a run is never deleted while its campaign exists (both go with the campaign).
ALTER TABLE prospects ADD COLUMN import_run_id uuid;

ALTER TABLE import_runs
  -- Invalid rows by reason (skip-reasons.ts), as of the cursor like invalid itself.
  ADD COLUMN invalid_reasons jsonb NOT NULL DEFAULT '{}',
  -- Of the duplicates, those repeating a person an earlier row of this run brought in.
  ADD COLUMN repeated integer NOT NULL DEFAULT 0;

-- The rows of a run that could not be written (a failed batch, or the campaign left draft
-- mid-run): rare, and the one outcome the report could not tell from the data afterwards.
CREATE TABLE import_row_errors (
  run_id      uuid NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
  list_row_id bigint NOT NULL,
  -- The error's class only (for example CampaignNotDraft or a driver error's name), never SQL.
  error_class text NOT NULL,
  PRIMARY KEY (run_id, list_row_id)
);

-- migrate:down
DROP TABLE import_row_errors;
ALTER TABLE import_runs DROP COLUMN invalid_reasons, DROP COLUMN repeated;
ALTER TABLE prospects DROP COLUMN import_run_id;
