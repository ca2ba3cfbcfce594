import type { Db } from "../../db";
import { requireDraft, requireOwnedCampaign } from "../campaigns";
import { requireOwnedList } from "../lists";
import type { NewProspect } from "../prospects/insert-prospects";
import type { Channel } from "../identity";
import { mapRow } from "./map-row";
import { decideOutcome, emptyCounts, type ImportCounts, type ImportOutcome } from "./outcome";
import { listRowReader, type ReadPage } from "./read-pages";
import { BATCH_SIZE, prospectWriter, type WriteBatch } from "./write-batch";
import { recordEnd, recordProgress, startRun } from "./import-runs";
import { DEFAULT_LOCK_WAIT_MS, withImportLock } from "./import-lock";

export type ImportListInput = { userId: string; campaignId: string; listId: string };

export type ImportListResult = ImportCounts & { outcome: ImportOutcome; runId: string };

/** Seams for tests and fault injection: the real reader and writer unless given. */
export type ImportListDeps = {
  readPage?: (defaultReader: ReadPage) => ReadPage;
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
  const readPage = wrap(deps.readPage, listRowReader(db.pool, list.id));
  const writeBatch = wrap(deps.writeBatch, prospectWriter(db.pool, campaign.id));
  const runId = await startRun(db.pool, { ...input, listTotal: list.rowCount });

  const counts = emptyCounts();
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
    try {
      const result = await writeBatch(batch);
      if (!result.campaignOpen) {
        campaignClosed = true;
        counts.errors += batch.length;
        return;
      }
      counts.imported += result.inserted;
      counts.duplicates += batch.length - result.inserted;
    } catch (error) {
      // A failed batch does not stop the run: its rows are errors, the next batches still go in.
      batchesFailed++;
      counts.errors += batch.length;
      console.error(`import ${runId}: batch ${batchesWritten} failed:`, errorMessage(error));
    }
    await progress();
  };

  let afterId: string | null = null;
  for (let page = 1; !campaignClosed; page++) {
    let rows;
    try {
      // The connection holding the import lock died (the database dropped it): stop, as a failed read would.
      lockLost?.throwIfAborted();
      rows = await readPage(afterId);
    } catch (error) {
      failedPage = page;
      console.error(`import ${runId}: reading page ${page} failed:`, errorMessage(error));
      break;
    }
    if (rows.length === 0) break;
    counts.total += rows.length;
    afterId = rows[rows.length - 1]!.id;

    const valid: NewProspect[] = [];
    for (const row of rows) {
      const mapped = mapRow(campaign.channel, row);
      if (mapped.ok) valid.push(mapped.prospect);
      else counts.invalid++;
    }
    if (valid.length === 0) await progress();
    for (let i = 0; i < valid.length; i += BATCH_SIZE) {
      if (campaignClosed) {
        counts.errors += valid.length - i; // read and valid, but the campaign left draft first
        break;
      }
      await writeOne(valid.slice(i, i + BATCH_SIZE));
    }
  }

  const outcome = decideOutcome({ counts, failedPage, batchesWritten, batchesFailed, campaignClosed });
  // If the database is gone, the caller still gets the counts of what was committed.
  await recordEnd(db.pool, runId, counts, outcome);
  return { ...counts, outcome, runId };
}

function wrap<T>(override: ((base: T) => T) | undefined, base: T): T {
  return override ? override(base) : base;
}

function errorMessage(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}
