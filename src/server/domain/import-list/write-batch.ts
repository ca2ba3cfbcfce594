import { insertProspects, type InsertResult, type NewProspect, type Queryable } from "../prospects/insert-prospects";

export const BATCH_SIZE = 500;

/** Writes one batch (at most BATCH_SIZE) with skip-duplicates semantics; stats move in the same statement. */
export type WriteBatch = (prospects: NewProspect[]) => Promise<InsertResult>;

export function prospectWriter(db: Queryable, campaignId: string): WriteBatch {
  return (prospects) => {
    if (prospects.length > BATCH_SIZE) throw new Error(`batches hold at most ${BATCH_SIZE} prospects`);
    return insertProspects(db, campaignId, prospects);
  };
}
