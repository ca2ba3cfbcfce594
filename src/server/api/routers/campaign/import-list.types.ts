import { z } from "zod";
import type { OpenApiMeta } from "trpc-to-openapi";
import { Count as CountSchema, Cursor, STANDARD_ERRORS, Uuid } from "../shared.types";
import { REPORT_SCAN_LIMIT } from "../../../domain/import-list/skipped-rows";
import { DUPLICATE_REASONS, INVALID_REASONS, REASON_LABEL, SKIP_REASONS, type SkipReason } from "../../../domain/skip-reasons";

const Count = (description: string) => CountSchema.meta({ description });

const reasonCounts = <R extends SkipReason>(reasons: readonly R[]) =>
  z.object(Object.fromEntries(reasons.map((r) => [r, Count(`Rows ${REASON_LABEL[r]}.`)])) as Record<R, ReturnType<typeof Count>>);

export const InvalidReasons = reasonCounts(INVALID_REASONS).meta({
  id: "InvalidReasons",
  description:
    "invalid by reason; the reasons add up to invalid. LinkedIn campaigns: missing_linkedin_url, placeholder_url (imported-*), not_a_profile_url (company pages, other sites, malformed). Email campaigns: missing_email, malformed_email. The other channel's reasons are 0.",
});

export const DuplicateReasons = reasonCounts(DUPLICATE_REASONS).meta({
  id: "DuplicateReasons",
  description:
    "duplicates by reason; they add up to duplicates. already_in_campaign: the person was in the campaign before this import. repeated_in_list: an earlier row of the same list brought the person in during this import.",
});

export const importListInput = z.object({
  campaignId: Uuid.meta({ description: "Campaign UUID" }),
  listId: Uuid.meta({ description: "UUID of a saved list (lists table) owned by the caller. Every row is imported as a prospect into the campaign." }),
  background: z
    .boolean()
    .optional()
    .meta({
      description:
        "true: run the import in the background and answer at once (202) with the run as it stands, as the header `Prefer: respond-async` does. Follow it with GET /api/imports/{runId}.",
    }),
});

export const importRunInput = z.object({ runId: Uuid.meta({ description: "The runId an import returned" }) });

export const ImportResult = z
  .object({
    imported: Count("Prospects actually inserted."),
    duplicates: Count("Rows rejected by the DB unique constraint (already in this campaign, or repeated in the list)."),
    invalid: Count(
      "Rows missing the required identity field: for LinkedIn campaigns a real linkedin_url (placeholder imported-* URLs don't count), for email campaigns a work email in the list's enrichment data.",
    ),
    errors: Count("Rows that failed to insert for reasons other than duplicate key (e.g. DB errors)."),
    total: Count("Total list rows inspected (sum of all pages). Always imported + duplicates + invalid + errors."),
    invalidReasons: InvalidReasons,
    duplicateReasons: DuplicateReasons,
    partial: z
      .literal(true)
      .optional()
      .meta({ description: "Present on 206 responses. A page fetch failed after some rows had already been inserted: the counts reflect the committed subset." }),
    outcome: z.enum(["complete", "partial", "nothing_imported", "failed"]).meta({ description: "complete (200), partial (206), nothing_imported (422), failed (500)" }),
    runId: Uuid.meta({ description: "The import run record; GET /api/imports/{runId} shows it." }),
  })
  .meta({ id: "ImportResult" });

export type ImportResultBody = z.infer<typeof ImportResult>;

export const ImportRun = z
  .object({
    id: Uuid,
    runId: Uuid.meta({ description: "The same as id: every answer of the import names its run as runId." }),
    campaignId: Uuid,
    listId: Uuid,
    listName: z.string(),
    status: z.enum(["queued", "running", "complete", "partial", "nothing_imported", "failed", "cancelled"]).meta({
      description:
        "queued: waiting for a worker. running: rows are going in; the counts are what committed so far. complete, partial, nothing_imported, failed: ended as the synchronous call would have (see httpStatus). cancelled: stopped on request after the batch in flight; what was committed stays.",
    }),
    httpStatus: z
      .union([z.literal(200), z.literal(206), z.literal(422), z.literal(500)])
      .nullable()
      .meta({ description: "Once the run has ended: what the synchronous import would have answered (200, 206, 422, 500). A cancelled run is 206: imported so far. null while queued or running." }),
    background: z.boolean().meta({ description: "Started with Prefer: respond-async (or background: true): run by a worker, resumed by another process if its own dies." }),
    resumedCount: Count("How many times a process that stopped mid-run was replaced by another that went on from the last committed batch."),
    cancelRequested: z.boolean(),
    listTotal: Count("Rows the list held when the run started."),
    total: Count("Rows read and accounted for so far."),
    imported: Count("Prospects inserted by committed batches."),
    duplicates: Count("Rows already in the campaign (or repeated in the list)."),
    invalid: Count("Rows without the campaign's identity field."),
    errors: Count("Rows that could not be written."),
    invalidReasons: InvalidReasons,
    duplicateReasons: DuplicateReasons,
    startedAt: z.date(),
    finishedAt: z.date().nullable(),
  })
  .meta({ id: "ImportRun" });

export type ImportRunBody = z.infer<typeof ImportRun>;

/** The import's answer: its counts (synchronous) or, for a background run, the run as it stands (202). */
export const ImportAnswer = z.union([ImportResult, ImportRun]);

export const importListMeta = {
  openapi: {
    method: "POST",
    path: "/campaigns/{campaignId}/leads/import-from-list",
    tags: ["campaigns"],
    operationId: "importListIntoCampaign",
    summary: "Import every row of a saved list into a campaign",
    description: [
      "Bulk-imports every row of a user-owned list into a draft campaign as prospects, pulling enrichment data from profile_data.",
      "Reads list_rows 1000 at a time (keyset pagination) and inserts in batches of 500 with ON CONFLICT DO NOTHING.",
      "linkedin_url comes from the row; email from profile_data.enrichment.work_email; first_name, last_name, name, company, position and headline from profile_data (firstName, lastName, fullName, currentCompany, currentRole, headline).",
      "LinkedIn campaigns require a real linkedin.com/in/ URL: placeholder imported-* URLs are counted as invalid. Email campaigns require a work email.",
      "Dedup semantics are the same as POST /campaigns/{campaignId}/leads: unique (campaign_id, email) for email campaigns, (campaign_id, linkedin_url) for LinkedIn campaigns, on normalised identities.",
      "A 206 is not rolled back: retry with the same listId to pick up the remaining rows; rows already imported come back as duplicates. Show it as \"imported so far\".",
      "Send `Prefer: respond-async` (or `background: true`) to run it in the background: the answer is 202 Accepted at once, with `Location: /api/imports/{runId}` and the run as it stands. A background run survives the request, a restart and the death of the process running it (another process resumes it after its last committed batch). If this list is already being imported into this campaign, the answer is that run. A synchronous call while another run of the same pair is active waits for it (at most 30 s), then answers 409 naming it.",
    ].join("\n\n"),
    successDescription: "Import succeeded: the whole list was read and at least one prospect was inserted.",
    errorResponses: STANDARD_ERRORS,
    protect: true,
  },
} satisfies OpenApiMeta;

export const importRunsMeta = {
  openapi: {
    method: "GET",
    path: "/campaigns/{campaignId}/imports",
    tags: ["campaigns"],
    summary: "Recent import runs of a campaign",
    description: "The campaign's import runs, newest first, with their counts and status (running or how they ended).",
    errorResponses: STANDARD_ERRORS,
    protect: true,
  },
} satisfies OpenApiMeta;

export const cancelImportMeta = {
  openapi: {
    method: "POST",
    path: "/imports/{runId}/cancel",
    tags: ["campaigns"],
    summary: "Cancel an import run",
    description:
      "The run stops after the batch in flight; what was committed stays, and the run ends as cancelled with exact counts. A queued run is cancelled at once. A run that has already ended is answered as it is (cancelling is idempotent).",
    errorResponses: STANDARD_ERRORS,
    protect: true,
  },
} satisfies OpenApiMeta;

export const importRunMeta = {
  openapi: {
    method: "GET",
    path: "/imports/{runId}",
    tags: ["campaigns"],
    summary: "One import run, updated after every batch",
    description: "Poll it while an import runs: its counts grow after every committed batch, and its status tells how the run ended.",
    errorResponses: STANDARD_ERRORS,
    protect: true,
  },
} satisfies OpenApiMeta;

export const previewImportInput = importListInput.pick({ campaignId: true, listId: true });

export const ImportPreview = z
  .object({
    imported: Count("Rows the import would insert: new people."),
    duplicates: Count("Rows whose person the campaign already holds, or that an earlier row of the list would bring in."),
    invalid: Count("Rows without the campaign's identity field."),
    total: Count("Rows in the list. Always imported + duplicates + invalid."),
    invalidReasons: InvalidReasons,
    duplicateReasons: DuplicateReasons,
  })
  .meta({ id: "ImportPreview" });

export const previewImportMeta = {
  openapi: {
    method: "POST",
    path: "/campaigns/{campaignId}/leads/import-from-list/preview",
    tags: ["campaigns"],
    operationId: "previewListImport",
    summary: "What importing a list would give, before anything is written",
    description: [
      "Reads the list as the import does and answers the counts it would give right now, by reason. Nothing is written and no import lock is taken, so it may run beside an import.",
      "It is exact: an import run straight after it, with nothing changed in between, answers the same counts (imported, duplicates by reason, invalid by reason).",
      "It reads the whole list, so it counts against the import rate limit.",
    ].join("\n\n"),
    errorResponses: STANDARD_ERRORS,
    protect: true,
  },
} satisfies OpenApiMeta;

export const skippedRowsInput = z.object({
  runId: Uuid.meta({ description: "The runId an import returned" }),
  reason: z.enum(SKIP_REASONS).optional().meta({ description: "Only rows skipped for this reason" }),
  cursor: Cursor.optional().meta({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const SkippedRowView = z
  .object({
    listRowId: z.string().meta({ description: "The list row's id" }),
    linkedinUrl: z.string().nullable().meta({ description: "The row's linkedin_url as the list holds it" }),
    name: z.string().nullable(),
    reason: z.enum(SKIP_REASONS).meta({
      description:
        "invalid: missing_linkedin_url, placeholder_url, not_a_profile_url, missing_email, malformed_email. duplicate: already_in_campaign, repeated_in_list. error: batch_failed.",
    }),
    repeatsRowId: z.string().nullable().meta({ description: "For repeated_in_list: the earlier list row that brought the same person in" }),
    errorClass: z.string().nullable().meta({ description: "For batch_failed: the error's class (never its message)" }),
  })
  .meta({ id: "SkippedRow" });

export const skippedRowsOutput = z.object({
  items: z.array(SkippedRowView),
  nextCursor: z.string().nullable().meta({
    description: `Pass as cursor for the next page; null once the run's rows are all reported. A page may hold fewer than limit items (at most ${REPORT_SCAN_LIMIT.toLocaleString("en-US")} list rows are looked at per call) and still have a next one.`,
  }),
});

export const skippedRowsMeta = {
  openapi: {
    method: "GET",
    path: "/imports/{runId}/skipped",
    tags: ["campaigns"],
    operationId: "listSkippedRows",
    summary: "The rows an import run did not import, each with its reason",
    description: [
      "Keyset-paged, in list order. Every row of the run that was not imported is here once: its counts by reason equal the run's (invalidReasons, duplicateReasons, errors), for complete, partial and nothing_imported runs alike, and later imports, launches or added prospects do not change it.",
      "GET /api/imports/{runId}/skipped.csv gives the same rows as a CSV file with all of the list row's fields.",
    ].join("\n\n"),
    errorResponses: STANDARD_ERRORS,
    protect: true,
  },
} satisfies OpenApiMeta;
