// The MCP endpoint, driven the way an agent's host drives it: the SDK's own Client over its
// Streamable HTTP transport, against the real handler behind a real HTTP server and a real
// database. What the tools say is checked against what the database holds.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { appRouter } from "@/server/api/root";
import { tools } from "@/server/mcp/tools";
import { toJsonSchema } from "@/server/mcp/json-schema";
import { createDb } from "@/server/db";
import { api, callerFor, closeTestDb, makeUser, startMcpServer, startRestServer, testDb, testLimits, type RestServer, type TestUser } from "../helpers/context";
import { NOT_UUIDS } from "../helpers/foundation-assertions";
import { makeRows, seedCampaign, seedList } from "../helpers/import-fixtures";
import { waitFor } from "../helpers/reliability";

let mcp: RestServer; // the MCP endpoint
let rest: RestServer; // the REST API over the same database, to compare answers with
const clients: Client[] = [];

beforeAll(async () => {
  [mcp, rest] = await Promise.all([startMcpServer(), startRestServer()]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await Promise.all([mcp.close(), rest.close()]);
  await closeTestDb();
});

// The SDK's client speaks the 2025 protocol unless told otherwise (what most hosts speak today,
// served by the stateless fallback); pinned, it speaks 2026-07-28. Both are tested.
const ERAS = ["2025 (legacy)", "2026-07-28"] as const;
type Era = (typeof ERAS)[number];
let era: Era = "2025 (legacy)";

async function connect(key: string, url = mcp.baseUrl, fetchImpl?: typeof fetch): Promise<Client> {
  const client = new Client(
    { name: "mcp-test", version: "1.0.0" },
    era === "2026-07-28" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

type ToolResult = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> };

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

/** A successful call's structured result (fails the test with the tool's error otherwise). */
async function ok(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = await call(client, name, args);
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  expect(result.content[0]?.type).toBe("text");
  expect(result.content[0]?.text?.length).toBeGreaterThan(0);
  return result.structuredContent;
}

/** A tool error: isError, and its text is exactly REST's { message, code, issues? }. */
async function toolError(client: Client, name: string, args: Record<string, unknown>, code: string): Promise<{ message: string; code: string; issues?: unknown[] }> {
  const result = await call(client, name, args);
  expect(result.isError, JSON.stringify(result)).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  const body = JSON.parse(result.content[0]!.text!);
  expect(body.code).toBe(code);
  expect(Object.keys(body).every((k) => ["message", "code", "issues"].includes(k))).toBe(true);
  expect(JSON.stringify(body)).not.toMatch(/\bat\s+\S+\s+\(|\.ts:\d+|node_modules|SELECT|prisma/i);
  return body;
}

async function stateOf(userId: string) {
  const db = testDb().prisma;
  return {
    lists: await db.list.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { id: true, rowCount: true } }),
    campaigns: await db.campaign.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { id: true, name: true, status: true, prospectCount: true } }),
    prospects: await db.prospect.count({ where: { campaign: { userId } } }),
    runs: await db.importRun.count({ where: { userId } }),
  };
}

const EXPECTED_TOOLS = [
  "add_prospects",
  "create_campaign",
  "get_campaign",
  "get_import_run",
  "get_list_rows",
  "get_skipped_rows",
  "import_list",
  "list_campaigns",
  "list_lists",
  "preview_import",
];

describe.each(ERAS)("over the %s protocol", (protocol) => {
  beforeAll(() => {
    era = protocol;
  });

  describe("tools/list", () => {
    it("lists the ten tools, each with its input and output schema, annotations and a description for agents", async () => {
      const alice = await makeUser();
      const client = await connect(alice.apiKey);
      expect(client.getProtocolEra()).toBe(era === "2026-07-28" ? "modern" : "legacy");
      expect(client.getNegotiatedProtocolVersion()).toEqual(era === "2026-07-28" ? "2026-07-28" : expect.stringMatching(/^2025-/));
      expect(client.getServerVersion()?.name).toBe("outreach-campaigns");
      expect(client.getInstructions()).toMatch(/import_list/);
      const { tools: listed } = await client.listTools();
      expect(listed.map((t) => t.name).sort()).toEqual(EXPECTED_TOOLS);
      for (const t of listed) {
        expect(t.inputSchema.type, t.name).toBe("object");
        expect(t.inputSchema.additionalProperties, t.name).toBe(false);
        expect(t.outputSchema?.type, t.name).toBe("object");
        expect(JSON.stringify(t.outputSchema), t.name).not.toContain("$ref");
        expect(t.description!.length, t.name).toBeGreaterThan(80);
        expect(t.annotations?.openWorldHint, t.name).toBe(false);
        expect(typeof t.annotations?.readOnlyHint, t.name).toBe("boolean");
      }
      const byName = Object.fromEntries(listed.map((t) => [t.name, t]));
      expect(byName.import_list!.inputSchema.required).toEqual(["campaignId", "listId"]);
      // A background run: the run record (the same schema as get_import_run's).
      expect(byName.import_list!.outputSchema).toEqual(byName.get_import_run!.outputSchema);
      expect(Object.keys(byName.import_list!.inputSchema.properties!).sort()).toEqual(["campaignId", "listId"]);
      expect((byName.get_import_run!.outputSchema!.properties as Record<string, unknown>).startedAt).toEqual({ type: "string", format: "date-time" });
      // The descriptions tell an agent what the statuses mean and when to read the run.
      expect(byName.get_import_run!.description).toMatch(/running.*complete.*partial.*nothing_imported.*failed/s);
      expect(byName.import_list!.description).toMatch(/imported so far/);
      expect(byName.import_list!.description).toMatch(/get_import_run/);
      // Annotations: reads are read-only; creating is neither destructive nor idempotent.
      const reads = ["list_lists", "get_list_rows", "list_campaigns", "get_campaign", "get_import_run"];
      for (const name of reads) expect(byName[name]!.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
      expect(byName.create_campaign!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
      expect(byName.add_prospects!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
      expect(byName.import_list!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    });

    it("each tool's input is a tRPC procedure's zod object (import_list: its fields but the background switch), advertised as it is", async () => {
      const procedureInputs = Object.values(appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>).map(
        (p) => p._def.inputs[0] as z.ZodObject,
      );
      const alice = await makeUser();
      const { tools: listed } = await (await connect(alice.apiKey)).listTools();
      for (const tool of tools) {
        if (tool.name === "import_list") {
          // Always a background run: the procedure's own field schemas, the very same objects.
          const procedure = (appRouter._def.procedures as unknown as Record<string, { _def: { inputs: z.ZodObject[] } }>)["campaign.importList"]!;
          const { background, ...fields } = procedure._def.inputs[0]!.shape;
          expect(background).toBeDefined();
          expect(tool.input.shape).toEqual(fields);
          for (const [name, field] of Object.entries(fields)) expect(tool.input.shape[name], name).toBe(field);
        } else expect(procedureInputs, tool.name).toContain(tool.input);
        expect(listed.find((t) => t.name === tool.name)!.inputSchema).toEqual(toJsonSchema(tool.input.strict(), "input"));
      }
    });
  });

  describe("end to end: a list, a campaign, the import, the run", () => {
    let alice: TestUser;
    let client: Client;
    beforeAll(async () => {
      alice = await makeUser();
      client = await connect(alice.apiKey);
    });

    it("creates a campaign, imports a list into it and reads the run back; the database holds what the tools said", async () => {
      const list = await seedList(testDb(), alice.id, makeRows({ complete: 7, placeholder: 2, otherSite: 1 }), "Agents' list");

      const lists = await ok(client, "list_lists", {});
      expect(lists.lists).toEqual([{ id: list.id, name: "Agents' list", rowCount: 10, createdAt: expect.any(String) }]);
      const rows = await ok(client, "get_list_rows", { listId: list.id, limit: 3 });
      expect(rows).toMatchObject({ total: 10, page: 1, limit: 3 });
      expect(rows.rows).toHaveLength(3);

      const campaign = await ok(client, "create_campaign", { name: "From an agent", channel: "linkedin" });
      expect(campaign).toMatchObject({ name: "From an agent", channel: "linkedin", status: "draft", stats: { prospectCount: 0 } });
      const stored = await testDb().prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
      expect(stored).toMatchObject({ userId: alice.id, name: "From an agent", channel: "linkedin", status: "draft" });

      // An agent previews first: what the import will do, nothing written.
      const preview = await ok(client, "preview_import", { campaignId: campaign.id, listId: list.id });
      expect(preview).toMatchObject({ total: 10, imported: 7, duplicates: 0, invalid: 3, invalidReasons: { placeholder_url: 2, not_a_profile_url: 1 } });
      expect(await testDb().prisma.prospect.count({ where: { campaignId: campaign.id } })).toBe(0);

      const started = await ok(client, "import_list", { campaignId: campaign.id, listId: list.id });
      expect(started).toMatchObject({ runId: expect.any(String), listId: list.id, background: true, httpStatus: null, listTotal: 10 });
      expect(["queued", "running"]).toContain(started.status);
      // An agent follows the run with get_import_run until httpStatus is set.
      const run = await waitFor("the run to end", async () => {
        const seen = await ok(client, "get_import_run", { runId: started.runId });
        return seen.httpStatus === null ? undefined : seen;
      });
      expect(run).toMatchObject({ id: started.runId, campaignId: campaign.id, listId: list.id, listName: "Agents' list", status: "complete", httpStatus: 200, listTotal: 10, total: 10, imported: 7, duplicates: 0, invalid: 3, errors: 0 });
      expect(await testDb().prisma.prospect.count({ where: { campaignId: campaign.id } })).toBe(7);
      const runRow = await testDb().prisma.importRun.findUniqueOrThrow({ where: { id: started.runId } });
      expect(runRow).toMatchObject({ userId: alice.id, campaignId: campaign.id, listId: list.id, status: "complete", imported: 7, invalid: 3, total: 10 });
      expect(new Date(run.finishedAt).getTime()).toBe(runRow.finishedAt!.getTime());
      // …and can name every skipped row to the user, with its reason.
      const skipped = await ok(client, "get_skipped_rows", { runId: started.runId });
      expect(skipped.nextCursor).toBeNull();
      expect(skipped.items.map((i: { reason: string }) => i.reason).sort()).toEqual(["not_a_profile_url", "placeholder_url", "placeholder_url"]);

      expect((await ok(client, "get_campaign", { campaignId: campaign.id })).stats.prospectCount).toBe(7);
      const campaigns = await ok(client, "list_campaigns", {});
      expect(campaigns.campaigns.map((c: { id: string }) => c.id)).toEqual([campaign.id]);

      // The same import again: every valid row is a duplicate. An outcome, not an error.
      const again = await call(client, "import_list", { campaignId: campaign.id, listId: list.id });
      expect(again.isError ?? false).toBe(false);
      expect(again.content[0]!.text).toMatch(/get_import_run/);
      const second = await waitFor("the second run to end", async () => {
        const seen = await ok(client, "get_import_run", { runId: (again.structuredContent as { runId: string }).runId });
        return seen.httpStatus === null ? undefined : seen;
      });
      expect(second).toMatchObject({ imported: 0, duplicates: 7, invalid: 3, status: "nothing_imported", httpStatus: 422 });
      expect(await testDb().prisma.prospect.count({ where: { campaignId: campaign.id } })).toBe(7);
      expect(await testDb().prisma.importRun.count({ where: { campaignId: campaign.id } })).toBe(2);
    });

    it("add_prospects adds and deduplicates as REST does; the campaign's count is the table's", async () => {
      const campaign = await ok(client, "create_campaign", { name: "Hand-picked", channel: "email" });
      const prospects = [{ email: "Ann@Example.com", first_name: "Ann" }, { email: "bob@example.com" }, { email: "ann@example.com" }];
      expect(await ok(client, "add_prospects", { campaignId: campaign.id, prospects })).toMatchObject({ imported: 2, duplicates: 1 });
      expect(await ok(client, "add_prospects", { campaignId: campaign.id, prospects })).toMatchObject({ imported: 0, duplicates: 3 });
      const stored = await testDb().prisma.prospect.findMany({ where: { campaignId: campaign.id }, select: { email: true }, orderBy: { email: "asc" } });
      expect(stored.map((p) => p.email)).toEqual(["ann@example.com", "bob@example.com"]);
      expect((await testDb().prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).prospectCount).toBe(2);
    });

    it("a campaign that is no longer a draft: a tool error with REST's body, nothing written", async () => {
      const list = await seedList(testDb(), alice.id, makeRows({ complete: 3 }));
      const campaignId = await seedCampaign(testDb(), alice.id, "linkedin");
      await callerFor(alice.id).campaign.launch({ campaignId });
      const before = await stateOf(alice.id);
      const body = await toolError(client, "import_list", { campaignId, listId: list.id }, "BAD_REQUEST");
      expect(body.message).toMatch(/campaign is active/);
      const viaRest = await api(rest, alice.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id });
      expect(viaRest.status).toBe(400);
      expect(body).toEqual(viaRest.body);
      await toolError(client, "add_prospects", { campaignId, prospects: [{ linkedin_url: "https://www.linkedin.com/in/late" }] }, "BAD_REQUEST");
      expect(await stateOf(alice.id)).toEqual(before);
    });
  });

  describe("authorization", () => {
    let alice: TestUser;
    let bob: TestUser;
    const a = { listId: "", campaignId: "", runId: "" };
    const b = { listId: "", campaignId: "" };
    beforeAll(async () => {
      [alice, bob] = await Promise.all([makeUser(), makeUser()]);
      a.listId = (await seedList(testDb(), alice.id, makeRows({ complete: 4 }))).id;
      a.campaignId = await seedCampaign(testDb(), alice.id, "linkedin");
      a.runId = (await callerFor(alice.id).campaign.importList({ campaignId: a.campaignId, listId: a.listId })).runId;
      b.listId = (await seedList(testDb(), bob.id, makeRows({ complete: 2 }))).id;
      b.campaignId = await seedCampaign(testDb(), bob.id, "linkedin");
    });

    it("Bob can neither see nor touch Alice's lists, campaigns or runs through any tool", async () => {
      const client = await connect(bob.apiKey);
      const before = await stateOf(alice.id);
      const bobBefore = await stateOf(bob.id);
      // Every tool that takes an id, with Alice's ids: 404 semantics, the same answer as for an id that exists nowhere.
      const withAlicesIds: [string, Record<string, unknown>][] = [
        ["get_list_rows", { listId: a.listId }],
        ["get_campaign", { campaignId: a.campaignId }],
        ["add_prospects", { campaignId: a.campaignId, prospects: [{ linkedin_url: "https://www.linkedin.com/in/intruder" }] }],
        ["import_list", { campaignId: a.campaignId, listId: a.listId }],
        ["import_list", { campaignId: b.campaignId, listId: a.listId }], // Alice's list into Bob's own campaign
        ["import_list", { campaignId: a.campaignId, listId: b.listId }], // Bob's list into Alice's campaign
        ["get_import_run", { runId: a.runId }],
        ["get_skipped_rows", { runId: a.runId }],
        ["preview_import", { campaignId: a.campaignId, listId: a.listId }],
        ["preview_import", { campaignId: b.campaignId, listId: a.listId }],
      ];
      const withIdTools = new Set(withAlicesIds.map(([name]) => name));
      // The walk covers every tool whose input names an id.
      for (const t of tools) if (Object.keys(t.input.shape).some((k) => k.endsWith("Id"))) expect(withIdTools, t.name).toContain(t.name);
      for (const [name, args] of withAlicesIds) {
        const body = await toolError(client, name, args, "NOT_FOUND");
        expect(body.message, name).toMatch(/^(list|campaign|import run) not found$/);
        const nowhere = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, k.endsWith("Id") && v !== b.campaignId && v !== b.listId ? randomUUID() : v]));
        // (The import and its preview check campaign and list at once: either may be named.)
        if (name !== "import_list" && name !== "preview_import") expect(await toolError(client, name, nowhere, "NOT_FOUND"), name).toEqual(body);
      }
      // The listings hold none of Alice's ids.
      const listings = JSON.stringify([await ok(client, "list_lists", {}), await ok(client, "list_campaigns", {})]);
      for (const id of Object.values(a)) expect(listings).not.toContain(id);
      expect(await stateOf(alice.id)).toEqual(before);
      expect(await stateOf(bob.id)).toEqual(bobBefore);
    });

    it("a missing, malformed, wrong or revoked key is refused with 401 and WWW-Authenticate; nothing is written", async () => {
      const revoked = await makeUser();
      await testDb().prisma.apiKey.updateMany({ where: { userId: revoked.id }, data: { revokedAt: new Date() } });
      const before = await stateOf(alice.id);
      const wrong = `${alice.apiKey.slice(0, -1)}${alice.apiKey.endsWith("A") ? "B" : "A"}`;
      const headers: [string, Record<string, string>, RegExp][] = [
        ["missing", {}, /^Bearer realm="outreach"$/],
        ["malformed", { authorization: alice.apiKey }, /^Bearer realm="outreach", error="invalid_token"/],
        ["wrong", { authorization: `Bearer ${wrong}` }, /^Bearer realm="outreach", error="invalid_token"/],
        ["unknown", { authorization: `Bearer oc_${randomUUID().replaceAll("-", "")}` }, /error="invalid_token"/],
        ["revoked", { authorization: `Bearer ${revoked.apiKey}` }, /error="invalid_token"/],
      ];
      const create = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "create_campaign", arguments: { name: "sneaky", channel: "email" } } };
      for (const [label, header, challenge] of headers) {
        for (const method of ["POST", "GET", "DELETE"]) {
          const res = await fetch(mcp.baseUrl, {
            method,
            headers: { ...header, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
            body: method === "POST" ? JSON.stringify(create) : undefined,
          });
          expect(res.status, `${label} ${method}`).toBe(401);
          expect(res.headers.get("www-authenticate"), label).toMatch(challenge);
          const body = await res.json();
          expect(body.code).toBe("UNAUTHORIZED");
          expect(Object.keys(body).sort()).toEqual(["code", "message"]);
        }
      }
      // The SDK's client can't even connect with them.
      for (const key of [wrong, revoked.apiKey]) await expect(connect(key)).rejects.toThrow();
      expect(await stateOf(alice.id)).toEqual(before);
      expect(await testDb().prisma.campaign.count({ where: { name: "sneaky" } })).toBe(0);
    });
  });

  describe("malformed arguments", () => {
    let alice: TestUser;
    let client: Client;
    const ids = { listId: "", campaignId: "" };
    beforeAll(async () => {
      alice = await makeUser();
      client = await connect(alice.apiKey);
      ids.listId = (await seedList(testDb(), alice.id, makeRows({ complete: 3 }))).id;
      ids.campaignId = await seedCampaign(testDb(), alice.id, "linkedin");
    });

    it("wrong types, bad UUIDs and extra fields: tool errors with REST's validation body, and nothing is written", async () => {
      const before = await stateOf(alice.id);
      const bad: [string, Record<string, unknown>][] = [
        ["create_campaign", { name: 42, channel: "email" }],
        ["create_campaign", { name: "x", channel: "fax" }],
        ["create_campaign", { name: "   ", channel: "email" }],
        ["create_campaign", {}],
        ["create_campaign", { name: "ok", channel: "email", status: "active" }], // extra field
        ["import_list", { campaignId: ids.campaignId, listId: ids.listId, dryRun: false }], // extra field
        ["import_list", { campaignId: ids.campaignId, listId: 7 }],
        ["import_list", { campaignId: ids.campaignId }],
        ["add_prospects", { campaignId: ids.campaignId, prospects: "everyone" }],
        ["add_prospects", { campaignId: ids.campaignId, prospects: [] }],
        ["add_prospects", { campaignId: ids.campaignId, prospects: [{ linkedin_url: "https://www.linkedin.com/in/ok" }], force: true }],
        ["get_list_rows", { listId: ids.listId, limit: 5000 }],
        ["get_list_rows", { listId: ids.listId, page: "first" }],
        ["list_lists", { userId: alice.id }], // extra field: not a way to name another user
        ...NOT_UUIDS.flatMap((id): [string, Record<string, unknown>][] => [
          ["import_list", { campaignId: id, listId: ids.listId }],
          ["get_campaign", { campaignId: id }],
          ["get_import_run", { runId: id }],
        ]),
      ];
      for (const [name, args] of bad) {
        const body = await toolError(client, name, args, "BAD_REQUEST");
        expect(body.message, `${name} ${JSON.stringify(args)}`).toBe("Input validation failed");
        expect(body.issues!.length, `${name} ${JSON.stringify(args)}`).toBeGreaterThan(0);
      }
      expect(await stateOf(alice.id)).toEqual(before);
    });

    it("a bad UUID gets the very body REST answers", async () => {
      const viaRest = await api(rest, alice.apiKey, "GET", "/campaigns/not-a-uuid");
      expect(viaRest.status).toBe(400);
      expect(await toolError(client, "get_campaign", { campaignId: "not-a-uuid" }, "BAD_REQUEST")).toEqual(viaRest.body);
    });

    it("a tool that does not exist is a protocol error, not a crash", async () => {
      await expect(client.callTool({ name: "drop_everything", arguments: {} })).rejects.toThrow(/drop_everything/);
    });
  });

  describe("stateless", () => {
    it("every request may go to another instance: a client whose requests alternate between two servers works", async () => {
      const other = await startMcpServer();
      try {
        const dave = await makeUser();
        const hosts = [new URL(mcp.baseUrl).host, new URL(other.baseUrl).host];
        const seen = new Set<string>();
        let turn = 0;
        const alternating: typeof fetch = (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          url.host = hosts[turn++ % 2]!;
          seen.add(url.host);
          return fetch(url, init);
        };
        const client = await connect(dave.apiKey, mcp.baseUrl, alternating);
        const campaign = await ok(client, "create_campaign", { name: "Here and there", channel: "email" });
        expect(await ok(client, "get_campaign", { campaignId: campaign.id })).toMatchObject({ id: campaign.id, name: "Here and there" });
        await ok(client, "list_campaigns", {});
        expect(seen.size).toBe(2);
      } finally {
        await other.close();
      }
    });
  });
});

describe("the same rate limits as REST", () => {
  beforeAll(() => {
    era = "2025 (legacy)";
  });

  it("writes through REST and MCP draw on one bucket per key: over it, a TOO_MANY_REQUESTS tool error and no write", async () => {
    const limits = testLimits(2); // two writes a minute
    const [limitedMcp, limitedRest] = await Promise.all([startMcpServer(testDb(), limits), startRestServer(testDb(), limits)]);
    try {
      const carol = await makeUser();
      const client = await connect(carol.apiKey, limitedMcp.baseUrl);
      expect((await api(limitedRest, carol.apiKey, "POST", "/campaigns", { name: "one", channel: "email" })).status).toBe(200);
      await ok(client, "create_campaign", { name: "two", channel: "email" });
      const body = await toolError(client, "create_campaign", { name: "three", channel: "email" }, "TOO_MANY_REQUESTS");
      expect(body.message).toMatch(/retry in \d+ s/);
      expect((await api(limitedRest, carol.apiKey, "POST", "/campaigns", { name: "four", channel: "email" })).status).toBe(429);
      expect((await testDb().prisma.campaign.findMany({ where: { userId: carol.id }, select: { name: true }, orderBy: { name: "asc" } })).map((c) => c.name)).toEqual(["one", "two"]);
      // Reads are not limited, as on REST.
      await ok(client, "list_campaigns", {});
    } finally {
      await Promise.all([limitedMcp.close(), limitedRest.close()]);
    }
  });
});


describe("without an MCP client", () => {
  it("one JSON-RPC POST, as the README's curl sends it, lists the tools (no handshake: nothing is kept between requests)", async () => {
    const erin = await makeUser();
    const res = await fetch(mcp.baseUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${erin.apiKey}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    // A JSON body, or one server-sent event carrying it.
    const message = JSON.parse(res.headers.get("content-type")!.startsWith("text/event-stream") ? text.split("\n").find((l) => l.startsWith("data: "))!.slice(6) : text);
    expect(message.result.tools.map((t: { name: string }) => t.name).sort()).toEqual(EXPECTED_TOOLS);
  });
});

describe("internal failures", () => {
  beforeAll(() => {
    era = "2025 (legacy)";
  });

  it("a failure inside a tool is a tool error that says only \"Internal server error\"; one while checking the key, a plain 500", async () => {
    const url = new URL(inject("databaseUrl"));
    url.pathname = "/no_such_database_for_this_test";
    const broken = createDb(url.toString(), 1);
    // Keys are checked on the working pool; the tools' Prisma client has no database behind it.
    const halfBroken = await startMcpServer({ pool: testDb().pool, prisma: broken.prisma });
    const allBroken = await startMcpServer(broken);
    try {
      const frank = await makeUser();
      const client = await connect(frank.apiKey, halfBroken.baseUrl);
      // get_import_run reads through Prisma (list reads are plain SQL on the working pool).
      const body = await toolError(client, "get_import_run", { runId: randomUUID() }, "INTERNAL_SERVER_ERROR");
      expect(body).toEqual({ message: "Internal server error", code: "INTERNAL_SERVER_ERROR" });

      const res = await fetch(allBroken.baseUrl, { method: "POST", headers: { authorization: `Bearer ${frank.apiKey}`, "content-type": "application/json" }, body: "{}" });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: "Internal server error", code: "INTERNAL_SERVER_ERROR" });
    } finally {
      await Promise.all([halfBroken.close(), allBroken.close()]);
      await broken.pool.end().catch(() => {});
    }
  });
});
