import { emptyInvalidReasons, type InvalidReasonCounts } from "../skip-reasons";

export type ImportCounts = {
  imported: number;
  duplicates: number;
  invalid: number;
  errors: number;
  total: number;
  /** invalid by reason: always adds up to invalid. */
  invalidReasons: InvalidReasonCounts;
  /** Of the duplicates, those repeating a person an earlier row of this run brought in (the rest were already in the campaign). */
  repeated: number;
};

/** complete → 200, partial → 206, nothing_imported → 422, failed → 500 (see api/http-status.ts). */
export type ImportOutcome = "complete" | "partial" | "nothing_imported" | "failed";

export type RunFacts = {
  counts: ImportCounts;
  /** Which page read failed, 1-based; null when the whole list was read. */
  failedPage: number | null;
  batchesWritten: number;
  batchesFailed: number;
  /** The campaign left draft while the import ran, so the rest was not written. */
  campaignClosed: boolean;
};

export function decideOutcome(run: RunFacts): ImportOutcome {
  if (run.failedPage === 1) return "failed";
  // Every batch failed, and none of them turned out to have committed after all (import-runs.ts).
  if (run.batchesWritten > 0 && run.batchesFailed === run.batchesWritten && run.counts.imported + run.counts.duplicates === 0) return "failed";
  if (run.failedPage !== null || run.campaignClosed) return "partial";
  return run.counts.imported > 0 ? "complete" : "nothing_imported";
}

export const emptyCounts = (): ImportCounts => ({ imported: 0, duplicates: 0, invalid: 0, errors: 0, total: 0, invalidReasons: emptyInvalidReasons(), repeated: 0 });
