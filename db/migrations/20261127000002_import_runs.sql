-- migrate:up
CREATE TYPE import_run_status AS ENUM ('running', 'complete', 'partial', 'nothing_imported', 'failed');

-- One row per import of a list into a campaign, updated after every batch so a
-- dialog, a CLI or an operator can follow a run and see what it committed.
CREATE TABLE import_runs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  list_id     uuid NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
  status      import_run_status NOT NULL DEFAULT 'running',
  list_total  integer NOT NULL DEFAULT 0,
  total       integer NOT NULL DEFAULT 0,
  imported    integer NOT NULL DEFAULT 0,
  duplicates  integer NOT NULL DEFAULT 0,
  invalid     integer NOT NULL DEFAULT 0,
  errors      integer NOT NULL DEFAULT 0,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX import_runs_campaign_id_started_at_idx ON import_runs (campaign_id, started_at);

-- migrate:down
DROP TABLE import_runs;
DROP TYPE import_run_status;
