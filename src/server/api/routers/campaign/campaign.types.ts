import { z } from "zod";
import type { OpenApiMeta } from "trpc-to-openapi";
import { Count, NextCursor, NO_ID_ERRORS, PageInfo, Paging, parsedSynchronously, STANDARD_ERRORS, Uuid } from "../shared.types";
import { MAX_DEPTH, StorableName, unstorable } from "../list/list.types";
import { DuplicateReasons } from "./import-list.types";

export const Channel = z.enum(["email", "linkedin"]);

export const CampaignView = z
  .object({
    id: Uuid,
    name: z.string(),
    channel: Channel,
    status: z.enum(["draft", "active", "paused", "completed"]),
    stats: z.object({ prospectCount: Count.meta({ description: "Prospects in the campaign" }) }),
    createdAt: z.date(),
  })
  .meta({ id: "Campaign" });

export const campaignIdInput = z.object({ campaignId: Uuid });
export const listCampaignsInput = z.object({});
export const listCampaignsOutput = z.object({ campaigns: z.array(CampaignView) });
export const createCampaignInput = z.object({ name: StorableName(200), channel: Channel });

const optionalText = z.string().max(10_000).nullish();
export const ProspectInput = z
  .object({
    email: z.string().max(320).nullish(),
    linkedin_url: z.string().max(2048).nullish(),
    first_name: optionalText,
    last_name: optionalText,
    company: optionalText,
    position: optionalText,
    headline: optionalText,
    custom_fields: z.record(z.string(), z.unknown()).nullish().meta({ description: `Any JSON object, at most ${MAX_DEPTH} levels deep` }),
  })
  // Refused here with a 400 rather than by the database with a 500.
  .superRefine((prospect, ctx) => {
    for (const field in prospect) {
      const problem = unstorable(prospect[field as keyof typeof prospect]);
      if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem });
    }
  })
  .meta({ id: "ProspectInput" });

export const addProspectsInput = parsedSynchronously(z.object({ campaignId: Uuid, prospects: z.array(ProspectInput).min(1).max(1000) }));
export const addProspectsOutput = z.object({
  imported: Count.meta({ description: "Prospects inserted" }),
  duplicates: Count.meta({ description: "Prospects whose identity the campaign already held, or repeated in this call" }),
  duplicateReasons: DuplicateReasons,
});

export const listProspectsInput = z.object({ campaignId: Uuid, ...Paging });
export const listProspectsOutput = z.object({
  prospects: z.array(
    z.object({
      id: z.string(),
      email: z.string().nullable(),
      linkedin_url: z.string().nullable(),
      first_name: z.string().nullable(),
      last_name: z.string().nullable(),
      name: z.string().nullable(),
      company: z.string().nullable(),
      position: z.string().nullable(),
      headline: z.string().nullable(),
      custom_fields: z.record(z.string(), z.unknown()),
      source: z.string(),
      source_ref: z.string().nullable(),
      created_at: z.date(),
    }),
  ),
  ...PageInfo,
  nextCursor: NextCursor,
});

const tags = ["campaigns"];
export const meta = {
  create: {
    openapi: {
      method: "POST",
      path: "/campaigns",
      tags,
      summary: "Create a campaign (starts as draft)",
      description: "Creates an empty email or LinkedIn campaign in the draft status. Add prospects to it (directly or from a saved list), then launch it.",
      errorResponses: NO_ID_ERRORS,
      protect: true,
    },
  },
  list: {
    openapi: {
      method: "GET",
      path: "/campaigns",
      tags,
      summary: "Your campaigns",
      description: "Every campaign you own, newest first, each with its prospect count.",
      errorResponses: NO_ID_ERRORS,
      protect: true,
    },
  },
  get: {
    openapi: {
      method: "GET",
      path: "/campaigns/{campaignId}",
      tags,
      summary: "A campaign with its stats",
      description: "One campaign you own: its channel, status and prospect count.",
      errorResponses: STANDARD_ERRORS,
      protect: true,
    },
  },
  launch: {
    openapi: {
      method: "POST",
      path: "/campaigns/{campaignId}/launch",
      tags,
      summary: "Launch a draft campaign (draft → active)",
      description:
        "Moves a draft campaign to active; it then accepts no more prospects. Takes no input besides the path: send no body, or an empty JSON object. A campaign that is not a draft is a 400.",
      errorResponses: STANDARD_ERRORS,
      protect: true,
    },
  },
  addProspects: {
    openapi: {
      method: "POST",
      path: "/campaigns/{campaignId}/leads",
      tags,
      summary: "Add 1-1000 prospects (addCampaignProspects)",
      description:
        "Deduplicates within the call and against the campaign on the channel's normalised identity (email for email campaigns, LinkedIn URL for LinkedIn campaigns). A prospect without that identity refuses the whole call with a 400 naming its index, before anything is written. Only draft campaigns accept prospects.",
      errorResponses: STANDARD_ERRORS,
      protect: true,
    },
  },
  prospects: {
    openapi: {
      method: "GET",
      path: "/campaigns/{campaignId}/leads",
      tags,
      summary: "A page of a campaign's prospects",
      description: "The campaign's prospects in the order they were added, one page at a time (page from 1, limit up to 200).",
      errorResponses: STANDARD_ERRORS,
      protect: true,
    },
  },
} satisfies Record<string, OpenApiMeta>;
