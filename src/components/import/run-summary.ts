import { IDENTITY_RULE, type Channel } from "@/server/domain/identity";
import { formatCount, plural } from "../format";

// What the dialog and the history table say about an import run, derived from the run record
// alone, so a reload or a second tab shows exactly the same thing.

export type RunStatus = "running" | "complete" | "partial" | "nothing_imported" | "failed";

export type RunRecord = {
  id: string;
  listId: string;
  listName: string;
  status: RunStatus;
  listTotal: number;
  total: number;
  imported: number;
  duplicates: number;
  invalid: number;
  errors: number;
};

export const RUN_STATUS_LABEL: Record<RunStatus, string> = {
  running: "Running",
  complete: "Complete",
  partial: "Partial",
  nothing_imported: "Nothing imported",
  failed: "Failed",
};

export const RUN_STATUS_COLOR: Record<RunStatus, string> = {
  running: "blue",
  complete: "green",
  partial: "orange",
  nothing_imported: "gray",
  failed: "red",
};

export type RunSummary = { title: string; lines: string[]; retry: boolean; finished: boolean };

export function nothingImportedReason(run: RunRecord, channel: Channel): string {
  if (run.total === 0) return "The list is empty.";
  if (run.invalid === run.total) return `Every row is invalid. ${IDENTITY_RULE[channel]}`;
  if (run.duplicates === run.total) return "Every row is already in this campaign: all duplicates.";
  const parts = [
    run.duplicates && plural(run.duplicates, "duplicate"),
    run.invalid && `${formatCount(run.invalid)} invalid`,
    run.errors && plural(run.errors, "error"),
  ].filter(Boolean);
  return `No row was new: ${parts.join(", ")}.`;
}

export function summarizeRun(run: RunRecord, channel: Channel): RunSummary {
  switch (run.status) {
    case "running":
      return {
        title: "Importing…",
        lines: ["You can close this dialog: the import keeps running and its progress stays here."],
        retry: false,
        finished: false,
      };
    case "complete":
      return { title: `Imported ${plural(run.imported, "prospect")}`, lines: [], retry: false, finished: true };
    case "partial":
      return {
        title: `Imported so far: ${plural(run.imported, "prospect")}`,
        lines: [
          `The import stopped after reading ${formatCount(run.total)} of ${formatCount(run.listTotal)} rows: reading the next page failed.`,
          "Retry reads the list again from the start. Rows already imported will count as duplicates.",
        ],
        retry: true,
        finished: true,
      };
    case "nothing_imported":
      return { title: "Nothing imported", lines: [nothingImportedReason(run, channel)], retry: false, finished: true };
    case "failed":
      return {
        title: "The import failed",
        lines: [
          run.total === 0
            ? "The list could not be read, so nothing was imported."
            : "None of the rows could be saved: something went wrong on the server.",
        ],
        retry: true,
        finished: true,
      };
  }
}

/** Rows read as a share of the list, 0-100. */
export function readPercent(run: RunRecord): number {
  if (run.listTotal <= 0) return run.status === "running" ? 0 : 100;
  return Math.min(100, (run.total / run.listTotal) * 100);
}
