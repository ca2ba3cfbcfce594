import { z } from "zod";
import type { OpenApiMeta } from "trpc-to-openapi";
import { Count, NextCursor, NO_ID_ERRORS, NonBlank, PageInfo, Paging, parsedSynchronously, STANDARD_ERRORS, Uuid } from "../shared.types";

export const MAX_DEPTH = 32;

/**
 * Why PostgreSQL could not store this value as text or jsonb, or null when it can: NUL
 * characters, lone UTF-16 surrogates (jsonb refuses "\\ud800"; text would silently turn it
 * into U+FFFD) and nesting deeper than maxDepth. Keys count as strings. The walk stops at
 * maxDepth, so a hostile million-level nesting can't exhaust the stack.
 */
export function unstorable(value: unknown, maxDepth = MAX_DEPTH, level = 0): string | null {
  if (typeof value === "string") {
    if (value.includes("\u0000")) return "must not contain NUL characters";
    if (!value.isWellFormed()) return "must be well-formed Unicode (no lone surrogates)";
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  if (level >= maxDepth) return `must not nest deeper than ${maxDepth} levels`;
  // for…in rather than Object.entries: no array per member on a path that sees every field of every row.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const problem = unstorable(key, maxDepth, level + 1) ?? unstorable((value as Record<string, unknown>)[key], maxDepth, level + 1);
    if (problem) return problem;
  }
  return null;
}

/** A required name: trimmed, not blank, at most max characters, storable (see unstorable). */
export const StorableName = (max: number) =>
  NonBlank(max).superRefine((value, ctx) => {
    const problem = unstorable(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const ListRowInput = z
  .object({
    linkedin_url: z.string().max(2048).nullish().meta({ description: "The person's LinkedIn URL, or an imported-* placeholder" }),
    profile_data: z.unknown().optional().meta({
      description: `Enrichment data: firstName, lastName, fullName, currentCompany, currentRole, headline, enrichment.work_email. At most ${MAX_DEPTH} levels deep.`,
    }),
  })
  // Refused here with a 400 rather than by the database with a 500.
  .superRefine((row, ctx) => {
    const url = unstorable(row.linkedin_url);
    if (url) ctx.addIssue({ code: "custom", path: ["linkedin_url"], message: url });
    const profile = unstorable(row.profile_data);
    if (profile) ctx.addIssue({ code: "custom", path: ["profile_data"], message: profile });
  })
  .meta({ id: "ListRowInput" });

const Rows = z.array(ListRowInput).min(1).max(1000);

export const ListSummary = z
  .object({ id: Uuid, name: z.string(), rowCount: Count.meta({ description: "Rows in the list" }), createdAt: z.date() })
  .meta({ id: "List" });

export const createListInput = parsedSynchronously(z.object({ name: StorableName(200), rows: Rows.optional() }));
export const appendRowsInput = parsedSynchronously(z.object({ listId: Uuid, rows: Rows }));
export const appendRowsOutput = z.object({ appended: Count.meta({ description: "Rows added by this call" }), rowCount: Count.meta({ description: "Rows in the list now" }) });
export const listListsInput = z.object({});
export const listListsOutput = z.object({ lists: z.array(ListSummary) });
export const listRowsInput = z.object({ listId: Uuid, ...Paging });
export const listRowsOutput = z.object({
  rows: z.array(z.object({ id: z.string(), linkedin_url: z.string().nullable(), profile_data: z.unknown() })),
  ...PageInfo,
  nextCursor: NextCursor,
});

const tags = ["lists"];
export const meta = {
  create: {
    openapi: {
      method: "POST",
      path: "/lists",
      tags,
      summary: "Create a list, optionally with its first rows (1-1000)",
      description: "Creates a saved list of people. Rows are stored as given; whether a row makes a valid prospect is decided when the list is imported into a campaign.",
      errorResponses: NO_ID_ERRORS,
      protect: true,
    },
  },
  appendRows: {
    openapi: {
      method: "POST",
      path: "/lists/{listId}/rows",
      tags,
      summary: "Append 1-1000 rows to a list",
      description: "Adds rows after the list's existing ones. Call it repeatedly to build a large list.",
      errorResponses: STANDARD_ERRORS,
      protect: true,
    },
  },
  list: {
    openapi: {
      method: "GET",
      path: "/lists",
      tags,
      summary: "Your lists with their row counts",
      description: "Every saved list you own, newest first.",
      errorResponses: NO_ID_ERRORS,
      protect: true,
    },
  },
  rows: {
    openapi: {
      method: "GET",
      path: "/lists/{listId}/rows",
      tags,
      summary: "A page of a list's rows",
      description: "The list's rows in the order they were added, one page at a time (page from 1, limit up to 200).",
      errorResponses: STANDARD_ERRORS,
      protect: true,
    },
  },
} satisfies Record<string, OpenApiMeta>;
