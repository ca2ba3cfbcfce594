// The batch statement as it was before issue 12 (commit 347a392), kept only to measure in one
// run what giving every skipped row a reason costs the import: the same pipeline is run on a
// pool that sends this text instead of today's, as the named statement it was then. It writes no
// import_run_id and counts no repeats.
import type pg from "pg";
import { INSERT_PROSPECTS_SQL } from "../../src/server/domain/prospects/insert-prospects";

const BEFORE_REASONS_SQL = `
WITH campaign AS (
  SELECT id FROM campaigns WHERE id = $1 AND status = 'draft'
    AND NOT EXISTS (SELECT 1 FROM import_runs WHERE id = $14::uuid AND cancel_requested_at IS NOT NULL)
  FOR UPDATE
), inserted AS (
  INSERT INTO prospects (campaign_id, dedupe_key, email, linkedin_url, first_name, last_name, name,
                         company, position, headline, custom_fields, source, source_ref)
  SELECT campaign.id, t.k, t.e, t.l, t.fn, t.ln, t.n, t.c, t.p, t.h, COALESCE(t.cf::jsonb, '{}'::jsonb), t.s, t.r
  FROM campaign, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
       WITH ORDINALITY AS t(k, e, l, fn, ln, n, c, p, h, cf, s, r, ord)
  ORDER BY t.ord
  ON CONFLICT DO NOTHING
  RETURNING 1
), stats AS (
  UPDATE campaigns SET prospect_count = prospect_count + (SELECT count(*) FROM inserted), updated_at = now()
  WHERE id = (SELECT id FROM campaign)
  RETURNING 1
), run AS (
  -- total, invalid and errors as the import counts them up to the cursor's row ($15-$17, $19);
  -- imported and duplicates move by this batch of $18 only here, so they always say what
  -- committed batches did, and the cursor can never disagree with the rows committed.
  UPDATE import_runs
  SET total = $15::int, invalid = $16::int, errors = $17::int, cursor_row_id = COALESCE($19::bigint, cursor_row_id),
      imported = imported + (SELECT count(*) FROM inserted),
      duplicates = duplicates + $18::int - (SELECT count(*) FROM inserted)
  WHERE id = $14::uuid AND EXISTS (SELECT 1 FROM campaign)
  RETURNING 1
)
SELECT (SELECT count(*) FROM campaign)::int AS open, (SELECT count(*) FROM inserted)::int AS inserted,
       EXISTS (SELECT 1 FROM import_runs WHERE id = $14::uuid AND cancel_requested_at IS NOT NULL) AS cancelled`;

/** A pool that runs the batch statement as before issue 12 (parameters $1-$19; today's $20 dropped). */
export function beforeReasonsPool(pool: pg.Pool): pg.Pool {
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== "query") return Reflect.get(target, prop, receiver);
      return async (config: unknown, values?: unknown) => {
        if (typeof config === "object" && config !== null && (config as { text?: string }).text === INSERT_PROSPECTS_SQL) {
          const statement = config as { values: unknown[] };
          const result = await target.query({ name: "insert-prospects-before-reasons", text: BEFORE_REASONS_SQL, values: statement.values.slice(0, 19) });
          for (const row of result.rows) row.repeated = 0;
          return result;
        }
        return target.query(config as string, values as unknown[]);
      };
    },
  });
}
