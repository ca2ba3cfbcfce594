// Who may call: Bearer keys (missing, malformed, unknown, revoked), sessions, and the rule
// that a wrong Bearer header is a 401 even beside a valid session. API keys are managed
// from a session only. Error bodies never carry stacks or SQL.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createDb } from "@/server/db";
import { resolveCaller } from "@/server/auth/caller";
import { createUser, verifyCredentials } from "@/server/domain/users";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { handleRestRequest } from "@/server/api/rest-handler";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { openApiDocument } from "@/server/api/openapi";
import { api, callerFor, makeUser, startRestServer, testDb, testLimits, type TestUser, useRestServer } from "../helpers/context";
import { callerWithHeader, expectErrorBody, expectTrpcError, unknownId } from "../helpers/foundation-assertions";

const server = useRestServer();
let alice: TestUser;

beforeAll(async () => {
  alice = await makeUser();
});

/** Every REST operation in the OpenAPI document, with path parameters filled in. */
function operations(id: string = unknownId()) {
  const doc = openApiDocument();
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item as object).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{\w+\}/g, id) })),
  );
}

async function rawRequest(headers: Record<string, string>, method = "GET", path = "/lists", body?: unknown) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

describe("REST: the Authorization header", () => {
  it("a live key is accepted, with Bearer in any case", async () => {
    expect((await rawRequest({ authorization: `Bearer ${alice.apiKey}` })).status).toBe(200);
    expect((await rawRequest({ authorization: `bearer ${alice.apiKey}` })).status).toBe(200);
  });

  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  it.each<[string, (key: string) => string | null]>([
    ["missing", () => null],
    ["empty", () => ""],
    ["Bearer without a key", () => "Bearer"],
    ["Bearer and spaces", () => "Bearer    "],
    ["another scheme", () => "Basic dXNlcjpwYXNz"],
    ["the key without Bearer", (key) => key],
    ["two tokens", (key) => `Bearer ${key} extra`],
    ["an unknown key", () => "Bearer oc_thisKeyWasNeverIssuedToAnyone000"],
    ["a truncated key", (key) => `Bearer ${key.slice(0, -1)}`],
    ["the key's prefix", (key) => `Bearer ${key.slice(0, 10)}`],
    ["the key's stored hash", (key) => `Bearer ${sha256(key)}`],
  ])("401 for %s", async (_label, header) => {
    const value = header(alice.apiKey);
    expectErrorBody(await rawRequest(value === null ? {} : { authorization: value }), 401, "UNAUTHORIZED");
  });

  it("every operation in the document is a 401 without a key, before its input is read", async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(13);
    for (const { method, path } of ops) {
      const body = method === "GET" ? undefined : {};
      expectErrorBody(await api(server, null, method, path, body), 401, "UNAUTHORIZED");
      // Not-a-UUID ids and bad bodies don't reveal anything to an anonymous caller either.
      expectErrorBody(await api(server, "oc_wrong", method, path.replace(/[0-9a-f-]{36}/g, "not-a-uuid"), body), 401, "UNAUTHORIZED");
    }
  });

  it("a revoked key is a 401 on every operation, and writes nothing", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id);
    const campaign = await trpc.campaign.create({ name: "C", channel: "email" });
    const { id } = (await trpc.apiKey.list()).find((k) => k.name === "test key")!;
    expect((await api(server, user.apiKey, "GET", `/campaigns/${campaign.id}`)).status).toBe(200);
    await trpc.apiKey.revoke({ keyId: id });
    const revoked = await api(server, user.apiKey, "POST", `/campaigns/${campaign.id}/leads`, { prospects: [{ email: "a@example.com" }] });
    expectErrorBody(revoked, 401, "UNAUTHORIZED");
    for (const op of operations(campaign.id)) {
      expectErrorBody(await api(server, user.apiKey, op.method, op.path, op.method === "GET" ? undefined : {}), 401, "UNAUTHORIZED");
    }
    expect(await testDb().prisma.prospect.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it("unknown and revoked keys get the same answer", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id);
    const { id } = (await trpc.apiKey.list())[0]!;
    await trpc.apiKey.revoke({ keyId: id });
    const revoked = await api(server, user.apiKey, "GET", "/lists");
    const unknown = await api(server, "oc_neverIssuedneverIssuedneverIssued", "GET", "/lists");
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual(unknown.body);
  });

  it("a key records when it was last used", async () => {
    const user = await makeUser();
    const before = await testDb().prisma.apiKey.findFirstOrThrow({ where: { userId: user.id } });
    expect(before.lastUsedAt).toBeNull();
    await api(server, user.apiKey, "GET", "/lists");
    const after = await testDb().prisma.apiKey.findFirstOrThrow({ where: { userId: user.id } });
    expect(after.lastUsedAt).not.toBeNull();
  });
});

describe("a wrong Bearer beside a valid session is still a 401", () => {
  it("resolveCaller: a header, however wrong, is never replaced by the session", async () => {
    const db = testDb();
    const session = async () => alice.id;
    expect(await resolveCaller(db, null, session)).toEqual({ kind: "user", userId: alice.id, via: "session" });
    expect(await resolveCaller(db, null, async () => null)).toEqual({ kind: "anonymous" });
    expect(await resolveCaller(db, `Bearer ${alice.apiKey}`, session)).toMatchObject({ kind: "user", userId: alice.id, via: "api_key" });
    for (const header of ["", "Bearer", "Basic abc", "Bearer oc_unknown", `Bearer ${alice.apiKey}x`]) {
      expect(await resolveCaller(db, header, session), header).toMatchObject({ kind: "rejected" });
    }
  });

  it("createContext + tRPC caller: UNAUTHORIZED with a wrong key and a session; a session alone works", async () => {
    const withSessionOnly = await callerWithHeader(null, alice.id);
    expect((await withSessionOnly.list.list({})).lists).toBeInstanceOf(Array);
    for (const header of ["Bearer oc_wrong", "Basic abc", "Bearer"]) {
      const trpc = await callerWithHeader(header, alice.id);
      await expectTrpcError(trpc.list.list({}), "UNAUTHORIZED");
      await expectTrpcError(trpc.campaign.create({ name: "C", channel: "email" }), "UNAUTHORIZED");
      await expectTrpcError(trpc.apiKey.list(), "UNAUTHORIZED");
    }
    await expectTrpcError((await callerWithHeader(null, null)).list.list({}), "UNAUTHORIZED");
    expect(await testDb().prisma.campaign.count({ where: { userId: alice.id, name: "C" } })).toBe(0);
  });

  it("a revoked key beside a valid session is UNAUTHORIZED", async () => {
    const user = await makeUser();
    const { id } = (await callerFor(user.id).apiKey.list())[0]!;
    await callerFor(user.id).apiKey.revoke({ keyId: id });
    await expectTrpcError((await callerWithHeader(`Bearer ${user.apiKey}`, user.id)).list.list({}), "UNAUTHORIZED");
  });

  it("the REST handler with a session: no header works, a wrong header is a 401", async () => {
    const call = async (authorization?: string) => {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const res = await handleRestRequest(new Request("http://localhost/api/lists", { headers }), {
        sessionUserId: async () => alice.id,
        db: testDb(),
        limits: testLimits(),
      });
      return { status: res.status, body: await res.json(), headers: res.headers };
    };
    expect((await call()).status).toBe(200);
    expectErrorBody(await call("Bearer oc_wrong"), 401, "UNAUTHORIZED");
    expectErrorBody(await call("Token abc"), 401, "UNAUTHORIZED");
  });
});

describe("tRPC over HTTP (the fetch adapter the Next route uses)", () => {
  const call = async (authorization: string | null, session: string | null) => {
    const headers: Record<string, string> = authorization === null ? {} : { authorization };
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://localhost/api/trpc/list.list?input=${encodeURIComponent("{}")}`, { headers }),
      router: appRouter,
      createContext: () => createContext({ authorization, sessionUserId: async () => session, db: testDb(), limits: testLimits() }),
    });
    return { status: res.status, text: await res.text() };
  };

  it("a session works; a wrong or revoked Bearer beside it is a 401; no stack in the body", async () => {
    expect((await call(null, alice.id)).status).toBe(200);
    expect((await call(`Bearer ${alice.apiKey}`, null)).status).toBe(200);
    for (const header of ["Bearer oc_wrong", "Basic abc", ""]) {
      const res = await call(header, alice.id);
      expect(res.status, header).toBe(401);
      expect(res.text).not.toMatch(/stack|node_modules|\.ts:\d+/);
    }
    expect((await call(null, null)).status).toBe(401);
  });
});

describe("API keys through the tRPC caller", () => {
  it("create shows the key once; only its hash and prefix are stored; list never shows it", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id);
    const created = await trpc.apiKey.create({ name: "  CI pipeline " });
    expect(created.key).toMatch(/^oc_[A-Za-z0-9_-]{32}$/);
    expect(created).toMatchObject({ name: "CI pipeline", prefix: created.key.slice(0, 10) });

    const { rows } = await testDb().pool.query("SELECT * FROM api_keys WHERE id = $1", [created.id]);
    expect(rows[0].key_hash).toBe(createHash("sha256").update(created.key).digest("hex"));
    expect(JSON.stringify(rows[0])).not.toContain(created.key);

    const listed = await trpc.apiKey.list();
    expect(listed.map((k) => k.name).sort()).toEqual(["CI pipeline", "test key"]);
    const shown = listed.find((k) => k.id === created.id)!;
    expect(Object.keys(shown).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt"]);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    expect((await api(server, created.key, "GET", "/lists")).status).toBe(200);
  });

  it("revoke: the key stops working at once; revoking again is harmless; other keys keep working", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id);
    const second = await trpc.apiKey.create({ name: "second" });
    expect(await trpc.apiKey.revoke({ keyId: second.id })).toEqual({ revoked: true });
    expect(await trpc.apiKey.revoke({ keyId: second.id })).toEqual({ revoked: true });
    const row = await testDb().prisma.apiKey.findUniqueOrThrow({ where: { id: second.id } });
    expect(row.revokedAt).not.toBeNull();
    expect((await trpc.apiKey.list()).find((k) => k.id === second.id)!.revokedAt).not.toBeNull();
    expectErrorBody(await api(server, second.key, "GET", "/lists"), 401, "UNAUTHORIZED");
    expect((await api(server, user.apiKey, "GET", "/lists")).status).toBe(200);
  });

  it("another user's key can't be revoked or seen: NOT_FOUND, and it keeps working", async () => {
    const owner = await makeUser();
    const intruder = await makeUser();
    const { id } = (await callerFor(owner.id).apiKey.list())[0]!;
    await expectTrpcError(callerFor(intruder.id).apiKey.revoke({ keyId: id }), "NOT_FOUND");
    await expectTrpcError(callerFor(intruder.id).apiKey.revoke({ keyId: unknownId() }), "NOT_FOUND");
    expect((await callerFor(intruder.id).apiKey.list()).map((k) => k.id)).not.toContain(id);
    expect((await api(server, owner.apiKey, "GET", "/lists")).status).toBe(200);
  });

  it("BAD_REQUEST for a blank name and a keyId that is not a UUID", async () => {
    const trpc = callerFor(alice.id);
    await expectTrpcError(trpc.apiKey.create({ name: "   " }), "BAD_REQUEST");
    await expectTrpcError(trpc.apiKey.create({ name: "k".repeat(101) }), "BAD_REQUEST");
    await expectTrpcError(trpc.apiKey.revoke({ keyId: "abc" }), "BAD_REQUEST");
  });

  it("a key cannot manage keys: FORBIDDEN for create, list and revoke, and nothing changes", async () => {
    const user = await makeUser();
    const viaKey = await callerWithHeader(`Bearer ${user.apiKey}`);
    const { id } = (await callerFor(user.id).apiKey.list())[0]!;
    await expectTrpcError(viaKey.apiKey.create({ name: "minted by a key" }), "FORBIDDEN");
    await expectTrpcError(viaKey.apiKey.list(), "FORBIDDEN");
    await expectTrpcError(viaKey.apiKey.revoke({ keyId: id }), "FORBIDDEN");
    const keys = await testDb().prisma.apiKey.findMany({ where: { userId: user.id } });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.revokedAt).toBeNull();
    // The same key still works for everything else.
    expect((await viaKey.list.list({})).lists).toEqual([]);
  });

  it("no key management on the REST API", async () => {
    const paths = Object.keys(openApiDocument().paths ?? {});
    expect(paths.filter((p) => /key/i.test(p))).toEqual([]);
    for (const path of ["/apiKey.create", "/apiKey/create", "/api-keys", "/keys"]) {
      expect((await api(server, alice.apiKey, "POST", path, { name: "x" })).status).toBe(404);
    }
  });
});

describe("users (sign-in accounts)", () => {
  it("createUser normalises the email, hashes the password and refuses bad input", async () => {
    const email = `New.User-${Date.now()}@Example.com`;
    const created = await createUser(testDb().prisma, { email: `  ${email} `, password: "long enough pw" });
    expect(created.email).toBe(email.toLowerCase());
    const row = await testDb().prisma.user.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.passwordHash).not.toContain("long enough pw");
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
    await expect(createUser(testDb().prisma, { email: "not-an-email", password: "long enough pw" })).rejects.toMatchObject({ kind: "invalid" });
    await expect(createUser(testDb().prisma, { email: "short@example.com", password: "short" })).rejects.toMatchObject({ kind: "invalid" });
    await expect(createUser(testDb().prisma, { email: email.toUpperCase(), password: "long enough pw" })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("two sign-ups with one email at once: one account, the other a conflict (not a 500)", async () => {
    const email = `race-${Date.now()}@example.com`;
    const results = await Promise.allSettled([1, 2, 3].map(() => createUser(testDb().prisma, { email, password: "long enough pw" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason).toMatchObject({ kind: "conflict" });
    expect(await testDb().prisma.user.count({ where: { email } })).toBe(1);
  });

  it("verifyCredentials: the right password, any case of the email; nothing otherwise", async () => {
    const user = await makeUser();
    expect(await verifyCredentials(testDb().prisma, user.email.toUpperCase(), user.password)).toMatchObject({ id: user.id });
    expect(await verifyCredentials(testDb().prisma, user.email, "wrong password")).toBeNull();
    expect(await verifyCredentials(testDb().prisma, "nobody@example.com", user.password)).toBeNull();
    expect(await verifyCredentials(testDb().prisma, "not an email", user.password)).toBeNull();
  });
});

describe("error bodies", () => {
  it("an internal failure is a 500 with a plain message: no SQL, stack or database name", async () => {
    const url = new URL(inject("databaseUrl"));
    url.pathname = "/no_such_database_for_this_test";
    const broken = createDb(url.toString(), 1);
    const brokenServer = await startRestServer(broken);
    try {
      const res = await api(brokenServer, alice.apiKey, "GET", "/lists");
      expectErrorBody(res, 500, "INTERNAL_SERVER_ERROR");
      expect(res.body.message).toBe("Internal server error");
      expect(JSON.stringify(res.body)).not.toContain("no_such_database");
    } finally {
      await brokenServer.close();
      await broken.pool.end().catch(() => {});
    }
  });

  it("validation errors list each issue's message and path, nothing else", async () => {
    const res = await api(server, alice.apiKey, "POST", "/campaigns", { name: "", channel: "fax" });
    expectErrorBody(res, 400, "BAD_REQUEST");
    expect(res.body.issues.map((i: { path: unknown[] }) => i.path)).toEqual([["name"], ["channel"]]);
  });

  it("an unknown route is a JSON 404", async () => {
    expectErrorBody(await api(server, alice.apiKey, "GET", "/no/such/route"), 404, "NOT_FOUND");
  });

  it("a body over 10 MB is a 413 before it is read", async () => {
    const res = await api(server, alice.apiKey, "POST", "/lists", { name: "big", rows: [{ profile_data: { blob: "x".repeat(11 * 1024 * 1024) } }] });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });
});
