import type pg from "pg";
import type { ImportCounts } from "../import-list/outcome";
import { textArray } from "../../pg-text-array";

/** A prospect ready for the database: identities already normalised by domain/identity.ts. */
export type NewProspect = {
  dedupeKey: string;
  email: string | null;
  linkedinUrl: string | null;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  company: string | null;
  position: string | null;
  headline: string | null;
  customFields: string | null; // JSON text
  source: "list" | "api";
  sourceRef: string | null;
};

export type InsertResult =
  // The campaign had left draft, or the import's run was cancelled, when the batch arrived:
  // nothing was written.
  | { campaignOpen: false; inserted: 0; repeated: 0; cancelled: boolean }
  // repeated: of the rows not inserted, those repeating a person this call (or this import's run) brought in.
  | { campaignOpen: true; inserted: number; repeated: number; cancelled: false };

export type Queryable = Pick<pg.Pool, "query">;

// One statement, so one implicit transaction: it locks the campaign row (only while it is
// a draft), inserts with ON CONFLICT DO NOTHING, adds what it inserted to the stats and, for a
// list import ($14), moves the import's run record by this batch (and its cursor, $19), unless
// that run was asked to cancel, in which case nothing is written. Either all of that commits or
// none of it does, and it is durable when the statement returns (an ordinary synchronous commit:
// the import once committed batches asynchronously, 10% faster, but a database crash could then
// lose batches already counted; docs/performance.md).
// Of the rows not inserted, those repeating a person this statement or, for a list import, an
// earlier batch of the same run brought in are "repeated" (skip-reasons.ts); the snapshot the
// EXISTS reads holds the earlier batches, and this statement's own inserts are in "inserted".
export const INSERT_PROSPECTS_SQL = `
WITH campaign AS (
  SELECT id FROM campaigns WHERE id = $1 AND status = 'draft'
    AND NOT EXISTS (SELECT 1 FROM import_runs WHERE id = $14::uuid AND cancel_requested_at IS NOT NULL)
  FOR UPDATE
), inserted AS (
  INSERT INTO prospects (campaign_id, dedupe_key, email, linkedin_url, first_name, last_name, name,
                         company, position, headline, custom_fields, source, source_ref, import_run_id)
  SELECT campaign.id, t.k, t.e, t.l, t.fn, t.ln, t.n, t.c, t.p, t.h, COALESCE(t.cf::jsonb, '{}'::jsonb), t.s, t.r, $14::uuid
  FROM campaign, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
       WITH ORDINALITY AS t(k, e, l, fn, ln, n, c, p, h, cf, s, r, ord)
  ORDER BY t.ord
  ON CONFLICT DO NOTHING
  RETURNING dedupe_key
), repeats AS (
  -- Nothing to tell apart when every person of the batch went in ($21: how many distinct keys it
  -- has; most batches): each refused row, if any, repeats one this statement brought in, and the
  -- subqueries of the ELSE branch are never run.
  SELECT CASE WHEN (SELECT count(*) FROM inserted) = $21::int THEN cardinality($2::text[]) - $21::int
         ELSE
         (SELECT count(*) FROM unnest($2::text[]) AS b(k) WHERE b.k IN (SELECT dedupe_key FROM inserted))
       - (SELECT count(*) FROM inserted)
       + (SELECT count(*) FROM (
            -- The holder of each refused row's person, looked up one row at a time on the
            -- (campaign_id, dedupe_key) index. As a scalar subquery it can't become a join that
            -- scans the whole campaign; and the campaign comes from its CTE, not as $1, because
            -- given the value the planner takes a campaign its statistics have not met yet for
            -- nearly empty and walks the (campaign_id, id) index instead, reading the whole
            -- campaign for every refused row (each batch slower than the one before: 35-50 s for
            -- 100,000 rows instead of 6; bench:reasons, docs/performance.md).
            SELECT (SELECT p.import_run_id FROM prospects p WHERE p.campaign_id = (SELECT id FROM campaign) AND p.dedupe_key = b.k) AS holder
            FROM unnest($2::text[]) AS b(k)
            WHERE $14::uuid IS NOT NULL AND b.k NOT IN (SELECT dedupe_key FROM inserted)
          ) AS refused WHERE holder = $14::uuid)
         END AS n
  WHERE EXISTS (SELECT 1 FROM campaign)
), stats AS (
  UPDATE campaigns SET prospect_count = prospect_count + (SELECT count(*) FROM inserted), updated_at = now()
  WHERE id = (SELECT id FROM campaign)
  RETURNING 1
), run AS (
  -- total, invalid (with its reasons, $20) and errors as the import counts them up to the
  -- cursor's row ($15-$17, $19); imported and duplicates move by this batch of $18 only here, so
  -- they always say what committed batches did, and the cursor can never disagree with the rows
  -- committed.
  UPDATE import_runs
  SET total = $15::int, invalid = $16::int, errors = $17::int, cursor_row_id = COALESCE($19::bigint, cursor_row_id),
      invalid_reasons = COALESCE($20::jsonb, invalid_reasons),
      imported = imported + (SELECT count(*) FROM inserted),
      duplicates = duplicates + $18::int - (SELECT count(*) FROM inserted),
      repeated = repeated + (SELECT n FROM repeats)
  WHERE id = $14::uuid AND EXISTS (SELECT 1 FROM campaign)
  RETURNING 1
)
SELECT (SELECT count(*) FROM campaign)::int AS open, (SELECT count(*) FROM inserted)::int AS inserted,
       COALESCE((SELECT n FROM repeats), 0)::int AS repeated,
       EXISTS (SELECT 1 FROM import_runs WHERE id = $14::uuid AND cancel_requested_at IS NOT NULL) AS cancelled`;

export type InsertOptions = {
  /**
   * A list import's run record, moved by this batch in the same statement: what it inserted is
   * added to imported and the rest to duplicates; total, invalid and errors are set to the
   * import's counts as of the cursor, the last list row this batch accounts for. Not moved when
   * the campaign has left draft or the run was cancelled (nothing is written then).
   */
  importRun?: { id: string; counts: ImportCounts; cursor?: string };
};

/** Inserts prospects in one statement, skipping those whose identity the campaign already holds. */
export function insertProspects(db: Queryable, campaignId: string, prospects: NewProspect[], options: InsertOptions = {}): Promise<InsertResult> {
  return runInsert(db, insertStatement(campaignId, prospects, options));
}

export type InsertStatement = { text: string; values: unknown[]; name?: string };

/** The statement of insertProspects with its parameters, to be built ahead of running it (write-batch.ts). */
export function insertStatement(campaignId: string, prospects: NewProspect[], options: InsertOptions = {}): InsertStatement {
  const values = [
    campaignId,
    textArray(prospects, (p) => p.dedupeKey),
    textArray(prospects, (p) => p.email),
    textArray(prospects, (p) => p.linkedinUrl),
    textArray(prospects, (p) => p.firstName),
    textArray(prospects, (p) => p.lastName),
    textArray(prospects, (p) => p.name),
    textArray(prospects, (p) => p.company),
    textArray(prospects, (p) => p.position),
    textArray(prospects, (p) => p.headline),
    textArray(prospects, (p) => p.customFields),
    textArray(prospects, (p) => p.source),
    textArray(prospects, (p) => p.sourceRef),
    ...runParams(options.importRun, prospects.length),
    distinctKeys(prospects),
  ];
  // A list import's batches are not a named statement: PostgreSQL plans each batch with the table
  // as it is now. A named one settles on a generic plan after five runs, and one made while
  // prospects was nearly empty scans the table for the repeats' lookup in every batch
  // (docs/performance.md); planning each time cost the import little (0-5% of the writer's
  // PostgreSQL CPU). A call's prospects (no import run) are a named statement, parsed and planned
  // once per connection (0.7 ms less a 1000-prospect call): the lookup a generic plan gets wrong
  // runs only for an import's run ($14), so it never runs here (test/integration/batch-plan.test.ts).
  return options.importRun ? { text: INSERT_PROSPECTS_SQL, values } : { name: "insert-prospects", text: INSERT_PROSPECTS_SQL, values };
}

function distinctKeys(prospects: NewProspect[]): number {
  const keys = new Set<string>();
  for (const p of prospects) keys.add(p.dedupeKey);
  return keys.size;
}

export async function runInsert(db: Queryable, statement: InsertStatement): Promise<InsertResult> {
  const { rows } = await db.query<{ open: number; inserted: number; repeated: number; cancelled: boolean }>(statement);
  const row = rows[0]!;
  return row.open
    ? { campaignOpen: true, inserted: row.inserted, repeated: row.repeated, cancelled: false }
    : { campaignOpen: false, inserted: 0, repeated: 0, cancelled: row.cancelled };
}

function runParams(run: InsertOptions["importRun"], batchSize: number) {
  if (!run) return [null, 0, 0, 0, 0, null, null];
  return [run.id, run.counts.total, run.counts.invalid, run.counts.errors, batchSize, run.cursor ?? null, JSON.stringify(run.counts.invalidReasons)];
}
