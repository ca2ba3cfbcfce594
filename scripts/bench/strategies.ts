// Every strategy tried for the import, run in the bench's own process on the same list, so
// their ratios to the reference compare (docs/performance.md). importWith is a simplified copy
// of importList for timing only (no run lock, no failure bookkeeping); "shipped" runs
// importList itself.
import pg from "pg";
import type { Db } from "../../src/server/db";
import { importList } from "../../src/server/domain/import-list/import-list";
import { recordEnd, startRun } from "../../src/server/domain/import-list/import-runs";
import { mapRow } from "../../src/server/domain/import-list/map-row";
import { emptyCounts } from "../../src/server/domain/import-list/outcome";
import { listRowReader, type SourceRow } from "../../src/server/domain/import-list/read-pages";
import { insertProspects, type InsertResult, type NewProspect, type Queryable } from "../../src/server/domain/prospects/insert-prospects";
import { prospectWriter } from "../../src/server/domain/import-list/write-batch";

export type Strategy = {
  /** "per-field": the first reader, each JSON field extracted on its own; "record": read-pages.ts. */
  reader: "per-field" | "record";
  /** While this page is written: nothing, read the next one, or read and map it. */
  ahead: "nothing" | "read" | "read and map";
  /**
   * Batches and progress commit without waiting for the disk (synchronous_commit off for the
   * bench's connections). Faster, but a database crash can lose batches already counted, so
   * the product does not do it.
   */
  asyncCommit: boolean;
  /** The run record after each batch: its own statement, awaited or queued; moved by the batch's statement; or none at all. */
  progress: "awaited" | "queued" | "in the batch" | "none";
  /** Batches of a page in flight at once, each on its own connection. */
  inFlight: 1 | 2;
  /** The page query and the insert as named (server-side prepared) statements, as shipped. */
  prepared: boolean;
  /** The batch as 12 text arrays (unnest) or as one JSON parameter (json_to_recordset). */
  payload: "arrays" | "json";
  /**
   * The next batch handed to the writer while this one is written (write-batch.ts), so the
   * database never waits for Node between batches. At most two batches outstanding.
   */
  pipelined?: boolean;
};

// What shipped before batches were queued ahead: each batch awaited before the next is built.
const SEQUENTIAL: Strategy = { reader: "record", ahead: "read and map", asyncCommit: false, progress: "in the batch", inFlight: 1, prepared: true, payload: "arrays", pipelined: false };
const SHIPPED: Strategy = { ...SEQUENTIAL, pipelined: true };
const ORIGINAL: Strategy = { reader: "per-field", ahead: "nothing", asyncCommit: false, progress: "awaited", inFlight: 1, prepared: false, payload: "arrays" };

/** Name → strategy; null runs importList itself. */
export const STRATEGIES: Record<string, Strategy | null> = {
  "original (per-field JSON, sequential, synchronous commits)": ORIGINAL,
  "+ profile decoded once (jsonb_to_record)": { ...ORIGINAL, reader: "record" },
  "+ next page read while this one is written": { ...ORIGINAL, reader: "record", ahead: "read" },
  "+ next page also mapped while this one is written": { ...SEQUENTIAL, prepared: false, progress: "awaited" },
  "+ prepared statements": { ...SEQUENTIAL, progress: "awaited" },
  "+ run record moved by the batch's own statement": SEQUENTIAL,
  "+ next batch queued while this one is written": SHIPPED,
  "shipped: importList itself": null,
  "shipped, asynchronous commits (not durable: not shipped)": { ...SHIPPED, asyncCommit: true },
  "one at a time, run record as its own statement, queued": { ...SEQUENTIAL, progress: "queued" },
  "one at a time, no run record at all": { ...SEQUENTIAL, progress: "none" },
  "two batches in flight on two connections": { ...SEQUENTIAL, inFlight: 2 },
  "two batches in flight, asynchronous commits": { ...SEQUENTIAL, inFlight: 2, asyncCommit: true },
  "one at a time, no run record, one JSON parameter not 12 arrays": { ...SEQUENTIAL, progress: "none", payload: "json" },
};

// The reader as first written: every field pulled out of profile_data on its own.
const perField = (path: string) => `CASE WHEN jsonb_typeof(${path}) = 'string' THEN ${path} #>> '{}' END`;
const PER_FIELD_PAGE_SQL = `
SELECT id::text AS id, linkedin_url AS "linkedinUrl",
       ${perField("profile_data->'enrichment'->'work_email'")} AS "workEmail",
       ${perField("profile_data->'firstName'")} AS "firstName", ${perField("profile_data->'lastName'")} AS "lastName",
       ${perField("profile_data->'fullName'")} AS "fullName", ${perField("profile_data->'currentCompany'")} AS company,
       ${perField("profile_data->'currentRole'")} AS role, ${perField("profile_data->'headline'")} AS headline
FROM list_rows WHERE list_id = $1 AND id > $2 ORDER BY list_rows.id LIMIT $3`;

// insert-prospects.ts's statement with the batch as one JSON document.
const JSON_INSERT_SQL = `
WITH campaign AS (
  SELECT id FROM campaigns WHERE id = $1 AND status = 'draft' FOR UPDATE
), inserted AS (
  INSERT INTO prospects (campaign_id, dedupe_key, email, linkedin_url, first_name, last_name, name,
                         company, position, headline, custom_fields, source, source_ref)
  SELECT campaign.id, t.k, t.e, t.l, t.fn, t.ln, t.n, t.c, t.p, t.h, COALESCE(t.cf::jsonb, '{}'::jsonb), t.s, t.r
  FROM campaign, ROWS FROM (json_to_recordset($2::json) AS (k text, e text, l text, fn text, ln text, n text,
                            c text, p text, h text, cf text, s text, r text)) WITH ORDINALITY AS t(k, e, l, fn, ln, n, c, p, h, cf, s, r, ord)
  ORDER BY t.ord
  ON CONFLICT DO NOTHING
  RETURNING 1
), stats AS (
  UPDATE campaigns SET prospect_count = prospect_count + (SELECT count(*) FROM inserted), updated_at = now()
  WHERE id = (SELECT id FROM campaign)
  RETURNING 1
)
SELECT (SELECT count(*) FROM campaign)::int AS open, (SELECT count(*) FROM inserted)::int AS inserted`;

async function insertAsJson(db: Queryable, campaignId: string, batch: NewProspect[]): Promise<InsertResult> {
  const json = JSON.stringify(batch.map((p) => ({
    k: p.dedupeKey, e: p.email, l: p.linkedinUrl, fn: p.firstName, ln: p.lastName, n: p.name, c: p.company,
    p: p.position, h: p.headline, cf: p.customFields, s: p.source, r: p.sourceRef,
  })));
  const { rows } = await db.query<{ open: number; inserted: number }>(JSON_INSERT_SQL, [campaignId, json]);
  return rows[0]!.open ? { campaignOpen: true, inserted: rows[0]!.inserted, repeated: 0, cancelled: false } : { campaignOpen: false, inserted: 0, repeated: 0, cancelled: false };
}

/** The same queries as unnamed statements: parsed and planned each time. */
function unnamedQueries(pool: pg.Pool): Queryable {
  const query = (config: string | { text: string; values?: unknown[] }, values?: unknown[]) =>
    typeof config === "string" ? pool.query(config, values) : pool.query(config.text, config.values);
  return { query } as unknown as Queryable;
}

// A second pool to the same database whose sessions commit without waiting for the disk.
const asyncPools = new WeakMap<Db, pg.Pool>();
function asyncCommitPool(db: Db): pg.Pool {
  let pool = asyncPools.get(db);
  if (!pool) {
    pool = new pg.Pool({ connectionString: db.pool.options.connectionString, max: 4, options: "-c synchronous_commit=off" });
    asyncPools.set(db, pool);
  }
  return pool;
}

/** Closes the pools the strategies opened. */
export async function closeStrategyPools(db: Db) {
  await asyncPools.get(db)?.end();
  asyncPools.delete(db);
}

const PROGRESS_SQL = `UPDATE import_runs SET total = $2, imported = $3, duplicates = $4, invalid = $5, errors = $6 WHERE id = $1`;

export type Ids = { userId: string; listId: string; campaignId: string };

export async function importWith(db: Db, name: string, ids: Ids) {
  const s = STRATEGIES[name];
  if (s === undefined) throw new Error(`no strategy "${name}"`);
  if (s === null) return importList(db, ids);

  const pool = s.asyncCommit ? asyncCommitPool(db) : db.pool;
  const q = s.prepared ? pool : unnamedQueries(pool);
  const readPage =
    s.reader === "record"
      ? listRowReader(q, ids.listId)
      : async (afterId: string | null) => (await q.query<SourceRow>(PER_FIELD_PAGE_SQL, [ids.listId, afterId ?? "0", 1000])).rows;
  const runId = await startRun(db.pool, { ...ids, listTotal: 0 });
  const counts = emptyCounts();
  const write = (batch: NewProspect[]) => {
    if (s.payload === "json") return insertAsJson(q, ids.campaignId, batch);
    const importRun = s.progress === "in the batch" ? { id: runId, counts: { ...counts } } : undefined;
    return insertProspects(q, ids.campaignId, batch, { importRun });
  };
  let queued: Promise<unknown> = Promise.resolve();
  const progress = async () => {
    const snapshot = { ...counts };
    const record = async () => {
      await q.query(PROGRESS_SQL, [runId, snapshot.total, snapshot.imported, snapshot.duplicates, snapshot.invalid, snapshot.errors]);
    };
    if (s.progress === "queued") queued = queued.then(record);
    else if (s.progress === "awaited") await record();
  };
  const writeAll = async (batches: NewProspect[][]) => {
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const result = await write(batch);
        counts.imported += result.inserted;
        counts.duplicates += batch.length - result.inserted;
        await progress();
      }
    };
    await Promise.all(Array.from({ length: s.inFlight }, worker));
  };

  const mapPage = (rows: SourceRow[]) =>
    rows.flatMap((row) => {
      const mapped = mapRow("linkedin", row);
      return mapped.ok ? [mapped.prospect] : [];
    });
  type Page = { rows: SourceRow[]; valid?: NewProspect[] };
  const read = (afterId: string | null): Promise<Page> =>
    s.ahead === "read and map"
      ? readPage(afterId).then((rows) => ({ rows, valid: mapPage(rows) }))
      : readPage(afterId).then((rows) => ({ rows }));

  // As importList does it: the product's writer, which runs batches one after another, with the
  // next one handed over (and so queued) while the database writes this one.
  const writer = s.pipelined ? prospectWriter(pool, ids.campaignId, { id: runId, counts: () => ({ counts }) }) : null;
  const outstanding: Promise<void>[] = [];
  const pipeline = async (batches: NewProspect[][]) => {
    for (const batch of batches) {
      outstanding.push(
        writer!(batch).then((result) => {
          counts.imported += result.inserted;
          counts.duplicates += batch.length - result.inserted;
        }),
      );
      if (outstanding.length > 1) await outstanding.shift();
    }
  };

  let page = read(null);
  for (;;) {
    const { rows, valid: mappedAhead } = await page;
    if (rows.length === 0) break;
    counts.total += rows.length;
    const afterId = rows[rows.length - 1]!.id;
    if (s.ahead !== "nothing") page = read(afterId);
    const valid = mappedAhead ?? mapPage(rows);
    counts.invalid += rows.length - valid.length;
    const batches: NewProspect[][] = [];
    for (let i = 0; i < valid.length; i += 500) batches.push(valid.slice(i, i + 500));
    if (writer) await pipeline(batches);
    else await writeAll(batches);
    if (s.ahead === "nothing") page = read(afterId);
  }
  await Promise.all(outstanding);
  await queued;
  await recordEnd(db.pool, runId, counts, counts.imported > 0 ? "complete" : "nothing_imported", null);
  return counts;
}
