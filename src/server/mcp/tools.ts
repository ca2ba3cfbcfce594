import type { z } from "zod";
import type { ToolAnnotations } from "@modelcontextprotocol/server";
import type { createCaller } from "../api/root";
import { listListsInput, listListsOutput, listRowsInput, listRowsOutput } from "../api/routers/list/list.types";
import {
  addProspectsInput,
  addProspectsOutput,
  CampaignView,
  campaignIdInput,
  createCampaignInput,
  listCampaignsInput,
  listCampaignsOutput,
} from "../api/routers/campaign/campaign.types";
import {
  ImportPreview,
  ImportRun,
  importListInput,
  importRunInput,
  previewImportInput,
  skippedRowsInput,
  skippedRowsOutput,
} from "../api/routers/campaign/import-list.types";

// The MCP tools. Each one is a tRPC procedure seen by an agent: its input and output are the
// procedure's own zod schemas, `call` runs the procedure (so its ownership checks, rate limit
// and domain function are those of tRPC and REST), and what is added here is only what an agent
// needs: a name, a description written for it, truthful annotations and a one-line summary.

/** The procedures, called as the authenticated user (createCaller over the request's context). */
export type Api = ReturnType<typeof createCaller>;

export type Tool<I extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> = {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  input: I;
  output: O;
  call: (api: Api, input: z.input<I>) => Promise<z.output<O>>;
  summary: (result: z.output<O>) => string;
};

const tool = <I extends z.ZodObject, O extends z.ZodType>(definition: Tool<I, O>): Tool => definition as unknown as Tool;

// Only ever this app's own data: no tool reaches outside it.
const closedWorld = { openWorldHint: false };
const readOnly = { ...closedWorld, readOnlyHint: true };

const CAMPAIGN_STATUSES =
  "Campaign status: draft (being prepared; the only status that accepts prospects, through add_prospects and import_list), active (launched, sending), paused, completed. A launched campaign cannot be imported into.";

const RUN_STATUSES = [
  "Run status: queued (waiting for a server to take it up), running (the import is still going; its counts are what has been imported so far and grow after every batch of 500 rows),",
  "cancelled (stopped on request after the batch in flight; what was imported stays),",
  "complete (the whole list was read and at least one prospect inserted),",
  "partial (reading a page failed part-way; nothing was rolled back: the imported count is what got in, so show it as \"imported so far\", and call import_list again with the same listId and campaignId to import the rest, where rows already in come back as duplicates),",
  "nothing_imported (the whole list was read and nothing new went in: every row invalid, already in the campaign, or the list was empty),",
  "failed (the first page could not be read, or every insert batch failed).",
].join(" ");

const COUNTS =
  "Counts: imported (prospects inserted), duplicates (already in the campaign, or repeated in the list), invalid (rows without the campaign's identity: a real LinkedIn profile URL for LinkedIn campaigns, placeholder imported-* URLs don't count; a work email for email campaigns), errors (rows that failed to insert), total (rows read). imported + duplicates + invalid + errors = total.";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
type Campaign = z.output<typeof CampaignView>;
const campaignLine = (c: Campaign) => `${c.name} (id ${c.id}, ${c.channel}, ${c.status}, ${plural(c.stats.prospectCount, "prospect")})`;

/**
 * The one place the import_list tool starts an import: campaign.importList asked for a
 * background run, which answers at once with the run (an agent's call can't outlast a client's
 * timeout, and the run survives the server that started it).
 */
const importListToolInput = importListInput.omit({ background: true });
const startImport = async (api: Api, input: z.input<typeof importListToolInput>) => {
  const run = await api.campaign.importList({ ...input, background: true });
  if (!("status" in run)) throw new Error("campaign.importList answered a background request with counts");
  return run;
};

export const tools: Tool[] = [
  tool({
    name: "list_lists",
    title: "List saved lists",
    description:
      "The caller's saved lists of people (newest first), each with its id, name and row count. A list's id is what import_list takes as listId; get_list_rows shows what is in it.",
    annotations: { ...readOnly, idempotentHint: true },
    input: listListsInput,
    output: listListsOutput,
    call: (api, input) => api.list.list(input),
    summary: ({ lists }) => [`${plural(lists.length, "list")}.`, ...lists.map((l) => `- ${l.name} (id ${l.id}, ${plural(l.rowCount, "row")})`)].join("\n"),
  }),
  tool({
    name: "get_list_rows",
    title: "Read a list's rows",
    description:
      "A page of a saved list's rows, in the order they were added: each row's linkedin_url and its profile_data (firstName, lastName, fullName, currentCompany, currentRole, headline, enrichment.work_email). page starts at 1; limit is 1-200 (default 50); total is the list's row count. Use it to check what an import will find before calling import_list.",
    annotations: { ...readOnly, idempotentHint: true },
    input: listRowsInput,
    output: listRowsOutput,
    call: (api, input) => api.list.rows(input),
    summary: ({ rows, total, page, limit }) =>
      rows.length === 0
        ? `No rows on page ${page} (the list has ${plural(total, "row")}).`
        : `Rows ${(page - 1) * limit + 1}-${(page - 1) * limit + rows.length} of ${total} (page ${page}, limit ${limit}); the rows are in the structured result.`,
  }),
  tool({
    name: "list_campaigns",
    title: "List campaigns",
    description: `The caller's campaigns (newest first), each with its id, name, channel (email or linkedin), status and prospect count. ${CAMPAIGN_STATUSES}`,
    annotations: { ...readOnly, idempotentHint: true },
    input: listCampaignsInput,
    output: listCampaignsOutput,
    call: (api, input) => api.campaign.list(input),
    summary: ({ campaigns }) => [`${plural(campaigns.length, "campaign")}.`, ...campaigns.map((c) => `- ${campaignLine(c)}`)].join("\n"),
  }),
  tool({
    name: "get_campaign",
    title: "Get a campaign",
    description: `One campaign with its channel, status and prospect count (stats.prospectCount, which moves as imports commit). ${CAMPAIGN_STATUSES}`,
    annotations: { ...readOnly, idempotentHint: true },
    input: campaignIdInput,
    output: CampaignView,
    call: (api, input) => api.campaign.get(input),
    summary: campaignLine,
  }),
  tool({
    name: "create_campaign",
    title: "Create a campaign",
    description:
      "Creates a campaign in draft status. channel decides the identity prospects are deduplicated on: email campaigns need a work email per prospect, linkedin campaigns a real LinkedIn profile URL. Every call creates a new campaign, so do not retry a call that succeeded.",
    annotations: { ...closedWorld, readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    input: createCampaignInput,
    output: CampaignView,
    call: (api, input) => api.campaign.create(input),
    summary: (c) => `Created ${campaignLine(c)}.`,
  }),
  tool({
    name: "add_prospects",
    title: "Add prospects to a campaign",
    description:
      "Adds 1-1000 prospects to a draft campaign. Prospects are deduplicated within the call and against the campaign on the channel's normalised identity (email for email campaigns, LinkedIn URL for LinkedIn campaigns): imported is how many went in, duplicates how many were already there. A prospect without that identity refuses the whole call (BAD_REQUEST naming its index) before anything is written. Adding the same prospects again changes nothing: they come back as duplicates.",
    annotations: { ...closedWorld, readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    input: addProspectsInput,
    output: addProspectsOutput,
    call: (api, input) => api.campaign.addProspects(input),
    summary: ({ imported, duplicates }) => `Added ${plural(imported, "prospect")}; ${plural(duplicates, "duplicate")} skipped.`,
  }),
  tool({
    name: "import_list",
    title: "Import a saved list into a campaign",
    description: [
      "Starts importing every row of a saved list (listId, from list_lists) into a draft campaign (campaignId) as prospects, in the background, and answers at once with the run: its runId and status (queued or running). The import goes on on the server even if this conversation ends, and survives a server restart (another server resumes it after the last saved batch; resumedCount says how often).",
      "Then call get_import_run with the runId every few seconds until httpStatus is set (it is null while the run is queued or running). The counts while it runs, and after a partial or cancelled run, are what was imported so far: say so to the user.",
      COUNTS,
      "If this list is already being imported into this campaign, the answer is that run (no second run is started). Every other call records a new run; rows already in come back as duplicates.",
      "Errors: NOT_FOUND when the list or the campaign is not the caller's; BAD_REQUEST when the campaign is not a draft; CONFLICT when the same list is already being imported into the same campaign (wait, then retry); TOO_MANY_REQUESTS when over the import rate limit (the message says when to retry).",
    ].join("\n\n"),
    // Not idempotent: even when every row is already in, each call records another run.
    annotations: { ...closedWorld, readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    input: importListToolInput,
    output: ImportRun,
    call: startImport,
    summary: (r) => `Import run ${r.runId} started (${r.status}) for list ${r.listName}: ${r.listTotal} rows. Follow it with get_import_run.`,
  }),
  tool({
    name: "get_import_run",
    title: "Read an import run",
    description: [
      "Where an import run stands, from its record (updated after every batch of 500 rows): the list, the campaign, listTotal (rows the list had when the run started), the counts so far, startedAt, and finishedAt once it has ended.",
      RUN_STATUSES,
      COUNTS,
      "httpStatus is what a synchronous import would have answered once the run has ended (200 complete, 206 partial or cancelled: imported so far, 422 nothing imported, 500 failed); null while queued or running.",
      "Call it with the runId that import_list returned, every few seconds, until httpStatus is set.",
    ].join("\n\n"),
    annotations: { ...readOnly, idempotentHint: true },
    input: importRunInput,
    output: ImportRun,
    call: (api, input) => api.campaign.importRun(input),
    summary: (r) =>
      `Run ${r.id} of list ${r.listName} into campaign ${r.campaignId}: ${r.status}${["queued", "running", "partial", "cancelled"].includes(r.status) ? " (imported so far)" : ""}; ${r.imported} imported, ${r.duplicates} duplicates, ${r.invalid} invalid, ${r.errors} errors; ${r.total} of ${r.listTotal} rows read.`,
  }),
  tool({
    name: "preview_import",
    title: "Preview importing a list into a campaign",
    description: [
      "Before import_list: what importing this list into this campaign would give right now, with nothing written. imported is how many new people would go in; duplicates by reason (already_in_campaign, repeated_in_list: an earlier row of the list has the same person); invalid by reason (missing_linkedin_url, placeholder_url for imported-* URLs, not_a_profile_url; for email campaigns missing_email, malformed_email).",
      "It is exact: an import right after it, with nothing changed, gives the same counts. Show it to the user before starting a large import. It reads the whole list, so it counts against the import rate limit.",
    ].join("\n\n"),
    annotations: { ...readOnly, idempotentHint: true },
    input: previewImportInput,
    output: ImportPreview,
    call: (api, input) => api.campaign.previewImport(input),
    summary: (p) => `${p.total} rows: ${p.imported} new, ${p.duplicates} duplicates, ${p.invalid} invalid.`,
  }),
  tool({
    name: "get_skipped_rows",
    title: "The rows an import run skipped, with reasons",
    description: [
      "After import_list: every row of the run that was not imported, in list order, each with listRowId, its linkedinUrl and name, the reason (missing_linkedin_url, placeholder_url, not_a_profile_url, missing_email, malformed_email, already_in_campaign, repeated_in_list with repeatsRowId naming the earlier row, batch_failed with the error's class) so the user can fix the list.",
      "Filter with reason; page with limit (at most 1000) and cursor = the nextCursor of the previous call, until nextCursor is null. A page may hold fewer rows than limit and still have a next one.",
    ].join("\n\n"),
    annotations: { ...readOnly, idempotentHint: true },
    input: skippedRowsInput,
    output: skippedRowsOutput,
    call: (api, input) => api.campaign.skippedRows(input),
    summary: ({ items, nextCursor }) => `${plural(items.length, "skipped row")}${nextCursor ? `; more after cursor ${nextCursor}` : ""}.`,
  }),
];
