// Saved lists through real HTTP (Bearer key) and through the tRPC caller (session):
// create, append rows, list, page rows; every 4xx; ownership; row_count kept right.
import { beforeAll, describe, expect, it } from "vitest";
import { api, callerFor, makeUser, testDb, type TestUser, useRestServer } from "../helpers/context";
import { createList } from "@/server/domain/lists";
import { expectErrorBody, expectRowCountMatch, expectTrpcError, listCounts, NIL_UUID, NOT_UUIDS, unknownId } from "../helpers/foundation-assertions";

const server = useRestServer();
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  [alice, bob] = await Promise.all([makeUser(), makeUser()]);
});

const row = (i: number) => ({
  linkedin_url: `https://www.linkedin.com/in/person-${i}`,
  profile_data: { firstName: `First${i}`, lastName: `Last${i}`, enrichment: { work_email: `p${i}@example.com` } },
});
const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => row(from + i));

async function listsOf(userId: string) {
  return testDb().prisma.list.count({ where: { userId } });
}

describe("POST /api/lists", () => {
  it("creates an empty list", async () => {
    const res = await api(server, alice.apiKey, "POST", "/lists", { name: "  Founders  " });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Founders", rowCount: 0 });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(res.body.createdAt).toString()).not.toBe("Invalid Date");
    const stored = await testDb().prisma.list.findUnique({ where: { id: res.body.id } });
    expect(stored).toMatchObject({ userId: alice.id, name: "Founders", rowCount: 0 });
  });

  it("creates a list with its first rows, stored in order with their profile data", async () => {
    const res = await api(server, alice.apiKey, "POST", "/lists", {
      name: "With rows",
      rows: [...rows(3), { linkedin_url: null }, { profile_data: { note: "no url" } }, {}],
    });
    expect(res.status).toBe(200);
    expect(res.body.rowCount).toBe(6);
    expect(await expectRowCountMatch(res.body.id)).toBe(6);
    const stored = await testDb().prisma.listRow.findMany({ where: { listId: res.body.id }, orderBy: { id: "asc" } });
    expect(stored.map((r) => r.linkedinUrl)).toEqual([...rows(3).map((r) => r.linkedin_url), null, null, null]);
    expect(stored[0]!.profileData).toEqual(row(0).profile_data);
    expect(stored[4]!.profileData).toEqual({ note: "no url" });
    expect(stored[5]!.profileData).toBeNull();
  });

  it("accepts exactly 1000 rows", async () => {
    const res = await api(server, alice.apiKey, "POST", "/lists", { name: "Thousand", rows: rows(1000) });
    expect(res.status).toBe(200);
    expect(res.body.rowCount).toBe(1000);
    expect(await expectRowCountMatch(res.body.id)).toBe(1000);
  });

  it.each([
    ["no name", {}],
    ["empty name", { name: "" }],
    ["blank name", { name: "   " }],
    ["name too long", { name: "x".repeat(201) }],
    ["name not a string", { name: 42 }],
    ["name with NUL", { name: "a\u0000b" }],
    ["empty rows", { name: "L", rows: [] }],
    ["1001 rows", { name: "L", rows: rows(1001) }],
    ["rows not an array", { name: "L", rows: { linkedin_url: "x" } }],
    ["row url not a string", { name: "L", rows: [{ linkedin_url: 7 }] }],
    ["row url too long", { name: "L", rows: [{ linkedin_url: "x".repeat(2049) }] }],
    ["NUL in profile data", { name: "L", rows: [{ profile_data: { a: "x\u0000y" } }] }],
    ["NUL in a profile data key", { name: "L", rows: [{ profile_data: { "a\u0000": 1 } }] }],
    ["lone surrogate in profile data", { name: "L", rows: [{ profile_data: { a: "\ud800" } }] }],
    ["lone surrogate in the url", { name: "L", rows: [{ linkedin_url: "https://www.linkedin.com/in/\udc00" }] }],
    ["profile data nested 33 levels", { name: "L", rows: [{ profile_data: nest(33) }] }],
  ])("400 for %s, and no list is written", async (_label, body) => {
    const before = await listsOf(alice.id);
    const res = await api(server, alice.apiKey, "POST", "/lists", body);
    expectErrorBody(res, 400, "BAD_REQUEST");
    expect(await listsOf(alice.id)).toBe(before);
  });

  it("accepts profile data nested 32 levels", async () => {
    const res = await api(server, alice.apiKey, "POST", "/lists", { name: "Deep", rows: [{ profile_data: nest(32) }] });
    expect(res.status).toBe(200);
  });

  it("400 for profile data nested 100000 levels (no stack overflow, no 500)", async () => {
    const depth = 100_000;
    const body = `{"name":"Deep","rows":[{"profile_data":${'{"a":'.repeat(depth)}{}${"}".repeat(depth)}}]}`;
    const before = await listsOf(alice.id);
    const res = await fetch(`${server.baseUrl}/lists`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.apiKey}`, "content-type": "application/json" },
      body,
    });
    expectErrorBody({ status: res.status, body: await res.json(), headers: res.headers }, 400, "BAD_REQUEST");
    expect(await listsOf(alice.id)).toBe(before);
  });

  it("400 PARSE_ERROR for malformed JSON", async () => {
    const res = await fetch(`${server.baseUrl}/lists`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.apiKey}`, "content-type": "application/json" },
      body: '{"name": "x",',
    });
    expectErrorBody({ status: res.status, body: await res.json(), headers: res.headers }, 400, "PARSE_ERROR");
  });

  it("415 for a body that is not JSON", async () => {
    const res = await fetch(`${server.baseUrl}/lists`, { method: "POST", headers: { authorization: `Bearer ${alice.apiKey}` }, body: "name=x" });
    expectErrorBody({ status: res.status, body: await res.json(), headers: res.headers }, 415, "UNSUPPORTED_MEDIA_TYPE");
  });
});

/** { a: { a: … } } nested n objects deep, built without recursion. */
function nest(n: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < n; i++) value = { a: value };
  return value;
}

describe("POST /api/lists/{listId}/rows", () => {
  it("appends 1 and 1000 rows and keeps row_count equal to the rows", async () => {
    const list = await api(server, alice.apiKey, "POST", "/lists", { name: "Growing", rows: rows(2) });
    const one = await api(server, alice.apiKey, "POST", `/lists/${list.body.id}/rows`, { rows: rows(1, 2) });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ appended: 1, rowCount: 3 });
    const thousand = await api(server, alice.apiKey, "POST", `/lists/${list.body.id}/rows`, { rows: rows(1000, 3) });
    expect(thousand.body).toEqual({ appended: 1000, rowCount: 1003 });
    expect(await expectRowCountMatch(list.body.id)).toBe(1003);
    const listed = await api(server, alice.apiKey, "GET", "/lists");
    expect(listed.body.lists.find((l: { id: string }) => l.id === list.body.id).rowCount).toBe(1003);
  });

  it("keeps row_count right under concurrent appends", async () => {
    const list = await api(server, alice.apiKey, "POST", "/lists", { name: "Concurrent" });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api(server, alice.apiKey, "POST", `/lists/${list.body.id}/rows`, { rows: rows(25, i * 25) })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(Math.max(...results.map((r) => r.body.rowCount))).toBe(200);
    expect(await expectRowCountMatch(list.body.id)).toBe(200);
  });

  it.each([
    ["no rows", {}],
    ["empty rows", { rows: [] }],
    ["1001 rows", { rows: rows(1001) }],
    ["NUL in a url", { rows: [{ linkedin_url: "https://www.linkedin.com/in/a\u0000" }] }],
  ])("400 for %s, and nothing is appended", async (_label, body) => {
    const list = await api(server, alice.apiKey, "POST", "/lists", { name: "Bounds", rows: rows(1) });
    const res = await api(server, alice.apiKey, "POST", `/lists/${list.body.id}/rows`, body);
    expectErrorBody(res, 400, "BAD_REQUEST");
    expect(await listCounts(list.body.id)).toEqual({ stored: 1, actual: 1 });
  });

  it.each(NOT_UUIDS)("400 for the list id %j", async (id) => {
    const res = await api(server, alice.apiKey, "POST", `/lists/${encodeURIComponent(id)}/rows`, { rows: rows(1) });
    expectErrorBody(res, 400, "BAD_REQUEST");
  });

  it("404 for a missing list and for another user's list, with the same body; nothing is written", async () => {
    const alices = await api(server, alice.apiKey, "POST", "/lists", { name: "Alice's", rows: rows(2) });
    const foreign = await api(server, bob.apiKey, "POST", `/lists/${alices.body.id}/rows`, { rows: rows(5) });
    const missing = await api(server, bob.apiKey, "POST", `/lists/${unknownId()}/rows`, { rows: rows(5) });
    const nil = await api(server, bob.apiKey, "POST", `/lists/${NIL_UUID}/rows`, { rows: rows(5) });
    expectErrorBody(foreign, 404, "NOT_FOUND");
    expectErrorBody(missing, 404, "NOT_FOUND");
    expectErrorBody(nil, 404, "NOT_FOUND");
    expect(foreign.body).toEqual(missing.body);
    expect(nil.body).toEqual(missing.body);
    expect(await listCounts(alices.body.id)).toEqual({ stored: 2, actual: 2 });
  });
});

describe("GET /api/lists", () => {
  it("lists only the caller's lists, newest first, with row counts", async () => {
    const owner = await makeUser();
    const other = await makeUser();
    const first = await api(server, owner.apiKey, "POST", "/lists", { name: "First", rows: rows(2) });
    const second = await api(server, owner.apiKey, "POST", "/lists", { name: "Second" });
    await api(server, other.apiKey, "POST", "/lists", { name: "Someone else's" });
    const res = await api(server, owner.apiKey, "GET", "/lists");
    expect(res.status).toBe(200);
    expect(res.body.lists.map((l: { id: string }) => l.id)).toEqual([second.body.id, first.body.id]);
    expect(res.body.lists[1]).toMatchObject({ name: "First", rowCount: 2 });
    const others = await api(server, other.apiKey, "GET", "/lists");
    expect(others.body.lists).toHaveLength(1);
    expect(others.body.lists[0].name).toBe("Someone else's");
  });

  it("an empty array for a user with no lists", async () => {
    const fresh = await makeUser();
    const res = await api(server, fresh.apiKey, "GET", "/lists");
    expect(res).toMatchObject({ status: 200, body: { lists: [] } });
  });
});

describe("GET /api/lists/{listId}/rows", () => {
  let listId: string;
  beforeAll(async () => {
    const res = await api(server, alice.apiKey, "POST", "/lists", { name: "Paged", rows: rows(7) });
    listId = res.body.id;
  });

  it("pages through the rows in insertion order, each exactly once", async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await api(server, alice.apiKey, "GET", `/lists/${listId}/rows?page=${page}&limit=3`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 7, page, limit: 3 });
      seen.push(...res.body.rows.map((r: { linkedin_url: string }) => r.linkedin_url));
    }
    expect(seen).toEqual(rows(7).map((r) => r.linkedin_url));
    const beyond = await api(server, alice.apiKey, "GET", `/lists/${listId}/rows?page=4&limit=3`);
    expect(beyond.body).toMatchObject({ rows: [], total: 7, page: 4, limit: 3 });
  });

  it("returns each row's id, url and profile data; defaults to page 1, limit 50", async () => {
    const res = await api(server, alice.apiKey, "GET", `/lists/${listId}/rows`);
    expect(res.body).toMatchObject({ total: 7, page: 1, limit: 50 });
    expect(res.body.rows).toHaveLength(7);
    expect(res.body.rows[0]).toEqual({ id: expect.stringMatching(/^\d+$/), ...row(0) });
    const ids = res.body.rows.map((r: { id: string }) => BigInt(r.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
  });

  it.each([
    ["page=0", "page=0"],
    ["page=-1", "page=-1"],
    ["page=abc", "page=abc"],
    ["page=1.5", "page=1.5"],
    ["limit=0", "limit=0"],
    ["limit=201", "limit=201"],
  ])("400 for %s", async (_label, query) => {
    expectErrorBody(await api(server, alice.apiKey, "GET", `/lists/${listId}/rows?${query}`), 400, "BAD_REQUEST");
  });

  it("accepts limit=200", async () => {
    expect((await api(server, alice.apiKey, "GET", `/lists/${listId}/rows?limit=200`)).status).toBe(200);
  });

  it.each(NOT_UUIDS)("400 for the list id %j", async (id) => {
    expectErrorBody(await api(server, alice.apiKey, "GET", `/lists/${encodeURIComponent(id)}/rows`), 400, "BAD_REQUEST");
  });

  it("404 for a missing list and for another user's list, with the same body", async () => {
    const foreign = await api(server, bob.apiKey, "GET", `/lists/${listId}/rows`);
    const missing = await api(server, bob.apiKey, "GET", `/lists/${unknownId()}/rows`);
    expectErrorBody(foreign, 404, "NOT_FOUND");
    expectErrorBody(missing, 404, "NOT_FOUND");
    expect(foreign.body).toEqual(missing.body);
  });
});

describe("createList (domain) is one unit", () => {
  it("a row the database refuses leaves no empty list behind", async () => {
    const user = await makeUser();
    // Past the API's validation, straight to the database: jsonb refuses a lone surrogate.
    await expect(createList(testDb(), user.id, { name: "Half", rows: [...rows(3), { profile_data: { bad: "\ud800" } }] })).rejects.toThrow();
    expect(await listsOf(user.id)).toBe(0);
    expect(await testDb().prisma.listRow.count({ where: { list: { userId: user.id } } })).toBe(0);
  });
});

describe("lists through the tRPC caller (session)", () => {
  it("create, appendRows, list and rows agree with the database", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id);
    const created = await trpc.list.create({ name: "Via tRPC", rows: rows(4) });
    expect(created).toMatchObject({ name: "Via tRPC", rowCount: 4 });
    expect(await trpc.list.appendRows({ listId: created.id, rows: rows(3, 4) })).toEqual({ appended: 3, rowCount: 7 });
    expect(await expectRowCountMatch(created.id)).toBe(7);
    const { lists } = await trpc.list.list({});
    expect(lists.map((l) => [l.id, l.rowCount])).toEqual([[created.id, 7]]);
    const page2 = await trpc.list.rows({ listId: created.id, page: 2, limit: 4 });
    expect(page2).toMatchObject({ total: 7, page: 2, limit: 4 });
    expect(page2.rows.map((r) => r.linkedin_url)).toEqual(rows(3, 4).map((r) => r.linkedin_url));
  });

  it("BAD_REQUEST for zod failures and ids that are not UUIDs, writing nothing", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id);
    await expectTrpcError(trpc.list.create({ name: " " }), "BAD_REQUEST");
    await expectTrpcError(trpc.list.create({ name: "L", rows: [] }), "BAD_REQUEST");
    await expectTrpcError(trpc.list.create({ name: "L", rows: rows(1001) }), "BAD_REQUEST");
    await expectTrpcError(trpc.list.create({ name: "L", rows: [{ profile_data: { a: "\ud800" } }] }), "BAD_REQUEST");
    expect(await listsOf(user.id)).toBe(0);
    await expectTrpcError(trpc.list.appendRows({ listId: "nope", rows: rows(1) }), "BAD_REQUEST");
    await expectTrpcError(trpc.list.rows({ listId: "3f9a2c1e-8b7d-0e6f-a5c4-1b2d3e4f5a6b" }), "BAD_REQUEST");
    const list = await trpc.list.create({ name: "L" });
    await expectTrpcError(trpc.list.rows({ listId: list.id, page: 0 }), "BAD_REQUEST");
    await expectTrpcError(trpc.list.rows({ listId: list.id, limit: 201 }), "BAD_REQUEST");
  });

  it("another user's list is NOT_FOUND, like a missing one, and stays untouched", async () => {
    const owner = await makeUser();
    const intruder = await makeUser();
    const list = await callerFor(owner.id).list.create({ name: "Private", rows: rows(2) });
    const trpc = callerFor(intruder.id);
    const foreign = await expectTrpcError(trpc.list.appendRows({ listId: list.id, rows: rows(1) }), "NOT_FOUND");
    const missing = await expectTrpcError(trpc.list.appendRows({ listId: unknownId(), rows: rows(1) }), "NOT_FOUND");
    expect(foreign.message).toBe(missing.message);
    await expectTrpcError(trpc.list.rows({ listId: list.id }), "NOT_FOUND", /list not found/);
    expect((await trpc.list.list({})).lists).toEqual([]);
    expect(await listCounts(list.id)).toEqual({ stored: 2, actual: 2 });
  });
});
