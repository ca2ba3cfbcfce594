// Other people's data (OWASP API1, broken object-level authorization), keys (API2, broken
// authentication) and rate limits (API4, unrestricted resource consumption), walked over every
// route the OpenAPI document lists and every tRPC procedure the router has.
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { appRouter, createCaller } from "@/server/api/root";
import { openApiDocument } from "@/server/api/openapi";
import type { Context } from "@/server/api/trpc";
import { api, callerFor, makeUser, startRestServer, testDb, testJobs, testLimits, type RestServer, type TestUser, useRestServer } from "../helpers/context";
import { expectErrorBody, expectTrpcError, NIL_UUID } from "../helpers/foundation-assertions";
import { makeRows, seedCampaign, seedList } from "../helpers/import-fixtures";

const server = useRestServer();
let alice: TestUser; // the owner
let bob: TestUser; // the intruder
const a = { listId: "", campaignId: "", launchedId: "", runId: "", keyId: "" };
const b = { listId: "", campaignId: "" };

beforeAll(async () => {
  [alice, bob] = await Promise.all([makeUser(), makeUser()]);
  a.listId = (await seedList(testDb(), alice.id, makeRows({ complete: 5, placeholder: 1 }))).id;
  a.campaignId = await seedCampaign(testDb(), alice.id, "linkedin");
  a.launchedId = await seedCampaign(testDb(), alice.id, "email");
  const imported = await callerFor(alice.id).campaign.importList({ campaignId: a.campaignId, listId: a.listId });
  a.runId = imported.runId;
  a.keyId = (await testDb().prisma.apiKey.findFirstOrThrow({ where: { userId: alice.id } })).id;
  b.listId = (await seedList(testDb(), bob.id, makeRows({ complete: 3 }))).id;
  b.campaignId = await seedCampaign(testDb(), bob.id, "linkedin");
});

/** Alice's data as stored: nothing any test here does as Bob may change it. */
async function alicesState() {
  const db = testDb().prisma;
  return {
    lists: await db.list.findMany({ where: { userId: alice.id }, orderBy: { id: "asc" }, select: { id: true, name: true, rowCount: true } }),
    rows: await db.listRow.count({ where: { list: { userId: alice.id } } }),
    campaigns: await db.campaign.findMany({ where: { userId: alice.id }, orderBy: { id: "asc" }, select: { id: true, name: true, status: true, prospectCount: true } }),
    prospects: await db.prospect.count({ where: { campaign: { userId: alice.id } } }),
    runs: await db.importRun.count({ where: { userId: alice.id } }),
    keys: await db.apiKey.findMany({ where: { userId: alice.id }, select: { id: true, revokedAt: true } }),
  };
}

type Operation = { method: string; path: string; params: string[]; secured: boolean };

function documentedOperations(): Operation[] {
  const doc = openApiDocument();
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { parameters?: { name: string; in: string }[]; security?: unknown[] }>).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      params: (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name),
      secured: Array.isArray(op.security) && op.security.length > 0,
    })),
  );
}

/** A minimal valid body for each operation that takes one; the walk fails if a new route has none. */
function bodyFor(op: Operation, ids: { listId: string }): unknown {
  const bodies: Record<string, unknown> = {
    "POST /lists": { name: "walk", rows: [{ linkedin_url: "https://www.linkedin.com/in/walk" }] },
    "POST /lists/{listId}/rows": { rows: [{ linkedin_url: "https://www.linkedin.com/in/walk" }] },
    "POST /campaigns": { name: "walk", channel: "email" },
    "POST /campaigns/{campaignId}/launch": {},
    "POST /campaigns/{campaignId}/leads": { prospects: [{ email: "walk@example.com", linkedin_url: "https://www.linkedin.com/in/walk" }] },
    "POST /campaigns/{campaignId}/leads/import-from-list": { listId: ids.listId },
    "POST /campaigns/{campaignId}/leads/import-from-list/preview": { listId: ids.listId },
    "POST /imports/{runId}/cancel": {},
  };
  const key = `${op.method} ${op.path}`;
  if (op.method === "GET") return undefined;
  if (!(key in bodies)) throw new Error(`no body for ${key}: add one to the walk`);
  return bodies[key];
}

const fill = (path: string, ids: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => {
  if (!(name in ids)) throw new Error(`no id for path parameter ${name}`);
  return ids[name]!;
});

describe("object-level authorization: Bob gets 404 for everything of Alice's", () => {
  it("every route of the OpenAPI document that takes an id: 404 with Alice's ids, the same as for ids that exist nowhere", async () => {
    const before = await alicesState();
    const ops = documentedOperations();
    const withIds = ops.filter((op) => op.params.length > 0);
    expect(withIds.length).toBeGreaterThanOrEqual(8);
    const alicesIds = { listId: a.listId, campaignId: a.campaignId, runId: a.runId };
    const nowhere = { listId: randomUUID(), campaignId: randomUUID(), runId: randomUUID() };
    const nil = { listId: NIL_UUID, campaignId: NIL_UUID, runId: NIL_UUID };
    await Promise.all(
      withIds.map(async (op) => {
        const [mine, made, zero] = await Promise.all(
          [alicesIds, nowhere, nil].map((ids) => api(server, bob.apiKey, op.method, fill(op.path, ids), bodyFor(op, ids))),
        );
        // Alice's id and a made-up one are indistinguishable: the same 404 with the same kind of body.
        // (The import checks campaign and list at once, so when both are missing either may be named.)
        const named = op.path.includes("import-from-list") ? /^(campaign|list) not found$/ : /^(campaign|list|import run) not found$/;
        for (const res of [mine!, made!, zero!]) {
          expectErrorBody(res, 404, "NOT_FOUND");
          expect(res.body.message, `${op.method} ${op.path}`).toMatch(named);
        }
        if (!op.path.includes("import-from-list")) expect(mine!.body, `${op.method} ${op.path}`).toEqual(made!.body);
      }),
    );
    // Alice's launched-or-not campaign too: Bob can't launch it.
    expectErrorBody(await api(server, bob.apiKey, "POST", `/campaigns/${a.launchedId}/launch`, {}), 404, "NOT_FOUND");
    expect(await alicesState()).toEqual(before);
  });

  it("ids carried in the body: Bob importing Alice's list into his own campaign is a 404, and his campaign stays empty", async () => {
    const before = await alicesState();
    expectErrorBody(await api(server, bob.apiKey, "POST", `/campaigns/${b.campaignId}/leads/import-from-list`, { listId: a.listId }), 404, "NOT_FOUND");
    expectErrorBody(await api(server, bob.apiKey, "POST", `/campaigns/${a.campaignId}/leads/import-from-list`, { listId: b.listId }), 404, "NOT_FOUND");
    expect(await testDb().prisma.prospect.count({ where: { campaignId: b.campaignId } })).toBe(0);
    expect(await testDb().prisma.importRun.count({ where: { userId: bob.id } })).toBe(0);
    expect(await alicesState()).toEqual(before);
  });

  it("routes without an id: Bob's listings hold none of Alice's lists, campaigns or runs", async () => {
    const ops = documentedOperations().filter((op) => op.params.length === 0 && op.method === "GET");
    expect(ops.map((op) => op.path).sort()).toEqual(["/campaigns", "/lists"]);
    for (const op of ops) {
      const res = await api(server, bob.apiKey, "GET", op.path);
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of [a.listId, a.campaignId, a.launchedId, a.runId]) expect(text).not.toContain(id);
    }
    const bobsRuns = await api(server, bob.apiKey, "GET", `/campaigns/${b.campaignId}/imports`);
    expect(bobsRuns.body.runs).toEqual([]);
  });

  it("every tRPC procedure that takes an id: NOT_FOUND for Bob with Alice's ids, nothing changes", async () => {
    const before = await alicesState();
    const trpc = callerFor(bob.id) as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
    const inputs: Record<string, unknown> = {
      "list.appendRows": { listId: a.listId, rows: [{ linkedin_url: "https://www.linkedin.com/in/x" }] },
      "list.rows": { listId: a.listId },
      "campaign.get": { campaignId: a.campaignId },
      "campaign.launch": { campaignId: a.campaignId },
      "campaign.addProspects": { campaignId: a.campaignId, prospects: [{ email: "x@example.com" }] },
      "campaign.prospects": { campaignId: a.campaignId },
      "campaign.importList": { campaignId: a.campaignId, listId: a.listId },
      "campaign.importRuns": { campaignId: a.campaignId },
      "campaign.importRun": { runId: a.runId },
      "campaign.cancelImport": { runId: a.runId },
      "campaign.previewImport": { campaignId: a.campaignId, listId: a.listId },
      "campaign.skippedRows": { runId: a.runId },
      "apiKey.revoke": { keyId: a.keyId },
    };
    const withoutIds = ["list.create", "list.list", "campaign.create", "campaign.list", "apiKey.create", "apiKey.list"];
    const procedures = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures).sort();
    expect(procedures).toEqual([...Object.keys(inputs), ...withoutIds].sort());
    for (const [path, input] of Object.entries(inputs)) {
      const [group, name] = path.split(".") as [string, string];
      await expectTrpcError(trpc[group]![name]!(input), "NOT_FOUND");
      // Bob's own campaign with Alice's list: still not found.
      if (path === "campaign.importList") await expectTrpcError(trpc.campaign!.importList!({ campaignId: b.campaignId, listId: a.listId }), "NOT_FOUND");
    }
    expect(await alicesState()).toEqual(before);
    // Alice's key still works.
    expect((await api(server, alice.apiKey, "GET", `/campaigns/${a.campaignId}`)).status).toBe(200);
  });
});

describe("authentication on every route", () => {
  it("missing, malformed, unknown and revoked Bearer keys: 401 on every operation, nothing written", async () => {
    const revoked = await makeUser();
    await testDb().prisma.apiKey.updateMany({ where: { userId: revoked.id }, data: { revokedAt: new Date() } });
    const before = await alicesState();
    const headers: [string, Record<string, string>][] = [
      ["missing", {}],
      ["malformed: another scheme", { authorization: `Basic ${Buffer.from(`${alice.email}:${alice.password}`).toString("base64")}` }],
      ["malformed: no scheme", { authorization: alice.apiKey }],
      ["malformed: empty Bearer", { authorization: "Bearer " }],
      ["malformed: two tokens", { authorization: `Bearer ${alice.apiKey} ${alice.apiKey}` }],
      ["unknown", { authorization: `Bearer oc_${randomUUID().replaceAll("-", "")}` }],
      ["Alice's key with one character changed", { authorization: `Bearer ${alice.apiKey.slice(0, -1)}${alice.apiKey.endsWith("A") ? "B" : "A"}` }],
      ["revoked", { authorization: `Bearer ${revoked.apiKey}` }],
    ];
    const ops = documentedOperations();
    expect(ops.every((op) => op.secured)).toBe(true);
    const ids = { listId: a.listId, campaignId: a.campaignId, runId: a.runId };
    await Promise.all(
      ops.flatMap((op) =>
        headers.map(async ([label, header]) => {
          const body = bodyFor(op, ids);
          const res = await fetch(`${server.baseUrl}${fill(op.path, ids)}`, {
            method: op.method,
            headers: { ...header, ...(body === undefined ? {} : { "content-type": "application/json" }) },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          expect(res.status, `${label}: ${op.method} ${op.path}`).toBe(401);
          expectErrorBody({ status: res.status, body: await res.json(), headers: res.headers }, 401, "UNAUTHORIZED");
        }),
      ),
    );
    expect(await alicesState()).toEqual(before);
  });

  it("keys are stored only as SHA-256 hashes: no column of api_keys holds the key or its secret part", async () => {
    const { rows } = await testDb().pool.query<{ key_hash: string; row: string }>(
      `SELECT key_hash, row_to_json(k)::text AS row FROM api_keys k WHERE user_id = $1`,
      [alice.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).toBe(createHash("sha256").update(alice.apiKey).digest("hex"));
    expect(rows[0]!.row).not.toContain(alice.apiKey);
    expect(rows[0]!.row).not.toContain(alice.apiKey.slice(10)); // only the 10-character prefix is kept, to recognise a key
    const { rows: anywhere } = await testDb().pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys k WHERE row_to_json(k)::text LIKE '%' || $1 || '%'`,
      [alice.apiKey.slice(10)],
    );
    expect(anywhere[0]!.n).toBe(0);
  });

  it("creating, listing and revoking keys needs a session: FORBIDDEN through a key, UNAUTHORIZED anonymously", async () => {
    const base = { ...testDb(), response: { headers: {} }, limits: testLimits(), jobs: testJobs, preferAsync: false };
    const viaKey = createCaller({ ...base, caller: { kind: "user", userId: alice.id, via: "api_key", keyId: a.keyId } } satisfies Context);
    const anonymous = createCaller({ ...base, caller: { kind: "anonymous" } } satisfies Context);
    const before = await alicesState();
    await expectTrpcError(viaKey.apiKey.create({ name: "minted by a key" }), "FORBIDDEN");
    await expectTrpcError(viaKey.apiKey.list(), "FORBIDDEN");
    await expectTrpcError(viaKey.apiKey.revoke({ keyId: a.keyId }), "FORBIDDEN");
    await expectTrpcError(anonymous.apiKey.create({ name: "anonymous" }), "UNAUTHORIZED");
    await expectTrpcError(anonymous.apiKey.revoke({ keyId: a.keyId }), "UNAUTHORIZED");
    expect(await alicesState()).toEqual(before);
  });
});

describe("rate limits per API key", () => {
  let limited: RestServer;
  beforeAll(async () => {
    limited = await startRestServer(testDb(), testLimits(3)); // 3 a minute
  });
  afterAll(async () => {
    await limited.close();
  });

  it("the import endpoint: 429 with Retry-After after the burst, nothing written; another key is unaffected", async () => {
    const user = await makeUser();
    const list = await seedList(testDb(), user.id, makeRows({ complete: 2 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const path = `/campaigns/${campaignId}/leads/import-from-list`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api(limited, user.apiKey, "POST", path, { listId: list.id })).status);
    expect(statuses).toEqual([200, 422, 422]);
    const refused = await api(limited, user.apiKey, "POST", path, { listId: list.id });
    expectErrorBody(refused, 429, "TOO_MANY_REQUESTS");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await testDb().prisma.importRun.count({ where: { campaignId } })).toBe(3);
    // Reads are not limited, and other callers have their own budget.
    expect((await api(limited, user.apiKey, "GET", `/campaigns/${campaignId}`)).status).toBe(200);
    const other = await makeUser();
    const otherList = await seedList(testDb(), other.id, makeRows({ complete: 1 }));
    const otherCampaign = await seedCampaign(testDb(), other.id, "linkedin");
    expect((await api(limited, other.apiKey, "POST", `/campaigns/${otherCampaign}/leads/import-from-list`, { listId: otherList.id })).status).toBe(200);
  });

  it("writes: 429 with Retry-After after the burst; the refused write is not made", async () => {
    const user = await makeUser();
    for (let i = 0; i < 3; i++) expect((await api(limited, user.apiKey, "POST", "/lists", { name: `L${i}` })).status).toBe(200);
    const refused = await api(limited, user.apiKey, "POST", "/campaigns", { name: "C", channel: "email" });
    expectErrorBody(refused, 429, "TOO_MANY_REQUESTS");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await testDb().prisma.list.count({ where: { userId: user.id } })).toBe(3);
    expect(await testDb().prisma.campaign.count({ where: { userId: user.id } })).toBe(0);
    expect((await api(limited, user.apiKey, "GET", "/lists")).status).toBe(200);
  });

  it("a signed-in user (tRPC) is limited too, with the Retry-After hint on the response", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id, testDb(), testLimits(1));
    await trpc.list.create({ name: "one" });
    const error = await expectTrpcError(trpc.list.create({ name: "two" }), "TOO_MANY_REQUESTS");
    expect(error).toBeInstanceOf(TRPCError);
    expect(Number(trpc.ctx.response.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(await testDb().prisma.list.count({ where: { userId: user.id } })).toBe(1);
  });
});
