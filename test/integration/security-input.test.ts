// Hostile and broken input over real HTTP: each gets a clear 4xx or a per-row count, never a
// 500, never a half-written state; what is stored is exactly what was sent, as text.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, makeUser, testDb, testLimits, type TestUser, useRestServer } from "../helpers/context";
import { expectImportLanded, makeRows, newTag, seedCampaign, seedList } from "../helpers/import-fixtures";
import type { ListRowInput } from "@/server/domain/lists";
import { handleRestRequest, MAX_BODY_BYTES } from "@/server/api/rest-handler";
import { db } from "@/server/db";

const server = useRestServer();
let user: TestUser;
beforeAll(async () => {
  user = await makeUser();
});

const importPath = (campaignId: string) => `/campaigns/${campaignId}/leads/import-from-list`;
const NIL = "00000000-0000-0000-0000-000000000000";
const MAX = "ffffffff-ffff-ffff-ffff-ffffffffffff";

type Res = { status: number; body: any; headers: Headers };

/** A documented error body: { message, code, issues? }, nothing of the server's internals. */
function expectError(res: Res, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(Object.keys(res.body).filter((k) => !["message", "code", "issues"].includes(k))).toEqual([]);
  expect(typeof res.body.message).toBe("string");
  if (code) expect(res.body.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat \S+ \(|\.ts:\d+|stack|prisma|SELECT |INSERT /i);
}

/** fetch with a raw body and headers of our choosing. */
async function raw(method: string, urlPath: string, init: { body?: BodyInit; contentType?: string | null; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { authorization: `Bearer ${user.apiKey}`, ...init.headers };
  if (init.contentType !== null) headers["content-type"] = init.contentType ?? "application/json";
  const res = await fetch(`${server.baseUrl}${urlPath}`, { method, headers, body: init.body, ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

/** Nothing was written for the campaign: no run, no prospect, stats at zero. */
async function expectNothingWritten(campaignId: string) {
  expect(await testDb().prisma.importRun.count({ where: { campaignId } })).toBe(0);
  await expectImportLanded(testDb(), { campaignId, result: { imported: 0, duplicates: 0, invalid: 0, errors: 0, total: 0 } });
}

const listCount = () => testDb().prisma.list.count({ where: { userId: user.id } });

describe("broken requests to the import endpoint", () => {
  let campaignId: string;
  let listId: string;
  beforeAll(async () => {
    campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    listId = (await seedList(testDb(), user.id, makeRows({ complete: 2 }))).id;
  });

  it.each([
    ["malformed JSON", '{"listId": "', "application/json", 400, "PARSE_ERROR"],
    ["a truncated body", `{"listId":"${NIL}"`, "application/json", 400, "PARSE_ERROR"],
    ["an empty body (no input, so listId is missing)", "", "application/json", 400, "BAD_REQUEST"],
    ["a JSON null", "null", "application/json", 400, "BAD_REQUEST"],
    ["a JSON array", "[]", "application/json", 400, "BAD_REQUEST"],
    ["a JSON string", '"listId"', "application/json", 400, "BAD_REQUEST"],
    ["text/plain", JSON.stringify({ listId: NIL }), "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["a form", `listId=${NIL}`, "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["multipart", "--x\r\n\r\n--x--", "multipart/form-data; boundary=x", 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["no content type", JSON.stringify({ listId: NIL }), null, 415, "UNSUPPORTED_MEDIA_TYPE"],
  ] as const)("%s: refused with a 4xx, nothing written", async (_label, body, contentType, status, code) => {
    expectError(await raw("POST", importPath(campaignId), { body, contentType }), status, code);
    await expectNothingWritten(campaignId);
  });

  it.each([
    ["a number", 123],
    ["an array", [NIL]],
    ["an object", { id: NIL }],
    ["SQL", "' OR 1=1 --"],
    ["a UUID in braces", `{${NIL}}`],
    ["a UUID with a trailing newline", `${NIL}\n`],
    ["a UUID of version 0", "12345678-1234-0234-8234-123456789abc"],
    ["null", null],
  ])("400 for a listId that is %s; nothing written", async (_label, badId) => {
    expectError(await api(server, user.apiKey, "POST", importPath(campaignId), { listId: badId }), 400, "BAD_REQUEST");
    await expectNothingWritten(campaignId);
  });

  it.each([
    ["not a UUID", "123"],
    ["SQL", "1' OR '1'='1"],
    ["a path escape", "..%2F..%2Flists"],
    ["too long", `${NIL}0`],
    ["percent-encoded NUL", "%00"],
  ])("400 for a campaign id that is %s", async (_label, badId) => {
    const res = await api(server, user.apiKey, "POST", importPath(badId), { listId });
    expect([400, 404]).toContain(res.status); // 404 only when the path no longer matches a route
    expectError(res, res.status);
  });

  it("404 for the nil and the max UUID, as campaign or as list; nothing written", async () => {
    for (const id of [NIL, MAX]) {
      expectError(await api(server, user.apiKey, "POST", importPath(id), { listId }), 404, "NOT_FOUND");
      expectError(await api(server, user.apiKey, "POST", importPath(campaignId), { listId: id }), 404, "NOT_FOUND");
      expectError(await api(server, user.apiKey, "GET", `/campaigns/${id}`), 404, "NOT_FOUND");
      expectError(await api(server, user.apiKey, "GET", `/lists/${id}/rows`), 404, "NOT_FOUND");
      expectError(await api(server, user.apiKey, "GET", `/imports/${id}`), 404, "NOT_FOUND");
    }
    await expectNothingWritten(campaignId);
  });

  it("extra fields are ignored (zod strips unknown keys); a campaignId in the body does not override the path", async () => {
    const other = await seedCampaign(testDb(), user.id, "linkedin");
    const res = await api(server, user.apiKey, "POST", importPath(campaignId), {
      listId,
      campaignId: other,
      userId: "someone-else",
      status: "active",
      __proto__: { admin: true },
      constructor: { prototype: { polluted: true } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, total: 2 });
    expect(Object.keys(res.body).sort()).toEqual(["duplicateReasons", "duplicates", "errors", "imported", "invalid", "invalidReasons", "outcome", "runId", "total"]);
    await expectImportLanded(testDb(), { campaignId, result: res.body });
    await expectNothingWritten(other);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await testDb().prisma.prospect.deleteMany({ where: { campaignId } });
    await testDb().prisma.importRun.deleteMany({ where: { campaignId } });
    await testDb().prisma.campaign.update({ where: { id: campaignId }, data: { prospectCount: 0 } });
  });
});

describe(`bodies over the ${MAX_BODY_BYTES}-byte limit`, () => {
  const oversized = () => JSON.stringify({ name: "big", rows: [{ linkedin_url: "x", profile_data: { blob: "a".repeat(MAX_BODY_BYTES) } }] });

  it("413 with a declared Content-Length, on the import and on list upload; nothing written", async () => {
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    const before = await listCount();
    expectError(await raw("POST", "/lists", { body: oversized() }), 413, "PAYLOAD_TOO_LARGE");
    expectError(await raw("POST", importPath(campaignId), { body: oversized() }), 413, "PAYLOAD_TOO_LARGE");
    expect(await listCount()).toBe(before);
    await expectNothingWritten(campaignId);
  });

  it("413 for a chunked body without Content-Length, counted as it streams", async () => {
    const before = await listCount();
    const chunk = new TextEncoder().encode("a".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"name":"big","rows":[{"profile_data":{"blob":"'));
        if (sent++ < 12) controller.enqueue(chunk);
        else controller.close();
      },
    });
    expectError(await raw("POST", "/lists", { body: stream }), 413, "PAYLOAD_TOO_LARGE");
    expect(await listCount()).toBe(before);
  });
});

describe("bodies are decoded as UTF-8 however they are cut into chunks", () => {
  // The REST handler parses a large body in pieces of at most 32 kB (json-body.ts) and never
  // joins it into one string: a character split between two chunks, or at the edge of a piece,
  // must arrive whole. The handler is called directly so the chunks are exactly these.
  const names = ["Zoë", "王小明", "Émile 🚀", "Ærø", "Łukasz", "ﬁ"];
  const people = (n: number, pad?: string) =>
    Array.from({ length: n }, (_, i) => ({
      linkedin_url: `https://www.linkedin.com/in/utf8-${i}`,
      ...(i === 0 && pad !== undefined ? { custom_fields: { pad } } : {}),
      first_name: names[i % names.length]!,
      headline: `${"é".repeat(i % 7)}🙂${"a".repeat(i % 5)}`,
    }));
  // Padded so that the body's first non-ASCII character (the "ë" of "Zoë", two bytes) starts one byte before 32 kB.
  function straddling(n: number) {
    const probe = new TextEncoder().encode(JSON.stringify({ prospects: people(n, "") }));
    return people(n, "x".repeat(32 * 1024 - 1 - probe.findIndex((byte) => byte >= 0x80)));
  }

  it.each([
    ["one byte a chunk", 1, people(40)],
    ["7-byte chunks", 7, people(300)],
    ["one chunk, a character across the edge of a 32 kB piece", Infinity, straddling(1000)],
  ])("%s: every name and headline is stored exactly as sent", async (_name, size, sent) => {
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const bytes = new TextEncoder().encode(JSON.stringify({ prospects: sent }));
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        const next = size === Infinity ? bytes.length : at + size;
        controller.enqueue(bytes.slice(at, next));
        at = next;
      },
    });
    const request = new Request(`${server.origin}/api/campaigns/${campaignId}/leads`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.apiKey}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const res = await handleRestRequest(request, { sessionUserId: async () => null, db: testDb(), limits: testLimits(), appOrigin: server.origin });
    expect(res.status).toBe(200);
    expect((await res.json()).imported).toBe(sent.length);
    const { rows } = await testDb().pool.query<{ linkedin_url: string; first_name: string; headline: string }>(
      "SELECT linkedin_url, first_name, headline FROM prospects WHERE campaign_id = $1",
      [campaignId],
    );
    const stored = new Map(rows.map((r) => [r.linkedin_url, [r.first_name, r.headline]]));
    for (const p of sent) expect(stored.get(p.linkedin_url)).toEqual([p.first_name, p.headline]);
  });
});

describe("the tRPC endpoint has the same body limit", () => {
  afterAll(async () => {
    await db().pool.end(); // the route uses the app's own pool
  });

  it("413 for a body over the limit at /api/trpc, nothing written; a normal call still works", async () => {
    const { POST } = await import("@/app/api/trpc/[trpc]/route");
    const call = (body: string) =>
      POST(
        new Request("http://localhost/api/trpc/list.create", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${user.apiKey}` },
          body,
        }),
      );
    const before = await listCount();
    const big = await call(JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(await listCount()).toBe(before);
    const ok = await call(JSON.stringify({ name: "through tRPC" }));
    expect(ok.status).toBe(200);
    expect(await listCount()).toBe(before + 1);
  });

  // What a cross-site <form> can send (it can't set application/json without a CORS preflight):
  // none of it reaches a mutation. With the session cookie SameSite=Lax as well, that is the CSRF defence of /api/trpc.
  it.each([
    ["text/plain", JSON.stringify({ name: "csrf" }), 415],
    ["application/x-www-form-urlencoded", "name=csrf", 415],
    ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\ncsrf\r\n--x--\r\n', 400],
  ])("a %s POST to a tRPC mutation is refused, nothing written", async (contentType, body, status) => {
    const { POST } = await import("@/app/api/trpc/[trpc]/route");
    const before = await listCount();
    const res = await POST(
      new Request("http://localhost/api/trpc/list.create", {
        method: "POST",
        headers: { "content-type": contentType, authorization: `Bearer ${user.apiKey}` },
        body,
      }),
    );
    expect(res.status).toBe(status);
    expect(await listCount()).toBe(before);
  });
});

describe("paging parameters: a 400 or an empty page, never a 500", () => {
  it.each(["page=0", "page=-1", "page=1.5", "page=abc", "page=1e20", "page=9007199254740993", "page=1&page=2", "limit=0", "limit=201", "limit=1e9"])(
    "%s: 400",
    async (query) => {
      const list = await seedList(testDb(), user.id, makeRows({ complete: 2 }));
      expectError(await api(server, user.apiKey, "GET", `/lists/${list.id}/rows?${query}`), 400, "BAD_REQUEST");
    },
  );

  it("a page far past the end: 200 and no rows", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 2 }));
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    const rows = await api(server, user.apiKey, "GET", `/lists/${list.id}/rows?page=2147483648&limit=200`);
    expect(rows.status).toBe(200);
    expect(rows.body).toMatchObject({ rows: [], total: 2 });
    const leads = await api(server, user.apiKey, "GET", `/campaigns/${campaignId}/leads?page=99999999999`);
    expect(leads.status).toBe(200);
    expect(leads.body).toMatchObject({ prospects: [], total: 0 });
  });
});

describe("list rows the database could not store are refused at upload (400), with nothing written", () => {
  const url = "https://www.linkedin.com/in/nul-test";
  it.each<[string, unknown]>([
    ["a NUL in linkedin_url", { name: "L", rows: [{ linkedin_url: "https://www.linkedin.com/in/a\u0000b" }] }],
    ["a NUL in a profile_data value", { name: "L", rows: [{ linkedin_url: url, profile_data: { firstName: "Ada\u0000" } }] }],
    ["a NUL in a profile_data key", { name: "L", rows: [{ linkedin_url: url, profile_data: { "first\u0000Name": "Ada" } }] }],
    ["a NUL deep inside profile_data", { name: "L", rows: [{ linkedin_url: url, profile_data: { a: [{ b: { c: "\u0000" } }] } }] }],
    ["a NUL as the whole profile_data string", { name: "L", rows: [{ linkedin_url: url, profile_data: "\u0000" }] }],
    ["a NUL in the list name", { name: "L\u0000" }],
    ["a lone surrogate", { name: "L", rows: [{ linkedin_url: url, profile_data: { firstName: "\ud800" } }] }],
    ["profile_data nested 33 levels", { name: "L", rows: [{ linkedin_url: url, profile_data: nest(33) }] }],
    ["a 2049-character linkedin_url", { name: "L", rows: [{ linkedin_url: `https://www.linkedin.com/in/${"a".repeat(2049 - 28)}` }] }],
    ["a linkedin_url that is a number", { name: "L", rows: [{ linkedin_url: 42 }] }],
    ["a row that is a string", { name: "L", rows: ["https://www.linkedin.com/in/ada"] }],
    ["1001 rows", { name: "L", rows: Array.from({ length: 1001 }, () => ({ linkedin_url: url })) }],
  ])("%s", async (_label, body) => {
    const before = await listCount();
    const res = await api(server, user.apiKey, "POST", "/lists", body);
    expectError(res, 400, "BAD_REQUEST");
    expect(await listCount()).toBe(before);
  });

  it("appending a row with a NUL: 400, the list and its row_count unchanged", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 3 }));
    const res = await api(server, user.apiKey, "POST", `/lists/${list.id}/rows`, {
      rows: [{ linkedin_url: url }, { linkedin_url: url, profile_data: { headline: "x\u0000" } }],
    });
    expectError(res, 400, "BAD_REQUEST");
    expect(res.body.issues[0].path).toEqual(["rows", 1, "profile_data"]);
    const stored = await testDb().prisma.list.findUniqueOrThrow({ where: { id: list.id } });
    expect(stored.rowCount).toBe(3);
    expect(await testDb().prisma.listRow.count({ where: { listId: list.id } })).toBe(3);
  });

  it("adding a prospect with a NUL: 400, nothing written", async () => {
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    const res = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads`, {
      prospects: [{ email: "ok@example.com" }, { email: "nul@example.com", company: "A\u0000B" }],
    });
    expectError(res, 400, "BAD_REQUEST");
    await expectNothingWritten(campaignId);
  });
});

describe("hostile list rows are stored as sent and imported with exact counts into both channels", () => {
  const t = newTag();
  const li = (slug: string) => `https://www.linkedin.com/in/${slug}-${t}`;
  const mail = (local: string) => `${local}.${t}@example.com`;
  const big = (c: string) => c.repeat(100_000);
  const SQL = ["Robert'); DROP TABLE prospects;--", "' OR '1'='1", "1; SELECT pg_sleep(30)", "$$; DELETE FROM campaigns; $$", "\\'; TRUNCATE list_rows; --", "%' UNION SELECT key_hash FROM api_keys --"];
  const HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(document.cookie)>", '"><svg onload=alert(1)>', "<a href='javascript:alert(1)'>x</a>", "&lt;b&gt;", "<!--"];
  const fields = (values: string[]) => ({
    firstName: values[0],
    lastName: values[1],
    fullName: values[2],
    currentCompany: values[3],
    currentRole: values[4],
    headline: values[5],
  });

  type Case = { label: string; row: ListRowInput; linkedin: boolean; email: boolean };
  const cases: Case[] = [
    { label: "profile_data null", row: { linkedin_url: li("null-profile"), profile_data: null }, linkedin: true, email: false },
    { label: "profile_data absent", row: { linkedin_url: li("no-profile") }, linkedin: true, email: false },
    { label: "profile_data an array", row: { linkedin_url: li("array"), profile_data: [{ enrichment: { work_email: mail("array") } }] }, linkedin: true, email: false },
    { label: "profile_data a string", row: { linkedin_url: li("string"), profile_data: JSON.stringify({ enrichment: { work_email: mail("string") } }) }, linkedin: true, email: false },
    { label: "profile_data a number", row: { linkedin_url: li("number"), profile_data: 42 }, linkedin: true, email: false },
    { label: "profile_data 32 levels deep", row: { linkedin_url: li("deep"), profile_data: { enrichment: { work_email: mail("deep") }, deep: nest(31) } }, linkedin: true, email: true },
    { label: "work_email a number", row: { linkedin_url: li("email-number"), profile_data: { enrichment: { work_email: 12345 } } }, linkedin: true, email: false },
    { label: "work_email an object", row: { linkedin_url: li("email-object"), profile_data: { enrichment: { work_email: { address: mail("object") } } } }, linkedin: true, email: false },
    { label: "work_email an array", row: { linkedin_url: li("email-array"), profile_data: { enrichment: { work_email: [mail("array2")] } } }, linkedin: true, email: false },
    { label: "enrichment a string", row: { linkedin_url: li("enrichment-string"), profile_data: { enrichment: mail("enrichment") } }, linkedin: true, email: false },
    { label: "names of the wrong types", row: { linkedin_url: li("wrong-names"), profile_data: { firstName: 1, lastName: true, fullName: ["x"], headline: {}, enrichment: { work_email: mail("wrong-names") } } }, linkedin: true, email: true },
    { label: "100 KB strings in every name field", row: { linkedin_url: li("big"), profile_data: { ...fields(["a", "b", "c", "d", "e", "f"].map(big)), enrichment: { work_email: mail("big") } } }, linkedin: true, email: true },
    { label: "a 100 KB work_email", row: { linkedin_url: li("big-email"), profile_data: { enrichment: { work_email: `${big("x")}@example.com` } } }, linkedin: true, email: false },
    { label: "emoji", row: { linkedin_url: li("ada-🚀"), profile_data: { ...fields(["Ada 👩‍💻", "Love🧡lace", "👩🏽‍🚀", "🚀 Rockets", "CEO 🦄", "🏳️‍🌈"]), enrichment: { work_email: mail("emoji") } } }, linkedin: true, email: true },
    { label: "right-to-left text", row: { linkedin_url: li("محمد"), profile_data: { ...fields(["محمد", "אברהם", "\u202Egnp.exe", "شركة", "مدير", "\u200F\u202Bمرحبا\u202C"]), enrichment: { work_email: mail("rtl") } } }, linkedin: true, email: true },
    { label: "SQL in every field", row: { linkedin_url: li("robert'--;drop-table"), profile_data: { ...fields(SQL), enrichment: { work_email: `o'brien+${t}@example.com` } } }, linkedin: true, email: true },
    { label: "HTML in every field", row: { linkedin_url: li("<svg-onload=alert(1)>"), profile_data: { ...fields(HTML), enrichment: { work_email: mail("html") } } }, linkedin: true, email: true },
    { label: "a javascript: URL", row: { linkedin_url: "javascript:alert(document.cookie)", profile_data: { enrichment: { work_email: mail("js") } } }, linkedin: false, email: true },
    { label: "a javascript: URL with a LinkedIn path", row: { linkedin_url: `javascript://www.linkedin.com/in/${t}%0aalert(1)`, profile_data: { enrichment: { work_email: mail("js2") } } }, linkedin: false, email: true },
    { label: "a data: URL", row: { linkedin_url: "data:text/html,<script>alert(1)</script>", profile_data: { enrichment: { work_email: mail("data") } } }, linkedin: false, email: true },
    { label: "a relative URL", row: { linkedin_url: `/in/relative-${t}`, profile_data: { enrichment: { work_email: mail("relative") } } }, linkedin: false, email: true },
    { label: "another site with linkedin.com in its path", row: { linkedin_url: `https://evil.example/linkedin.com/in/${t}`, profile_data: { enrichment: { work_email: mail("path") } } }, linkedin: false, email: true },
    { label: "another site with linkedin.com in its query", row: { linkedin_url: `https://evil.example/?u=https://www.linkedin.com/in/${t}`, profile_data: { enrichment: { work_email: mail("query") } } }, linkedin: false, email: true },
    { label: "a look-alike host", row: { linkedin_url: `https://linkedin.com.evil.example/in/${t}`, profile_data: { enrichment: { work_email: mail("lookalike") } } }, linkedin: false, email: true },
    { label: "credentials before another host", row: { linkedin_url: `https://www.linkedin.com@evil.example/in/${t}`, profile_data: { enrichment: { work_email: mail("userinfo") } } }, linkedin: false, email: true },
    { label: "whitespace only", row: { linkedin_url: " \t\n ", profile_data: { enrichment: { work_email: mail("whitespace") } } }, linkedin: false, email: true },
    { label: "whitespace inside", row: { linkedin_url: `https://www.linkedin.com/in/ada lovelace-${t}`, profile_data: {} }, linkedin: false, email: false },
    { label: "an empty string", row: { linkedin_url: "", profile_data: null }, linkedin: false, email: false },
  ];
  const expected = { linkedin: cases.filter((c) => c.linkedin).length, email: cases.filter((c) => c.email).length };
  let listId: string;
  let rowIds: string[];

  beforeAll(async () => {
    const res = await api(server, user.apiKey, "POST", "/lists", { name: `<script>alert("list")</script> '; DROP TABLE lists; --`, rows: cases.map((c) => c.row) });
    expect(res.status).toBe(200);
    listId = res.body.id;
    const { rows } = await testDb().pool.query<{ id: string }>(`SELECT id::text AS id FROM list_rows WHERE list_id = $1 ORDER BY list_rows.id`, [listId]);
    rowIds = rows.map((r) => r.id);
  });

  it("every row is stored exactly as sent", async () => {
    expect(rowIds).toHaveLength(cases.length);
    const listed = await api(server, user.apiKey, "GET", `/lists/${listId}/rows?limit=200`);
    expect(listed.status).toBe(200);
    expect(listed.body.rows.map((r: { linkedin_url: string | null; profile_data: unknown }) => ({ linkedin_url: r.linkedin_url, profile_data: r.profile_data }))).toEqual(
      cases.map((c) => ({ linkedin_url: c.row.linkedin_url ?? null, profile_data: c.row.profile_data ?? null })),
    );
    const list = await testDb().prisma.list.findUniqueOrThrow({ where: { id: listId } });
    expect(list.name).toBe(`<script>alert("list")</script> '; DROP TABLE lists; --`);
  });

  it.each(["linkedin", "email"] as const)("into a %s campaign: imported and invalid exactly as the identity rule says", async (channel) => {
    const campaignId = await seedCampaign(testDb(), user.id, channel);
    const res = await api(server, user.apiKey, "POST", importPath(campaignId), { listId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: expected[channel], invalid: cases.length - expected[channel], duplicates: 0, errors: 0, total: cases.length });
    await expectImportLanded(testDb(), { campaignId, result: res.body });

    const landed = await testDb().prisma.prospect.findMany({ where: { campaignId } });
    const byRow = new Map(landed.map((p) => [p.sourceRef, p]));
    for (const [i, c] of cases.entries()) expect({ label: c.label, landed: byRow.has(rowIds[i]!) }).toEqual({ label: c.label, landed: c[channel] });

    // Stored as sent: no escaping, no truncation, no SQL run.
    const sql = byRow.get(rowIds[cases.findIndex((c) => c.label === "SQL in every field")]!)!;
    expect([sql.firstName, sql.lastName, sql.name, sql.company, sql.position, sql.headline]).toEqual(SQL);
    const html = byRow.get(rowIds[cases.findIndex((c) => c.label === "HTML in every field")]!)!;
    expect([html.firstName, html.lastName, html.name, html.company, html.position, html.headline]).toEqual(HTML);
    const rtl = byRow.get(rowIds[cases.findIndex((c) => c.label === "right-to-left text")]!)!;
    expect(rtl.firstName).toBe("محمد");
    expect(rtl.headline).toBe("\u200F\u202Bمرحبا\u202C");
    const large = byRow.get(rowIds[cases.findIndex((c) => c.label === "100 KB strings in every name field")]!)!;
    expect([large.firstName, large.lastName, large.name, large.company, large.position, large.headline].map((v) => v?.length)).toEqual(Array(6).fill(100_000));
    if (channel === "linkedin") expect(html.linkedinUrl).toMatch(/^https:\/\/www\.linkedin\.com\/in\/%3Csvg-onload%3Dalert\(1\)%3E-/);
    expect(landed.every((p) => p.linkedinUrl === null || p.linkedinUrl.startsWith("https://www.linkedin.com/in/"))).toBe(true);

    // And handed back as JSON strings, never as markup.
    const page = await api(server, user.apiKey, "GET", `/campaigns/${campaignId}/leads?limit=200`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("application/json");
    const back = page.body.prospects.find((p: { source_ref: string }) => p.source_ref === html.sourceRef);
    expect(back.first_name).toBe("<script>alert(1)</script>");

    const again = await api(server, user.apiKey, "POST", importPath(campaignId), { listId });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ imported: 0, duplicates: expected[channel], invalid: cases.length - expected[channel], errors: 0 });
    await expectImportLanded(testDb(), { campaignId, before: expected[channel], result: again.body });
  });

  it("no component renders data as HTML: nothing in src/ uses dangerouslySetInnerHTML, innerHTML or eval", () => {
    const files = walk(path.resolve(import.meta.dirname, "../../src")).filter((f) => /\.(tsx?|jsx?|mjs)$/.test(f) && !f.includes(`${path.sep}generated${path.sep}`));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** { a: { a: … } } nested n objects deep, built without recursion. */
function nest(n: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < n; i++) value = { a: value };
  return value;
}
