import { insertStatement, runInsert, type InsertResult, type NewProspect, type Queryable } from "../prospects/insert-prospects";
import type { ImportCounts } from "./outcome";

export const BATCH_SIZE = 500;

/**
 * Where a batch leaves the run: the counts as of its last row, and that row's id (the cursor).
 * A resumed run starts from the record these leave behind.
 */
export type BatchMark = { counts: ImportCounts; cursor?: string };

/** Writes one batch (at most BATCH_SIZE) with skip-duplicates semantics; stats move in the same statement. */
export type WriteBatch = (prospects: NewProspect[]) => Promise<InsertResult>;

/**
 * The real writer. Given the import's run, each batch's statement also moves the run record
 * (counts(batch) is read when the batch is handed over), so the record never lags what is committed.
 *
 * Batches run strictly one after another, in the order they are handed over, each only once the
 * one before has finished (committed or failed). A batch may be handed over while the one before
 * is still running: its statement is built at once and sent the moment the database is done
 * with the previous one, so the database does not wait for Node between batches (8% of an
 * import's time; docs/performance.md).
 */
export function prospectWriter(db: Queryable, campaignId: string, run?: { id: string; counts: (batch: NewProspect[]) => BatchMark }): WriteBatch {
  let previous: Promise<unknown> = Promise.resolve();
  return (prospects) => {
    if (prospects.length > BATCH_SIZE) throw new Error(`batches hold at most ${BATCH_SIZE} prospects`);
    const importRun = run && { id: run.id, ...run.counts(prospects) };
    const statement = insertStatement(campaignId, prospects, { importRun });
    const result = previous.then(
      () => runInsert(db, statement),
      () => runInsert(db, statement), // a failed batch costs only its own rows
    );
    previous = result;
    return result;
  };
}
