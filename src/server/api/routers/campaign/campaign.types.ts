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

// A prospect's text fields and their longest lengths. The lengths are checked in the prospect's one
// refine below, not by a .max() on each field: zod runs each field's checks one by one, which was
// 0.4 ms of the 1.0 ms it took to validate 1000 prospects. The refine raises the same issue
// (too_big, with zod's own message) and the limit is still in the document (maxLength).
const TEXT_LIMITS = { email: 320, linkedin_url: 2048, first_name: 10_000, last_name: 10_000, company: 10_000, position: 10_000, headline: 10_000 } as const;
const text = (field: keyof typeof TEXT_LIMITS) => z.string().nullish().meta({ maxLength: TEXT_LIMITS[field] });

export const ProspectInput = z
  .object({
    email: text("email"),
    linkedin_url: text("linkedin_url"),
    first_name: text("first_name"),
    last_name: text("last_name"),
    company: text("company"),
    position: text("position"),
    headline: text("headline"),
    custom_fields: z.record(z.string(), z.unknown()).nullish().meta({ description: `Any JSON object, at most ${MAX_DEPTH} levels deep` }),
  })
  // Too long, or not storable (refused here with a 400 rather than by the database with a 500).
  .superRefine((prospect, ctx) => {
    for (const field in prospect) {
      const value = prospect[field as keyof typeof prospect];
      const max = TEXT_LIMITS[field as keyof typeof TEXT_LIMITS] as number | undefined;
      if (max !== undefined && typeof value === "string" && value.length > max) {
        ctx.addIssue({ code: "too_big", origin: "string", maximum: max, inclusive: true, path: [field], input: value });
        continue;
      }
      const problem = unstorable(value);
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
