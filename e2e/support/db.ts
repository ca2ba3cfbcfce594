import pg from "pg";
import { e2eDatabaseUrl } from "./env";

// The tests read the database directly to check that what the screen says is what was stored.
let pool: pg.Pool | undefined;

export function testPool(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: e2eDatabaseUrl(), max: 4 });
  return pool;
}

export async function closeTestPool() {
  await pool?.end();
  pool = undefined;
}

export type StoredRun = {
  id: string;
  status: string;
  list_total: number;
  total: number;
  imported: number;
  duplicates: number;
  invalid: number;
  errors: number;
};

export async function campaignCounts(campaignId: string) {
  const { rows } = await testPool().query<{ prospects: number; stats: number; status: string }>(
    `SELECT (SELECT count(*)::int FROM prospects WHERE campaign_id = $1) AS prospects, prospect_count AS stats, status::text AS status
     FROM campaigns WHERE id = $1`,
    [campaignId],
  );
  return rows[0]!;
}

export async function runsOf(campaignId: string): Promise<StoredRun[]> {
  const { rows } = await testPool().query<StoredRun>(
    `SELECT id, status::text AS status, list_total, total, imported, duplicates, invalid, errors
     FROM import_runs WHERE campaign_id = $1 ORDER BY started_at DESC`,
    [campaignId],
  );
  return rows;
}

export async function runById(runId: string): Promise<StoredRun> {
  const { rows } = await testPool().query<StoredRun>(
    `SELECT id, status::text AS status, list_total, total, imported, duplicates, invalid, errors FROM import_runs WHERE id = $1`,
    [runId],
  );
  if (!rows[0]) throw new Error(`no import run ${runId}`);
  return rows[0];
}

/** Whether some backend is waiting for a lock while running a statement that contains `fragment`. */
export async function someoneWaitsOn(fragment: string): Promise<boolean> {
  const { rows } = await testPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`,
    [fragment],
  );
  return rows[0]!.n > 0;
}
