import { z } from "zod";
import type { OpenApiMeta } from "trpc-to-openapi";
import { NO_ID_ERRORS, NonBlank, Paging, STANDARD_ERRORS, Uuid } from "../shared.types";

const MAX_DEPTH = 32;

function depth(value: unknown, level = 0): number {
  if (level > MAX_DEPTH) return level;
  if (value === null || typeof value !== "object") return level;
  let deepest = level + 1;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child, level + 1));
  return deepest;
}

export const ListRowInput = z
  .object({
    linkedin_url: z.string().max(2048).nullish().meta({ description: "The person's LinkedIn URL, or an imported-* placeholder" }),
    profile_data: z.unknown().optional().meta({
      description: "Enrichment data: firstName, lastName, fullName, currentCompany, currentRole, headline, enrichment.work_email",
    }),
  })
  // PostgreSQL text and jsonb cannot hold NUL; deep nesting is refused before it reaches the database.
  .refine((row) => !JSON.stringify(row).includes("\\u0000"), "must not contain NUL characters")
  .refine((row) => depth(row.profile_data) <= MAX_DEPTH, `profile_data must not nest deeper than ${MAX_DEPTH} levels`)
  .meta({ id: "ListRowInput" });

const Rows = z.array(ListRowInput).min(1).max(1000);

export const ListSummary = z
  .object({ id: Uuid, name: z.string(), rowCount: z.number().int(), createdAt: z.date() })
  .meta({ id: "List" });

export const createListInput = z.object({ name: NonBlank(200), rows: Rows.optional() });
export const appendRowsInput = z.object({ listId: Uuid, rows: Rows });
export const appendRowsOutput = z.object({ appended: z.number().int(), rowCount: z.number().int() });
export const listRowsInput = z.object({ listId: Uuid, ...Paging });
export const listRowsOutput = z.object({
  rows: z.array(z.object({ id: z.string(), linkedin_url: z.string().nullable(), profile_data: z.unknown() })),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
});

const tags = ["lists"];
export const meta = {
  create: { openapi: { method: "POST", path: "/lists", tags, summary: "Create a list, optionally with its first rows (1-1000)", errorResponses: NO_ID_ERRORS, protect: true } },
  appendRows: { openapi: { method: "POST", path: "/lists/{listId}/rows", tags, summary: "Append 1-1000 rows to a list", errorResponses: STANDARD_ERRORS, protect: true } },
  list: { openapi: { method: "GET", path: "/lists", tags, summary: "Your lists with their row counts", errorResponses: NO_ID_ERRORS, protect: true } },
  rows: { openapi: { method: "GET", path: "/lists/{listId}/rows", tags, summary: "A page of a list's rows", errorResponses: STANDARD_ERRORS, protect: true } },
} satisfies Record<string, OpenApiMeta>;
