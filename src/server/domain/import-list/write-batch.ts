import { insertProspects, type InsertResult, type NewProspect, type Queryable } from "../prospects/insert-prospects";
import type { ImportCounts } from "./outcome";

export const BATCH_SIZE = 500;

/** Writes one batch (at most BATCH_SIZE) with skip-duplicates semantics; stats move in the same statement. */
export type WriteBatch = (prospects: NewProspect[]) => Promise<InsertResult>;

/**
 * The real writer. Given the import's run, each batch's statement also moves the run record
 * (counts() is read as the batch starts), so the record never lags what is committed.
 */
export function prospectWriter(db: Queryable, campaignId: string, run?: { id: string; counts: () => ImportCounts }): WriteBatch {
  return (prospects) => {
    if (prospects.length > BATCH_SIZE) throw new Error(`batches hold at most ${BATCH_SIZE} prospects`);
    const importRun = run && { id: run.id, counts: run.counts() };
    return insertProspects(db, campaignId, prospects, { importRun });
  };
}
