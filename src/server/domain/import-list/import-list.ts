import type { Db } from "../../db";
import { requireDraft, requireOwnedCampaign } from "../campaigns";
import { requireOwnedList } from "../lists";
import { conflict, DomainError, errorMessage } from "../errors";
import type { InsertResult, NewProspect } from "../prospects/insert-prospects";
import type { Channel } from "../identity";
import { mapRow } from "./map-row";
import { decideOutcome, emptyCounts, type ImportCounts, type ImportOutcome } from "./outcome";
import { listRowReader, type ReadPage, type SourceRow } from "./read-pages";
import { BATCH_SIZE, prospectWriter, type BatchMark, type WriteBatch } from "./write-batch";
import { activeRunId, countsAtCursor, reconcileCounts, recordEnd, recordProgress, recordRowErrors, settleAbandonedRunsHeld, startRun } from "./import-runs";
import type { InvalidReason } from "../skip-reasons";
import { DEFAULT_LOCK_WAIT_MS, withImportLock } from "./import-lock";

export type ImportListInput = { userId: string; campaignId: string; listId: string };

export type ImportListResult = ImportCounts & { outcome: ImportOutcome; runId: string };

/** Seams for tests and fault injection: the real reader and writer unless given. */
export type ImportListDeps = {
  readPage?: (defaultReader: ReadPage) => ReadPage;
  /**
   * The default writer also moves the run record in each batch's statement, and when a batch
   * fails the run's end takes imported and duplicates from the record: a replacement should
   * call the default writer for every batch it reports as written (with the same array).
   */
  writeBatch?: (defaultWriter: WriteBatch) => WriteBatch;
  onProgress?: (counts: ImportCounts) => void;
  /** How long a second import of the same list into the same campaign waits for the first. */
  lockWaitMs?: number;
};

/**
 * Imports every row of a list into a draft campaign, in this request: read a page → map each
 * row → write batches of 500 → add up the counts → decide the outcome. Earlier batches stay
 * committed when a later page or batch fails; the run record says exactly what went in.
 */
export async function importList(db: Db, input: ImportListInput, deps: ImportListDeps = {}): Promise<ImportListResult> {
  const [campaign, list] = await Promise.all([
    requireOwnedCampaign(db, input.userId, input.campaignId),
    requireOwnedList(db, input.userId, input.listId),
  ]);
  requireDraft(campaign);
  // Keyed by the stored ids, not the caller's spelling: an upper-case UUID names the same rows.
  const lockKey = { campaignId: campaign.id, listId: list.id };
  return withImportLock(db.pool, lockKey, deps.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, async (lock) => {
    // Holding the lock, a run in a request that still says "running" is one whose server died.
    await settleAbandonedRunsHeld(db.pool, lockKey);
    // A background run of the same pair that is queued, or between two processes, holds no
    // lock: the run record's one-active-run index refuses this one (409 naming it).
    const runId = await startRun(db.pool, { ...input, listTotal: list.rowCount });
    const ran = await runPipeline(db, { runId, cursor: null, counts: emptyCounts() }, campaign, list, deps, lock.lost);
    const counts = ran.cancelled ? await countsAtCursor(db.pool, runId) : ran.counts;
    const outcome = ran.cancelled ? "partial" : ran.outcome;
    await recordEnd(db.pool, runId, counts, ran.cancelled ? "cancelled" : outcome, ran.cancelled ? null : ran.lastRowId);
    return { ...counts, outcome, runId };
  }).catch(async (error: unknown) => {
    // Waited its turn and the other run still goes on: name it, so the caller can follow it.
    if (!(error instanceof DomainError && error.kind === "conflict" && !/\(run [0-9a-f-]+\)/.test(error.message))) throw error;
    const active = await activeRunId(db.pool, lockKey);
    throw active ? conflict(`another import of this list into this campaign is still running (run ${active}); try again when it has finished, or follow it with GET /api/imports/${active}`) : error;
  });
}

/** Where a run starts reading: the beginning, or after the cursor of a run being resumed. */
export type RunStart = { runId: string; cursor: string | null; counts: ImportCounts };

export type PipelineEnd = {
  counts: ImportCounts;
  outcome: ImportOutcome;
  /** A page could not be read, or the lock was lost: stopped early, and a later try may finish it. */
  interrupted: boolean;
  /** The run was asked to cancel, and a batch saw it: nothing after the cursor was written. */
  cancelled: boolean;
  /** The last list row read and counted (null: none); the run's end moves its cursor there. */
  lastRowId: string | null;
};

/**
 * The pipeline, from where a run stands to where it stops. It writes nothing to the run record
 * but through the batches' own statements (and the progress of pages without a batch); the
 * caller decides how the run ends.
 */
export async function runPipeline(
  db: Db,
  start: RunStart,
  campaign: { id: string; channel: Channel },
  list: { id: string },
  deps: ImportListDeps,
  stop?: AbortSignal,
): Promise<PipelineEnd> {
  const { runId } = start;
  const counts = { ...start.counts, invalidReasons: { ...start.counts.invalidReasons } };
  const readPage = wrap(deps.readPage, listRowReader(db.pool, list.id));
  // Each batch carries where it leaves the run (its mark), looked up when it is handed to the writer.
  const marks = new WeakMap<NewProspect[], BatchMark>();
  const writeBatch = wrap(deps.writeBatch, prospectWriter(db.pool, campaign.id, { id: runId, counts: (batch) => marks.get(batch) ?? { counts } }));

  let failedPage: number | null = null;
  let batchesWritten = 0;
  let batchesFailed = 0;
  let campaignClosed = false;
  let cancelled = false;
  let lastRowId: string | null = start.cursor;

  // Rows that were valid but could not be written: the report can't tell them from the data later.
  const unwritten = (batch: NewProspect[], errorClass: string) =>
    recordRowErrors(db.pool, runId, batch.map((p) => p.sourceRef!), errorClass).catch((error: unknown) =>
      console.error(`import ${runId}: could not record ${batch.length} rows as errors:`, errorMessage(error)),
    );

  const writeOne = async (batch: NewProspect[]) => {
    batchesWritten++;
    let result: InsertResult;
    try {
      result = await writeBatch(batch);
    } catch (error) {
      // A failed batch does not stop the run: its rows are errors, the next batches still go in.
      batchesFailed++;
      counts.errors += batch.length;
      console.error(`import ${runId}: batch ${batchesWritten} failed:`, errorMessage(error));
      deps.onProgress?.({ ...counts });
      await unwritten(batch, errorClass(error));
      // The batch's statement rolled back, and its move of the run record with it.
      cancelled ||= await recordProgress(db.pool, runId, { errors: counts.errors }).catch(() => false);
      return;
    }
    if (!result.campaignOpen) {
      if (result.cancelled) cancelled = true;
      else {
        campaignClosed = true;
        await unwritten(batch, CAMPAIGN_CLOSED);
      }
      counts.errors += batch.length;
      return;
    }
    counts.imported += result.inserted;
    counts.duplicates += batch.length - result.inserted;
    counts.repeated += result.repeated;
    deps.onProgress?.({ ...counts }); // the run record moved in the batch's own statement (write-batch.ts)
  };

  // Two batches outstanding at most: the next one is handed to the writer while the database
  // writes this one, and the writer sends it the moment this one is done (they still run one
  // after another, in list order). A batch handed over before an earlier one found the campaign
  // closed (or the run cancelled) finds it so too: its rows count as errors.
  const outstanding: Promise<void>[] = [];
  const submit = async (batch: NewProspect[]) => {
    outstanding.push(writeOne(batch));
    if (outstanding.length > 1) await outstanding.shift();
  };
  const stopped = () => campaignClosed || cancelled;

  // The next page is read and mapped while this one's batches are written: PostgreSQL reads it
  // on another pooled connection (the other core), and Node maps it while the database executes
  // a batch. Its counts are added only when its turn comes, and a failed read is acted on then.
  type PageRead =
    | { error: unknown }
    | { rows: number; ids: string[]; lastId: string | undefined; valid: NewProspect[]; validAt: number[]; invalidAt: InvalidRow[] };
  const readAhead = async (afterId: string | null): Promise<PageRead> => {
    let rows: SourceRow[];
    try {
      rows = await readPage(afterId);
    } catch (error) {
      return { error };
    }
    const valid: NewProspect[] = [];
    const validAt: number[] = []; // each valid row's place in the page, for the batches' cursors
    const invalidAt: InvalidRow[] = []; // and each invalid one's, with its reason
    // A plain loop, not rows.forEach with a closure: with the closure, Node 24's Maglev-compiled
    // code kept each page's rows alive across young-generation collections, so they were promoted
    // and the old generation grew ~40 MB per 100,000 rows (docs/performance.md, "Memory").
    for (let i = 0; i < rows.length; i++) {
      const mapped = mapRow(campaign.channel, rows[i]!);
      if (mapped.ok) {
        valid.push(mapped.prospect);
        validAt.push(i);
      } else invalidAt.push({ at: i, reason: mapped.reason });
    }
    return { rows: rows.length, ids: rows.map((r) => r.id), lastId: rows.at(-1)?.id, valid, validAt, invalidAt };
  };

  let nextPage = readAhead(start.cursor);
  for (let page = 1; !stopped(); page++) {
    const read = await nextPage;
    // The connection holding the import lock died (the database dropped it), or the job lost
    // its claim: stop, as a failed read would.
    if ("error" in read || stop?.aborted) {
      failedPage = page;
      console.error(`import ${runId}: reading page ${page} failed:`, errorMessage("error" in read ? read.error : stop?.reason));
      break;
    }
    if (read.rows === 0) break;
    nextPage = readAhead(read.lastId!);
    const before = { total: counts.total, invalid: counts.invalid, invalidReasons: { ...counts.invalidReasons } };
    counts.total += read.rows;
    counts.invalid += read.invalidAt.length;
    for (const { reason } of read.invalidAt) counts.invalidReasons[reason]++;
    lastRowId = read.lastId!;

    if (read.valid.length === 0) {
      // No batch moves the cursor past this page: once the batches before it are in, the
      // progress write does, so a resumed run does not read (or count) these rows again.
      await Promise.all(outstanding.splice(0));
      deps.onProgress?.({ ...counts });
      cancelled ||= await recordProgress(db.pool, runId, { ...counts, cursor: read.lastId! }).catch(() => false);
    }
    for (let i = 0; i < read.valid.length; i += BATCH_SIZE) {
      if (stopped()) {
        counts.errors += read.valid.length - i; // read and valid, but the campaign left draft (or the run was cancelled) first
        if (campaignClosed) await unwritten(read.valid.slice(i), CAMPAIGN_CLOSED);
        break;
      }
      const batch = read.valid.slice(i, i + BATCH_SIZE);
      // The batch accounts for every row of the page up to its last valid one: invalid rows
      // before that are counted as of it, so the cursor and the counts agree.
      const last = read.validAt[i + batch.length - 1]!;
      const throughRow = last + 1;
      const invalidReasons = { ...before.invalidReasons };
      for (const { at, reason } of read.invalidAt) if (at < throughRow) invalidReasons[reason]++;
      marks.set(batch, {
        cursor: read.ids[last],
        counts: { ...counts, total: before.total + throughRow, invalid: before.invalid + throughRow - (i + batch.length), invalidReasons },
      });
      await submit(batch);
    }
  }

  await Promise.all(outstanding);
  await nextPage; // read ahead for nothing when the run stopped: let it finish inside the run
  // A failed batch may still have committed if only its answer was lost: the run record, moved
  // in each batch's own statement, says. If the database is gone, this process's tally stands.
  if (batchesFailed > 0) Object.assign(counts, await reconcileCounts(db.pool, runId, counts).catch(() => counts));
  const outcome = decideOutcome({ counts, failedPage, batchesWritten, batchesFailed, campaignClosed });
  return { counts, outcome, interrupted: failedPage !== null, cancelled, lastRowId };
}

type InvalidRow = { at: number; reason: InvalidReason };

/** How rows the campaign refused (it left draft mid-run) are recorded. */
const CAMPAIGN_CLOSED = "CampaignNotDraft";

// An error's class for the report: its name, and a driver's error code; never its message (it may hold SQL).
const errorClass = (error: unknown) => {
  if (!(error instanceof Error)) return "UnknownError";
  const name = error.constructor.name || error.name; // the driver's errors are all named "error"
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[A-Z0-9_]{1,20}$/i.test(code) ? `${name} ${code}` : name;
};


function wrap<T>(override: ((base: T) => T) | undefined, base: T): T {
  return override ? override(base) : base;
}
