import { randomBytes } from "node:crypto";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { campaignCounts, runsOf, testPool } from "./support/db";
import { people, toListRow } from "./support/people";
import { apiKeyFor, expect, test } from "./support/fixtures";

// The MCP endpoint of the production build: /api/mcp is served by its own route, not by the
// REST catch-all beside it, and an agent's client can run an import through it.

test("an agent's MCP client imports a list into a new campaign through /api/mcp of the production build", async ({ user, baseURL }) => {
  const key = await apiKeyFor(user.email, "e2e agent");
  const tag = randomBytes(4).toString("hex");
  const created = await fetch(`${baseURL}/api/lists`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ name: `MCP list ${tag}`, rows: people(30, tag).map(toListRow) }),
  });
  expect(created.status).toBe(200);
  const listId = ((await created.json()) as { id: string }).id;

  // Without a key: the MCP route's 401 with its challenge (the REST catch-all has no such header).
  const refused = await fetch(`${baseURL}/api/mcp`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(refused.status).toBe(401);
  expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer realm="outreach"/);

  for (const negotiation of [{}, { versionNegotiation: { mode: { pin: "2026-07-28" } } }] as const) {
    const client = new Client({ name: "e2e-agent", version: "1.0.0" }, negotiation);
    await client.connect(new StreamableHTTPClientTransport(new URL(`${baseURL}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("import_list");

      const campaign = (await client.callTool({ name: "create_campaign", arguments: { name: `MCP ${tag}`, channel: "linkedin" } })).structuredContent as { id: string };
      const imported = await client.callTool({ name: "import_list", arguments: { campaignId: campaign.id, listId } });
      expect(imported.isError ?? false).toBe(false);
      const result = imported.structuredContent as { runId: string; status: string; listTotal: number };
      expect(result).toMatchObject({ listTotal: 30 });
      // A background run: the agent follows it until it has ended.
      let run: { status: string; imported: number; total: number; httpStatus: number | null } | undefined;
      await expect
        .poll(async () => {
          run = (await client.callTool({ name: "get_import_run", arguments: { runId: result.runId } })).structuredContent as typeof run;
          return run!.httpStatus;
        })
        .toBe(200);
      expect(run).toMatchObject({ status: "complete", total: 30 });
      expect(await campaignCounts(campaign.id)).toMatchObject({ prospects: run!.imported, stats: run!.imported, status: "draft" });
      expect((await runsOf(campaign.id)).map((r) => r.id)).toEqual([result.runId]);
    } finally {
      await client.close();
    }
  }
  const { rows } = await testPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM campaigns WHERE name LIKE $1`, [`MCP ${tag}`]);
  expect(rows[0]!.n).toBe(2);
});
