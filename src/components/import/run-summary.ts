import { IDENTITY_RULE, type Channel } from "@/server/domain/identity";
import { CHANNEL_INVALID_REASONS, type DuplicateReasonCounts, type InvalidReason, type InvalidReasonCounts } from "@/server/domain/skip-reasons";
import { formatCount, plural } from "../format";

// What the dialog and the history table say about an import run, derived from the run record
// alone, so a reload or a second tab shows exactly the same thing.

export type RunStatus = "queued" | "running" | "complete" | "partial" | "nothing_imported" | "failed" | "cancelled";

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
  resumedCount: number;
  cancelRequested: boolean;
  invalidReasons: InvalidReasonCounts;
  duplicateReasons: DuplicateReasonCounts;
};

// How each invalid reason reads after its count: "100 placeholders, 25 without a URL".
const INVALID_SHORT: Record<InvalidReason, [one: string, many: string]> = {
  missing_linkedin_url: ["without a URL", "without a URL"],
  placeholder_url: ["placeholder", "placeholders"],
  not_a_profile_url: ["not a profile URL", "not profile URLs"],
  missing_email: ["without an email", "without an email"],
  malformed_email: ["malformed email", "malformed emails"],
};

export type ReasonCounts = {
  duplicateReasons: DuplicateReasonCounts;
  invalid: number;
  invalidReasons: InvalidReasonCounts;
  errors?: number;
};

/**
 * Why rows were skipped, in one line: "125 already in this campaign · 125 invalid (100
 * placeholders, 25 without a URL)". Parts that are 0 are left out; "" when nothing was skipped.
 */
export function describeSkipped(counts: ReasonCounts, channel: Channel): string {
  const { already_in_campaign: already, repeated_in_list: repeated } = counts.duplicateReasons;
  const invalidParts = CHANNEL_INVALID_REASONS[channel]
    .filter((reason) => counts.invalidReasons[reason] > 0)
    .sort((a, b) => counts.invalidReasons[b] - counts.invalidReasons[a]) // the biggest first
    .map((reason) => {
      const n = counts.invalidReasons[reason];
      return `${formatCount(n)} ${INVALID_SHORT[reason][n === 1 ? 0 : 1]}`;
    });
  return [
    already > 0 && `${formatCount(already)} already in this campaign`,
    repeated > 0 && `${formatCount(repeated)} repeated in the list`,
    counts.invalid > 0 && `${formatCount(counts.invalid)} invalid (${invalidParts.join(", ")})`,
    (counts.errors ?? 0) > 0 && plural(counts.errors!, "error"),
  ]
    .filter(Boolean)
    .join(" · ");
}

/** What an import would do, before it runs: "2,250 new · 125 already in this campaign · …". */
export function describePreview(preview: ReasonCounts & { imported: number; total: number }, channel: Channel): string {
  if (preview.total === 0) return "This list is empty: there is nothing to import.";
  return [`${formatCount(preview.imported)} new`, describeSkipped(preview, channel)].filter(Boolean).join(" · ");
}

/** Rows of the run that were not imported: the skipped-rows report holds exactly these. */
export const skippedCount = (run: RunRecord) => run.duplicates + run.invalid + run.errors;

/** The run's skipped rows as a CSV download (GET, with the session cookie). */
export const skippedCsvHref = (runId: string) => `/api/imports/${runId}/skipped.csv`;

/** Queued or running: a worker (or a request) will still write to it. */
export const isActive = (run: { status: RunStatus }) => run.status === "queued" || run.status === "running";

export const RUN_STATUS_LABEL: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  cancelled: "Cancelled",
  complete: "Complete",
  partial: "Partial",
  nothing_imported: "Nothing imported",
  failed: "Failed",
};

export const RUN_STATUS_COLOR: Record<RunStatus, string> = {
  queued: "blue",
  running: "blue",
  cancelled: "orange",
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
  const resumed =
    run.resumedCount > 0
      ? [`The server running this import stopped; another one resumed it after the last saved batch${run.resumedCount > 1 ? ` (${run.resumedCount} times)` : ""}. Nothing was lost.`]
      : [];
  const keepsRunning = "You can close this dialog or the tab: the import keeps running on the server and its progress stays here.";
  switch (run.status) {
    case "queued":
      return { title: run.cancelRequested ? "Cancelling…" : "Waiting to start…", lines: [keepsRunning], retry: false, finished: false };
    case "running":
      return {
        title: run.cancelRequested ? "Cancelling…" : "Importing…",
        lines: run.cancelRequested ? ["The import stops after the batch being written; what is already imported stays."] : [...resumed, keepsRunning],
        retry: false,
        finished: false,
      };
    case "cancelled":
      return {
        title: `Cancelled. Imported so far: ${plural(run.imported, "prospect")}`,
        lines: [
          `The import was stopped on request after ${formatCount(run.total)} of ${formatCount(run.listTotal)} rows. What was imported stays.`,
          "Retry imports the rest. Rows already imported will count as duplicates.",
        ],
        retry: true,
        finished: true,
      };
    case "complete":
      return { title: `Imported ${plural(run.imported, "prospect")}`, lines: resumed, retry: false, finished: true };
    case "partial":
      return {
        title: `Imported so far: ${plural(run.imported, "prospect")}`,
        lines: [
          ...resumed,
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
  if (run.listTotal <= 0) return isActive(run) ? 0 : 100;
  return Math.min(100, (run.total / run.listTotal) * 100);
}
