import type { Db } from "../../db";
import type { Queryable } from "../prospects/insert-prospects";
import { requireOwnedCampaign } from "../campaigns";
import { notFound } from "../errors";
import type { Channel } from "../identity";
import type { SkipReason } from "../skip-reasons";
import { mapRow } from "./map-row";
import { peopleInCampaign } from "./people-in-campaign";
import { listRowReader, PAGE_SIZE, type SourceRow } from "./read-pages";
import { readRun, type RunRecord } from "./import-runs";

// The skipped rows of a run, each with its reason: recomputed from the list, the campaign and the
// run's few facts rather than recorded row by row at import time (the import stays as fast as it
// was; docs/performance.md). It is exact and does not change afterwards because
// - a run covers the list's rows up to its cursor, and list rows are never changed, only added;
// - invalid is a function of the row (map-row.ts);
// - every prospect a run inserted carries the run's id and its list row, and is never deleted
//   (only with its campaign), nor is a person ever given to another row;
// - the rows a run could not write are recorded with the run (import_row_errors).
// So a valid row of the run is: imported, if the campaign's prospect for its person came from
// this row in this run; repeated_in_list, if it came from an earlier row of this run; an error,
// if the run recorded it so; already_in_campaign otherwise. Later imports, launches and added
// prospects change none of these.

export type SkippedRow = {
  row: SourceRow;
  reason: SkipReason;
  /** For repeated_in_list: the earlier list row that brought the same person in. */
  repeatsRowId: string | null;
  /** For batch_failed: the error's class (never its message). */
  errorClass: string | null;
};

export type ReportRun = Pick<RunRecord, "id" | "campaignId" | "listId" | "cursor" | "counts" | "status"> & { channel: Channel };

/** The caller's run, ready to report on; someone else's is not found, as everywhere. */
export async function reportRun(db: Db, userId: string, runId: string): Promise<ReportRun> {
  const run = await readRun(db.pool, runId);
  if (!run || run.userId !== userId) throw notFound("import run");
  const campaign = await requireOwnedCampaign(db, userId, run.campaignId);
  return { ...run, channel: campaign.channel };
}

/**
 * The run's skipped rows after a list row id (null: from the start), in list order, one page
 * of the list at a time. After each page it says how far it looked and whether the run's rows
 * go on; it stops at the run's cursor, or once `scanLimit` rows were looked at. Memory holds
 * one page.
 */
export async function* skippedRows(
  db: Queryable,
  run: ReportRun,
  after: string | null,
  scanLimit = Infinity,
): AsyncGenerator<SkippedRow | { scannedThrough: string; more: boolean }> {
  if (run.cursor === null) return;
  const end = BigInt(run.cursor);
  const readPage = listRowReader(db, run.listId);
  let afterId = after;
  for (let scanned = 0, more = true; more && scanned < scanLimit; ) {
    const page = await readPage(afterId);
    const rows = page.filter((r) => BigInt(r.id) <= end);
    if (rows.length === 0) return;
    scanned += rows.length;
    yield* await classifyPage(db, run, rows);
    afterId = rows.at(-1)!.id;
    more = page.length === PAGE_SIZE && BigInt(afterId) < end;
    yield { scannedThrough: afterId, more };
  }
}

async function classifyPage(db: Queryable, run: ReportRun, rows: SourceRow[]): Promise<SkippedRow[]> {
  const mapped = rows.map((row) => ({ row, mapped: mapRow(run.channel, row) }));
  const keys = mapped.flatMap(({ mapped: m }) => (m.ok ? [m.prospect.dedupeKey] : []));
  const [held, errors] = await Promise.all([peopleInCampaign(db, run.campaignId, keys), rowErrors(db, run, rows)]);

  const skipped: SkippedRow[] = [];
  for (const { row, mapped: m } of mapped) {
    if (!m.ok) {
      skipped.push({ row, reason: m.reason, repeatsRowId: null, errorClass: null });
      continue;
    }
    const holder = held.get(m.prospect.dedupeKey);
    const fromThisRun = holder?.runId === run.id;
    if (fromThisRun && holder.listRowId === row.id) continue; // imported
    const errorClass = errors.get(row.id);
    if (errorClass !== undefined) skipped.push({ row, reason: "batch_failed", repeatsRowId: null, errorClass });
    else if (fromThisRun) skipped.push({ row, reason: "repeated_in_list", repeatsRowId: holder.listRowId, errorClass: null });
    // Not in the campaign at all: nothing took the person in, so the row's batch must have failed
    // without the run being able to record it (the database went away).
    else if (!holder) skipped.push({ row, reason: "batch_failed", repeatsRowId: null, errorClass: "Unrecorded" });
    else skipped.push({ row, reason: "already_in_campaign", repeatsRowId: null, errorClass: null });
  }
  return skipped;
}

async function rowErrors(db: Queryable, run: ReportRun, rows: SourceRow[]): Promise<Map<string, string>> {
  if (run.counts.errors === 0 && run.status !== "running") return new Map();
  const { rows: found } = await db.query<{ id: string; errorClass: string }>(
    `SELECT list_row_id::text AS id, error_class AS "errorClass" FROM import_row_errors WHERE run_id = $1 AND list_row_id = ANY($2::bigint[])`,
    [run.id, rows.map((r) => r.id)],
  );
  return new Map(found.map((r) => [r.id, r.errorClass]));
}

export type SkippedPage = { items: SkippedRow[]; nextCursor: string | null };

/** How many list rows one page of the report looks at, at most: a rare reason can't make a request read a whole large list. */
export const REPORT_SCAN_LIMIT = 20_000;

/**
 * One page of the report: at most `limit` skipped rows (of one reason, if given) after the
 * cursor. A page may hold fewer when the rows looked at ran out; nextCursor is null only at the
 * end of the run's rows.
 */
export async function skippedRowsPage(
  db: Db,
  userId: string,
  runId: string,
  query: { reason?: SkipReason; cursor?: string; limit: number },
): Promise<SkippedPage> {
  const run = await reportRun(db, userId, runId);
  const items: SkippedRow[] = [];
  let nextCursor: string | null = null;
  for await (const item of skippedRows(db.pool, run, query.cursor ?? null, REPORT_SCAN_LIMIT)) {
    if ("scannedThrough" in item) nextCursor = item.more ? item.scannedThrough : null;
    else if (!query.reason || item.reason === query.reason) {
      items.push(item);
      if (items.length === query.limit) return { items, nextCursor: item.row.id };
    }
  }
  return { items, nextCursor };
}
