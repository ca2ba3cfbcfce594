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
import { ImportResult, ImportRun, importListInput, importRunInput } from "../api/routers/campaign/import-list.types";

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
  "Run status: running (the import is still going; its counts are what has been imported so far and grow after every batch of 500 rows),",
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
 * The one place the import_list tool starts an import: today the tRPC procedure
 * campaign.importList, which runs the domain's importList to the end in this request. When
 * imports run in the background, this becomes the call that starts a run.
 */
const startImport = (api: Api, input: z.input<typeof importListInput>) => api.campaign.importList(input);

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
      "Imports every row of a saved list (listId, from list_lists) into a draft campaign (campaignId) as prospects, and answers when the import has ended, with its counts, its outcome and its runId. Large lists take a while (tens of thousands of rows: tens of seconds).",
      "outcome is the run's status: complete, partial, nothing_imported or failed (as in get_import_run). On partial, the counts are what was imported so far: tell the user so, and call import_list again with the same arguments to import the rest (rows already in come back as duplicates).",
      COUNTS,
      "Every call records a new import run. Call get_import_run with the runId to read the run again, for example if this call was cut off: the run record is the truth about what went in.",
      "Errors: NOT_FOUND when the list or the campaign is not the caller's; BAD_REQUEST when the campaign is not a draft; CONFLICT when the same list is already being imported into the same campaign (wait, then retry); TOO_MANY_REQUESTS when over the import rate limit (the message says when to retry).",
    ].join("\n\n"),
    // Not idempotent: even when every row is already in, each call records another run.
    annotations: { ...closedWorld, readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    input: importListInput,
    output: ImportResult,
    call: startImport,
    summary: (r) =>
      `Import ${r.outcome}${r.outcome === "partial" ? " (imported so far)" : ""}: ${r.imported} imported, ${r.duplicates} duplicates, ${r.invalid} invalid, ${r.errors} errors of ${r.total} rows read. Run ${r.runId}.`,
  }),
  tool({
    name: "get_import_run",
    title: "Read an import run",
    description: [
      "Where an import run stands, from its record (updated after every batch of 500 rows): the list, the campaign, listTotal (rows the list had when the run started), the counts so far, startedAt, and finishedAt once it has ended.",
      RUN_STATUSES,
      COUNTS,
      "Call it with the runId that import_list returned: to check on a run that is still running (poll every few seconds until its status is no longer running), or to find out what a run did when its import_list call was cut off. A run whose server stopped mid-import is reported as partial.",
    ].join("\n\n"),
    annotations: { ...readOnly, idempotentHint: true },
    input: importRunInput,
    output: ImportRun,
    call: (api, input) => api.campaign.importRun(input),
    summary: (r) =>
      `Run ${r.id} of list ${r.listName} into campaign ${r.campaignId}: ${r.status}${r.status === "running" || r.status === "partial" ? " (imported so far)" : ""}; ${r.imported} imported, ${r.duplicates} duplicates, ${r.invalid} invalid, ${r.errors} errors; ${r.total} of ${r.listTotal} rows read.`,
  }),
];
