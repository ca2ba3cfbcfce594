import { z } from "zod";
import type { OpenApiMeta } from "trpc-to-openapi";
import { Count as CountSchema, STANDARD_ERRORS, Uuid } from "../shared.types";

const Count = (description: string) => CountSchema.meta({ description });

export const importListInput = z.object({
  campaignId: Uuid.meta({ description: "Campaign UUID" }),
  listId: Uuid.meta({ description: "UUID of a saved list (lists table) owned by the caller. Every row is imported as a prospect into the campaign." }),
});

export const ImportResult = z
  .object({
    imported: Count("Prospects actually inserted."),
    duplicates: Count("Rows rejected by the DB unique constraint (already in this campaign, or repeated in the list)."),
    invalid: Count(
      "Rows missing the required identity field: for LinkedIn campaigns a real linkedin_url (placeholder imported-* URLs don't count), for email campaigns a work email in the list's enrichment data.",
    ),
    errors: Count("Rows that failed to insert for reasons other than duplicate key (e.g. DB errors)."),
    total: Count("Total list rows inspected (sum of all pages). Always imported + duplicates + invalid + errors."),
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
    campaignId: Uuid,
    listId: Uuid,
    listName: z.string(),
    status: z.enum(["running", "complete", "partial", "nothing_imported", "failed"]),
    listTotal: Count("Rows in the list when the run started"),
    total: Count("Rows inspected so far"),
    imported: Count("Prospects inserted so far"),
    duplicates: Count("Rows already in the campaign, or repeated in the list"),
    invalid: Count("Rows without the campaign's required identity"),
    errors: Count("Rows that failed to insert for other reasons"),
    startedAt: z.date(),
    finishedAt: z.date().nullable(),
  })
  .meta({ id: "ImportRun" });

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
