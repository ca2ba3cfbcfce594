// Shared checks for the foundation's integration tests: error bodies, ids that are not
// UUIDs, callers that authenticate with a key, and counts read back from the database.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { TRPCError } from "@trpc/server";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import { testDb } from "./context";

/** Well-formed UUIDs that name nothing. */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";
export const unknownId = () => randomUUID();

/** Values that are not UUIDs by the spec's pattern (versions 1-8, variant 8/9/a/b, nil, max). */
export const NOT_UUIDS = [
  "abc",
  "1",
  "not-a-uuid-at-all-not-a-uuid-at-all!",
  "3f9a2c1e8b7d4e6fa5c41b2d3e4f5a6b", // no dashes
  "3f9a2c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6", // one digit short
  "3f9a2c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b0", // one digit long
  "3f9a2c1e-8b7d-0e6f-a5c4-1b2d3e4f5a6b", // version 0
  "3f9a2c1e-8b7d-9e6f-a5c4-1b2d3e4f5a6b", // version 9
  "3f9a2c1e-8b7d-4e6f-c5c4-1b2d3e4f5a6b", // variant c
  "3f9a2c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6g", // not hex
  "{3f9a2c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b}",
  "' OR 1=1 --",
];

// Anything a client must never see in an error: stack frames, source paths, SQL, driver text.
const LEAKS =
  /\bat\s+[\w.<>]+\s+\(|\bat\s+(async\s+)?\/|\.(ts|js|mjs):\d+|node_modules|\bSELECT\b|\bINSERT\b|\bUPDATE\b|\bDELETE\b|\bFROM\s+\w+|prisma|postgres|pg-pool|relation "|violates|syntax error|duplicate key|stack/i;

/** A REST error: the status, and exactly the documented JSON body { message, code, issues? } with nothing internal in it. */
export function expectErrorBody(res: { status: number; body: any; headers: Headers }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(typeof res.body).toBe("object");
  expect(res.body.code).toBe(code);
  expect(typeof res.body.message).toBe("string");
  expect(res.body.message.length).toBeGreaterThan(0);
  expect(Object.keys(res.body).every((key) => ["message", "code", "issues"].includes(key)), Object.keys(res.body).join()).toBe(true);
  if (res.body.issues !== undefined) {
    for (const issue of res.body.issues) {
      expect(Object.keys(issue).sort()).toEqual(["message", "path"]);
      expect(typeof issue.message).toBe("string");
      expect(Array.isArray(issue.path)).toBe(true);
    }
  }
  expect(JSON.stringify(res.body)).not.toMatch(LEAKS);
}

/** The tRPC error a caller promise rejects with; asserts its code (and message, if given). */
export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"], message?: RegExp): Promise<TRPCError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected ${code}, got a result: ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  expect(trpcError.code, trpcError.message).toBe(code);
  if (message) expect(trpcError.message).toMatch(message);
  return trpcError;
}

/** A tRPC caller authenticated exactly as a request would be: through createContext and an Authorization header. */
export async function callerWithHeader(authorization: string | null, sessionUserId: string | null = null, db: Db = testDb()) {
  const ctx = await createContext({ authorization, sessionUserId: async () => sessionUserId, db });
  return Object.assign(createCaller(ctx), { ctx });
}

/** The campaign's stored stats and the real number of its prospects. */
export async function campaignCounts(campaignId: string, db: Db = testDb()) {
  const { rows } = await db.pool.query<{ stats: number; actual: number }>(
    `SELECT c.prospect_count AS stats, (SELECT count(*) FROM prospects p WHERE p.campaign_id = c.id)::int AS actual
     FROM campaigns c WHERE c.id = $1`,
    [campaignId],
  );
  return rows[0]!;
}

/** Asserts the campaign's stats equal its real prospect count, and returns that count. */
export async function expectStatsMatch(campaignId: string, db: Db = testDb()): Promise<number> {
  const { stats, actual } = await campaignCounts(campaignId, db);
  expect(stats).toBe(actual);
  return actual;
}

/** The list's stored row_count and the real number of its rows. */
export async function listCounts(listId: string, db: Db = testDb()) {
  const { rows } = await db.pool.query<{ stored: number; actual: number }>(
    `SELECT l.row_count AS stored, (SELECT count(*) FROM list_rows r WHERE r.list_id = l.id)::int AS actual FROM lists l WHERE l.id = $1`,
    [listId],
  );
  return rows[0]!;
}

export async function expectRowCountMatch(listId: string, db: Db = testDb()): Promise<number> {
  const { stored, actual } = await listCounts(listId, db);
  expect(stored).toBe(actual);
  return actual;
}
