import type { Db } from "../../db";
import { requireDraft, requireOwnedCampaign } from "../campaigns";
import { requireOwnedList } from "../lists";
import { errorMessage } from "../errors";
import type { InsertResult, NewProspect } from "../prospects/insert-prospects";
import type { Channel } from "../identity";
import { mapRow } from "./map-row";
import { decideOutcome, emptyCounts, type ImportCounts, type ImportOutcome } from "./outcome";
import { listRowReader, type ReadPage, type SourceRow } from "./read-pages";
import { BATCH_SIZE, prospectWriter, type WriteBatch } from "./write-batch";
import { reconcileCounts, recordEnd, recordProgress, startRun } from "./import-runs";
import { DEFAULT_LOCK_WAIT_MS, withImportLock } from "./import-lock";

export type ImportListInput = { userId: string; campaignId: string; listId: string };

export type ImportListResult = ImportCounts & { outcome: ImportOutcome; runId: string };

/** Seams for tests and fault injection: the real reader and writer unless given. */
export type ImportListDeps = {
  readPage?: (defaultReader: ReadPage) => ReadPage;
  /**
   * The default writer also moves the run record in each batch's statement, and when a batch
   * fails the run's end takes imported and duplicates from the record: a replacement should
   * call the default writer for every batch it reports as written.
   */
  writeBatch?: (defaultWriter: WriteBatch) => WriteBatch;
  onProgress?: (counts: ImportCounts) => void;
  /** How long a second import of the same list into the same campaign waits for the first. */
  lockWaitMs?: number;
};

/**
 * Imports every row of a list into a draft campaign: read a page → map each row → write
 * batches of 500 → add up the counts → decide the outcome. Earlier batches stay committed
 * when a later page or batch fails; the run record says exactly what went in.
 */
export async function importList(db: Db, input: ImportListInput, deps: ImportListDeps = {}): Promise<ImportListResult> {
  const [campaign, list] = await Promise.all([
    requireOwnedCampaign(db, input.userId, input.campaignId),
    requireOwnedList(db, input.userId, input.listId),
  ]);
  requireDraft(campaign);
  // Keyed by the stored ids, not the caller's spelling: an upper-case UUID names the same rows.
  const lockKey = { campaignId: campaign.id, listId: list.id };
  return withImportLock(db.pool, lockKey, deps.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, (lock) => runImport(db, input, campaign, list, deps, lock.lost));
}

async function runImport(
  db: Db,
  input: ImportListInput,
  campaign: { id: string; channel: Channel },
  list: { id: string; rowCount: number },
  deps: ImportListDeps,
  lockLost?: AbortSignal,
): Promise<ImportListResult> {
  const runId = await startRun(db.pool, { ...input, listTotal: list.rowCount });
  const counts = emptyCounts();
  const readPage = wrap(deps.readPage, listRowReader(db.pool, list.id));
  const writeBatch = wrap(deps.writeBatch, prospectWriter(db.pool, campaign.id, { id: runId, counts: () => counts }));

  let failedPage: number | null = null;
  let batchesWritten = 0;
  let batchesFailed = 0;
  let campaignClosed = false;

  const progress = async () => {
    deps.onProgress?.({ ...counts });
    await recordProgress(db.pool, runId, counts).catch(() => undefined); // progress is best effort; the final write is not
  };

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
      await progress(); // the batch's statement rolled back, and its move of the run record with it
      return;
    }
    if (!result.campaignOpen) {
      campaignClosed = true;
      counts.errors += batch.length;
      return;
    }
    counts.imported += result.inserted;
    counts.duplicates += batch.length - result.inserted;
    deps.onProgress?.({ ...counts }); // the run record moved in the batch's own statement (write-batch.ts)
  };

  // Two batches outstanding at most: the next one is handed to the writer while the database
  // writes this one, and the writer sends it the moment this one is done (they still run one
  // after another, in list order). A batch handed over before an earlier one found the campaign
  // closed finds it closed too: its rows count as errors.
  const outstanding: Promise<void>[] = [];
  const submit = async (batch: NewProspect[]) => {
    outstanding.push(writeOne(batch));
    if (outstanding.length > 1) await outstanding.shift();
  };

  // The next page is read and mapped while this one's batches are written: PostgreSQL reads it
  // on another pooled connection (the other core), and Node maps it while the database executes
  // a batch. Its counts are added only when its turn comes, and a failed read is acted on then.
  type PageRead = { error: unknown } | { rows: number; lastId: string | undefined; valid: NewProspect[]; invalid: number };
  const readAhead = async (afterId: string | null): Promise<PageRead> => {
    let rows: SourceRow[];
    try {
      rows = await readPage(afterId);
    } catch (error) {
      return { error };
    }
    const valid: NewProspect[] = [];
    for (const row of rows) {
      const mapped = mapRow(campaign.channel, row);
      if (mapped.ok) valid.push(mapped.prospect);
    }
    return { rows: rows.length, lastId: rows.at(-1)?.id, valid, invalid: rows.length - valid.length };
  };

  let nextPage = readAhead(null);
  for (let page = 1; !campaignClosed; page++) {
    const read = await nextPage;
    // The connection holding the import lock died (the database dropped it): stop, as a failed read would.
    if ("error" in read || lockLost?.aborted) {
      failedPage = page;
      console.error(`import ${runId}: reading page ${page} failed:`, errorMessage("error" in read ? read.error : lockLost?.reason));
      break;
    }
    if (read.rows === 0) break;
    nextPage = readAhead(read.lastId!);
    counts.total += read.rows;
    counts.invalid += read.invalid;

    const valid = read.valid;
    if (valid.length === 0) await progress();
    for (let i = 0; i < valid.length; i += BATCH_SIZE) {
      if (campaignClosed) {
        counts.errors += valid.length - i; // read and valid, but the campaign left draft first
        break;
      }
      await submit(valid.slice(i, i + BATCH_SIZE));
    }
  }

  await Promise.all(outstanding);
  await nextPage; // read ahead for nothing when the campaign closed: let it finish inside the run
  // A failed batch may still have committed if only its answer was lost: the run record, moved
  // in each batch's own statement, says. If the database is gone, this process's tally stands.
  if (batchesFailed > 0) Object.assign(counts, await reconcileCounts(db.pool, runId, counts).catch(() => counts));
  const outcome = decideOutcome({ counts, failedPage, batchesWritten, batchesFailed, campaignClosed });
  await recordEnd(db.pool, runId, counts, outcome);
  return { ...counts, outcome, runId };
}

function wrap<T>(override: ((base: T) => T) | undefined, base: T): T {
  return override ? override(base) : base;
}
