// Background runs: an import started now and run by whichever process's worker takes its job,
// and resumed from the run record's cursor by another one if that process dies. The queue
// itself is not known here: the caller hands in how to enqueue (src/server/jobs).
import type { Db } from "../../db";
import { requireDraft, requireOwnedCampaign } from "../campaigns";
import { requireOwnedList } from "../lists";
import type { Queryable } from "../prospects/insert-prospects";
import { errorMessage } from "../errors";
import { claimRun, countsAtCursor, getRun, recordEnd, settleAbandonedRuns, tryStartRun } from "./import-runs";
import { runPipeline, type ImportListDeps, type ImportListInput } from "./import-list";
import { DEFAULT_LOCK_WAIT_MS, withImportLock } from "./import-lock";

/**
 * The queue as the import needs it: enqueue puts a run's job on the queue inside the caller's
 * transaction (tx), so both or neither exist; committed is told once that transaction has
 * committed (a local worker can take the job at once).
 */
export type EnqueueImport = { enqueue: (tx: Queryable, runId: string) => Promise<void>; committed: () => void };

/**
 * Starts a background run and answers at once with the run as it stands (queued). If this list
 * is already being imported into this campaign, that run is the answer: one run per pair.
 */
export async function startBackgroundImport(db: Db, input: ImportListInput, queue: EnqueueImport) {
  const [campaign, list] = await Promise.all([
    requireOwnedCampaign(db, input.userId, input.campaignId),
    requireOwnedList(db, input.userId, input.listId),
  ]);
  requireDraft(campaign);
  await settleAbandonedRuns(db.pool, campaign.id);
  const client = await db.pool.connect();
  let runId: string;
  try {
    await client.query("BEGIN");
    const started = await tryStartRun(client, { userId: input.userId, campaignId: campaign.id, listId: list.id, listTotal: list.rowCount, background: true });
    if ("id" in started) await queue.enqueue(client, started.id);
    await client.query("COMMIT");
    if ("id" in started) queue.committed();
    runId = "id" in started ? started.id : started.activeRunId;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return getRun(db, input.userId, runId);
}

/** This attempt stopped early for a reason a later attempt may not meet (a page read failed, the lock was lost). */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLater";
  }
}

export type Attempt = {
  /** No attempt comes after this one: end the run however far it got, as a request would. */
  final: boolean;
  /** Aborted when this process must stop working on the run (it is stopping, or lost the job). */
  signal?: AbortSignal;
};

/**
 * A worker's share of a background run: take it up (from its cursor, if an earlier attempt got
 * somewhere), run the pipeline, and end the run, or throw RetryLater so that the queue tries
 * again (and another process may take it up). The run record is the whole state: nothing here
 * needs the earlier attempt's process.
 */
export async function runBackgroundImport(db: Db, runId: string, attempt: Attempt, deps: ImportListDeps = {}): Promise<void> {
  const run = await claimRun(db.pool, runId);
  if (!run) return; // ended already: cancelled while queued, or settled
  if (run.cancelRequested) {
    await recordEnd(db.pool, runId, await countsAtCursor(db.pool, runId), "cancelled", null);
    return;
  }
  const campaign = await requireOwnedCampaign(db, run.userId, run.campaignId);
  const lockKey = { campaignId: run.campaignId, listId: run.listId };
  await withImportLock(db.pool, lockKey, deps.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, async (lock) => {
    const stop = attempt.signal ? AbortSignal.any([lock.lost, attempt.signal]) : lock.lost;
    // Rows after the cursor are read afresh; errors are what the rows up to it were not.
    const counts = await countsAtCursor(db.pool, runId);
    const ran = await runPipeline(db, { runId, cursor: run.cursor, counts }, campaign, { id: run.listId }, deps, stop);
    if (ran.cancelled) return recordEnd(db.pool, runId, await countsAtCursor(db.pool, runId), "cancelled", null);
    if (ran.interrupted && !attempt.final) {
      throw new RetryLater(`import ${runId} stopped at its cursor (${errorMessage(stop.reason ?? "a page could not be read")}); the queue will try again`);
    }
    return recordEnd(db.pool, runId, ran.counts, ran.outcome, ran.lastRowId);
  });
}
