// The batch statement's plan where it went wrong once: telling repeats apart looks up the person
// of every refused row in the campaign. Given the campaign as a value its statistics had not met,
// the planner took the campaign for nearly empty and walked the (campaign_id, id) index for each
// refused row, so each batch read the whole campaign so far (an import 6-8× slower, growing with
// its size). This checks the plan, not a timing: a big campaign the statistics don't know, and the
// lookup must go through the (campaign_id, dedupe_key) index.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, makeUser, testDb } from "../helpers/context";
import { seedCampaign } from "../helpers/import-fixtures";
import { insertStatement, type NewProspect } from "@/server/domain/prospects/insert-prospects";

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Alias?: string; "Actual Loops"?: number; Plans?: PlanNode[] };
const walk = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(walk)];

let campaignId: string;
const runId = randomUUID();

beforeAll(async () => {
  const db = testDb();
  const user = await makeUser();
  const known = await seedCampaign(db, user.id, "linkedin", "known to the statistics");
  await db.pool.query(
    `INSERT INTO prospects (campaign_id, dedupe_key, source) SELECT $1, 'known-' || g, 'api' FROM generate_series(1, 20000) g`,
    [known],
  );
  await db.pool.query("ANALYZE prospects");
  // Grown after the statistics were taken, as a campaign does during its first big import.
  campaignId = await seedCampaign(db, user.id, "linkedin", "new to the statistics");
  await db.pool.query(
    `INSERT INTO prospects (campaign_id, dedupe_key, source, source_ref, import_run_id) SELECT $1, 'p-' || g, 'list', g::text, $2 FROM generate_series(1, 50000) g`,
    [campaignId, runId],
  );
}, 120_000);

afterAll(closeTestDb);

describe("the batch statement's lookup of refused rows", () => {
  it("goes through the (campaign_id, dedupe_key) index, never a scan of the campaign", async () => {
    const prospects: NewProspect[] = Array.from({ length: 500 }, (_, i) => ({
      dedupeKey: i % 2 ? `p-${i + 1}` : `new-${i}`,
      email: null, linkedinUrl: null, firstName: null, lastName: null, name: null, company: null,
      position: null, headline: null, customFields: null, source: "list", sourceRef: String(i),
    }));
    const statement = insertStatement(campaignId, prospects, {
      importRun: { id: runId, cursor: "1", counts: { imported: 0, duplicates: 0, invalid: 0, errors: 0, total: 0, repeated: 0, invalidReasons: { missing_linkedin_url: 0, placeholder_url: 0, not_a_profile_url: 0, missing_email: 0, malformed_email: 0 } } },
    });
    const { rows } = await testDb().pool.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>({ text: `EXPLAIN (FORMAT JSON) ${statement.text}`, values: statement.values });
    const lookups = walk(rows[0]!["QUERY PLAN"][0].Plan).filter((n) => n.Alias === "p");
    expect(lookups.length).toBeGreaterThan(0);
    for (const node of lookups) expect(`${node["Node Type"]} ${node["Index Name"] ?? ""}`).toBe("Index Scan prospects_campaign_id_dedupe_key_key");
  });

  // A call's prospects (addCampaignProspects: no import run) go in as a named statement, which
  // PostgreSQL runs with a generic plan after five runs, blind to the campaign's size: the lookup
  // must never run for a call. Made to fail: given an import run, it runs for every refused row.
  it("is never run for a call's prospects (a named statement, run with its generic plan)", async () => {
    const prospects: NewProspect[] = Array.from({ length: 500 }, (_, i) => ({
      dedupeKey: i % 2 ? `p-${i + 1}` : `call-${i}`, // every other one already in the campaign: refused
      email: null, linkedinUrl: null, firstName: null, lastName: null, name: null, company: null,
      position: null, headline: null, customFields: null, source: "api", sourceRef: null,
    }));
    const statement = insertStatement(campaignId, prospects);
    expect(statement.name).toBeDefined();
    const client = await testDb().pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
      await client.query(`PREPARE call_insert AS ${statement.text}`);
      // EXECUTE takes no bind parameters: PostgreSQL writes the call with the values as literals.
      const types = ["uuid", ...Array(12).fill("text[]"), "uuid", "int", "int", "int", "int", "bigint", "jsonb", "int"];
      const { rows: call } = await client.query<{ sql: string }>({
        text: `SELECT format('EXECUTE call_insert(${types.map(() => "%L").join(", ")})', ${types.map((t, i) => `$${i + 1}::${t}`).join(", ")}) AS sql`,
        values: statement.values,
      });
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${call[0]!.sql}`);
      const plan = walk(rows[0]!["QUERY PLAN"][0].Plan);
      expect(JSON.stringify(rows[0]), "a generic plan").toContain("$1");
      const lookups = plan.filter((n) => n.Alias === "p");
      expect(lookups.length).toBeGreaterThan(0);
      for (const node of lookups) expect(node["Actual Loops"], "the lookup ran").toBe(0);
      const counts = await client.query<{ inserted: number; repeated: number }>(call[0]!.sql);
      expect(counts.rows[0]).toMatchObject({ inserted: 0, repeated: 0 }); // the EXPLAIN's inserts are there
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
