// The shape of every list-reading query's plan, not its timing: on tables big enough for the
// planner to care (other customers' 100,000-row campaign and list beside the caller's small
// ones, thousands of other campaigns, lists and import runs), no scan may walk rows that belong
// to another campaign, list or user. Each endpoint is called through the tRPC caller with a
// pool that records the SQL it sends (Prisma's included), and each statement is explained with
// its own parameters (the custom plan) and as a prepared statement under
// plan_cache_mode = force_generic_plan (the plan a named statement settles on after five runs).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { callerFor, makeUser, type TestUser } from "../helpers/context";

const BIG = 100_000;
const OTHERS = 3_000;
const OTHER_CUSTOMERS = 2_000;

// The owner column of each table a tenant's reads touch. A scan of one of them must be bounded
// by its owner in the index condition, or be a primary-key lookup of one row.
const OWNER: Record<string, string> = {
  prospects: "campaign_id",
  list_rows: "list_id",
  campaigns: "user_id",
  lists: "user_id",
  import_runs: "campaign_id",
  api_keys: "key_hash",
  users: "id",
};

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  Plans?: PlanNode[];
};
type Recorded = { text: string; values: unknown[] };

let db: Db;
let admin: pg.Client;
let recorded: Recorded[] = [];
let indexTable: Map<string, string>;
let alice: TestUser;
let bob: TestUser;
const ids = {} as { small: string; big: string; other: string; smallList: string; bigList: string; otherList: string; bigCursor: string; bigListCursor: string };

/** What a scan of a tenant table does wrong, or null. */
function scanProblem(node: PlanNode): string | null {
  const table = node["Relation Name"] ?? (node["Index Name"] ? indexTable.get(node["Index Name"]) : undefined);
  if (!table || !(table in OWNER)) return null;
  const owner = OWNER[table]!;
  const where = `${node["Node Type"]} on ${table}${node["Index Name"] ? ` using ${node["Index Name"]}` : ""}`;
  if (node["Node Type"] === "Seq Scan") return `${where}: reads the whole table`;
  if (!/Index/.test(node["Node Type"])) return null; // Bitmap Heap Scan: its Bitmap Index Scan child is checked
  const cond = node["Index Cond"];
  if (!cond) return `${where}: walks the whole index${node.Filter ? `, filtering ${node.Filter}` : ""}`;
  const ownerEquals = new RegExp(`\\b${owner} = `).test(cond);
  // (owner, id) > (x, cursor) AND owner <= x: the keyset form, one owner's range of the index.
  const ownerRange = new RegExp(`ROW\\(${owner}, id\\) > `).test(cond) && new RegExp(`\\b${owner} <= `).test(cond);
  const ownerBetweenItself = new RegExp(`\\b${owner} >= (\\S+)\\) AND \\(${owner} <= \\1\\)`).test(cond);
  const onePrimaryKey = /^\(id = [^)]+\)$/.test(cond) || /^\(id = ANY \(/.test(cond);
  if (ownerEquals || ownerRange || ownerBetweenItself || onePrimaryKey) return null;
  return `${where}: index condition ${cond} is not bounded by ${owner}${node.Filter ? ` (filter ${node.Filter})` : ""}`;
}

/** The plan as one line per node, for a failure's message. */
function outline(node: PlanNode, depth = 0): string[] {
  const line = `${"  ".repeat(depth)}${node["Node Type"]}${node["Relation Name"] ? ` on ${node["Relation Name"]}` : ""}${node["Index Name"] ? ` using ${node["Index Name"]}` : ""}${node["Index Cond"] ? ` [${node["Index Cond"]}]` : ""}${node.Filter ? ` filter ${node.Filter}` : ""}`;
  return [line, ...(node.Plans ?? []).flatMap((child) => outline(child, depth + 1))];
}

function problems(node: PlanNode, out: string[] = []): string[] {
  const problem = scanProblem(node);
  if (problem) out.push(problem);
  for (const child of node.Plans ?? []) problems(child, out);
  return out;
}

const literal = (value: unknown) =>
  value === null || value === undefined ? "NULL" : admin.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));

async function customPlan(statement: Recorded): Promise<PlanNode> {
  const { rows } = await admin.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
  return rows[0]["QUERY PLAN"][0].Plan as PlanNode;
}

/** The plan a prepared statement uses once PostgreSQL stops planning it for each call's values. */
async function genericPlan(statement: Recorded): Promise<PlanNode> {
  await admin.query("BEGIN");
  try {
    await admin.query("SET LOCAL plan_cache_mode = force_generic_plan");
    await admin.query(`PREPARE plan_shape AS ${statement.text}`);
    const args = statement.values.length ? `(${statement.values.map(literal).join(", ")})` : "";
    const { rows } = await admin.query(`EXPLAIN (FORMAT JSON) EXECUTE plan_shape${args}`);
    return rows[0]["QUERY PLAN"][0].Plan as PlanNode;
  } finally {
    await admin.query("ROLLBACK");
    await admin.query("DEALLOCATE ALL");
  }
}

/** Runs fn as alice and returns the SQL it sent. */
async function statementsOf(fn: (caller: ReturnType<typeof callerFor>) => Promise<unknown>): Promise<Recorded[]> {
  recorded = [];
  await fn(callerFor(alice.id, db));
  return recorded.filter((s) => /^\s*(SELECT|WITH|UPDATE)/i.test(s.text));
}

beforeAll(async () => {
  const url = inject("databaseUrl");
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  db = createDb(url, 4);
  // Record every statement: the domain's named SQL and Prisma's (the adapter calls pool.query too).
  const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => Promise<unknown>;
  (db.pool as unknown as { query: unknown }).query = (config: unknown, values?: unknown[]) => {
    if (typeof config === "string") recorded.push({ text: config, values: values ?? [] });
    else if (config && typeof config === "object" && "text" in config) {
      const c = config as { text: string; values?: unknown[] };
      recorded.push({ text: c.text, values: c.values ?? values ?? [] });
    }
    return query(config, values);
  };

  [alice, bob] = await Promise.all([makeUser(db), makeUser(db)]);
  // Set-based, like a real multi-tenant install: many other customers with a small campaign
  // and a small list each; bob with thousands of campaigns and lists, a 100,000-row campaign and
  // list and thousands of import runs; alice with a small campaign and list (200) and big ones
  // (30,000). (With only a handful of owners the planner rightly expects any owner to hold a
  // large share of a table, and a generic plan reads the whole table.)
  await admin.query(
    `WITH u AS (
       INSERT INTO users (email, password_hash) SELECT 'plan-shape-' || g || '-' || $2 || '@example.com', 'x' FROM generate_series(1, $1) g RETURNING id
     ), c AS (
       INSERT INTO campaigns (user_id, name, channel, prospect_count) SELECT id, 'theirs', 'email', $3 FROM u RETURNING id
     ), l AS (
       INSERT INTO lists (user_id, name, row_count) SELECT id, 'theirs', $3 FROM u RETURNING id
     ), p AS (
       INSERT INTO prospects (campaign_id, dedupe_key, email, source)
       SELECT c.id, 'p' || g || '@example.com', 'p' || g || '@example.com', 'api' FROM c, generate_series(1, $3) g
     )
     INSERT INTO list_rows (list_id, linkedin_url, profile_data) SELECT l.id, 'https://www.linkedin.com/in/t' || g, '{}' FROM l, generate_series(1, $3) g`,
    [OTHER_CUSTOMERS, process.pid, 20],
  );
  await admin.query(
    `INSERT INTO campaigns (user_id, name, channel, created_at)
     SELECT $1, 'other ' || g, 'linkedin', now() - g * interval '1 minute' FROM generate_series(1, $2) g`,
    [bob.id, OTHERS],
  );
  await admin.query(
    `INSERT INTO lists (user_id, name, created_at) SELECT $1, 'other ' || g, now() - g * interval '1 minute' FROM generate_series(1, $2) g`,
    [bob.id, OTHERS],
  );
  const campaign = async (userId: string, name: string, n: number) => {
    const { rows } = await admin.query(`INSERT INTO campaigns (user_id, name, channel, prospect_count) VALUES ($1, $2, 'linkedin', $3) RETURNING id`, [userId, name, n]);
    await admin.query(
      `INSERT INTO prospects (campaign_id, dedupe_key, linkedin_url, first_name, source)
       SELECT $1, 'https://www.linkedin.com/in/p' || g, 'https://www.linkedin.com/in/p' || g, 'P' || g, 'api' FROM generate_series(1, $2) g`,
      [rows[0].id, n],
    );
    return rows[0].id as string;
  };
  const list = async (userId: string, name: string, n: number) => {
    const { rows } = await admin.query(`INSERT INTO lists (user_id, name, row_count) VALUES ($1, $2, $3) RETURNING id`, [userId, name, n]);
    await admin.query(
      `INSERT INTO list_rows (list_id, linkedin_url, profile_data)
       SELECT $1, 'https://www.linkedin.com/in/r' || g, jsonb_build_object('firstName', 'R' || g) FROM generate_series(1, $2) g`,
      [rows[0].id, n],
    );
    return rows[0].id as string;
  };
  ids.other = await campaign(bob.id, "bob's big campaign", BIG);
  ids.otherList = await list(bob.id, "bob's big list", BIG);
  ids.small = await campaign(alice.id, "alice's small campaign", 200);
  ids.big = await campaign(alice.id, "alice's big campaign", 30_000);
  ids.smallList = await list(alice.id, "alice's small list", 200);
  ids.bigList = await list(alice.id, "alice's big list", 30_000);
  await admin.query(
    `INSERT INTO import_runs (user_id, campaign_id, list_id, status, finished_at)
     SELECT $1, $2, $3, 'complete', now() FROM generate_series(1, $4)`,
    [bob.id, ids.other, ids.otherList, OTHERS],
  );
  await admin.query(`INSERT INTO import_runs (user_id, campaign_id, list_id, status, finished_at) VALUES ($1, $2, $3, 'complete', now())`, [
    alice.id,
    ids.small,
    ids.smallList,
  ]);
  // The cursor that leads to the last page of alice's big campaign and list.
  const cursorBefore = async (table: string, owner: string, id: string, rowsAfter: number) =>
    (await admin.query(`SELECT id::text AS id FROM ${table} WHERE ${owner} = $1 ORDER BY id DESC OFFSET $2 LIMIT 1`, [id, rowsAfter])).rows[0].id as string;
  ids.bigCursor = await cursorBefore("prospects", "campaign_id", ids.big, 50);
  ids.bigListCursor = await cursorBefore("list_rows", "list_id", ids.bigList, 50);
  await admin.query("ANALYZE campaigns, lists, prospects, list_rows, import_runs");
  const { rows } = await admin.query<{ indexname: string; tablename: string }>(`SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public'`);
  indexTable = new Map(rows.map((r) => [r.indexname, r.tablename]));
}, 300_000);

afterAll(async () => {
  // Everything cascades away with its owner, so other test files' tables are small again.
  await admin?.query("DELETE FROM users WHERE id = ANY($1) OR email LIKE $2", [[alice?.id, bob?.id].filter(Boolean), `plan-shape-%-${process.pid}@example.com`]);
  await admin?.end();
  await db?.prisma.$disconnect();
  await db?.pool.end();
}, 300_000);

const lastPage = (total: number, limit: number) => Math.ceil(total / limit);

// Every list-reading endpoint (and the primary-key reads they are measured against), as alice.
const READS: Array<[string, (c: ReturnType<typeof callerFor>) => Promise<unknown>]> = [
  ["GET /campaigns", (c) => c.campaign.list({})],
  ["GET /campaigns/{id}", (c) => c.campaign.get({ campaignId: ids.small })],
  ["GET /campaigns/{id}/leads, small campaign", (c) => c.campaign.prospects({ campaignId: ids.small, page: 1, limit: 50 })],
  ["GET /campaigns/{id}/leads, last page of the big one", (c) => c.campaign.prospects({ campaignId: ids.big, page: lastPage(30_000, 50), limit: 50 })],
  ["GET /campaigns/{id}/leads?cursor, the last page of the big one", (c) => c.campaign.prospects({ campaignId: ids.big, page: 1, limit: 50, cursor: ids.bigCursor })],
  ["GET /campaigns/{id}/imports", (c) => c.campaign.importRuns({ campaignId: ids.small })],
  ["GET /lists", (c) => c.list.list({})],
  ["GET /lists/{id}/rows, small list", (c) => c.list.rows({ listId: ids.smallList, page: 1, limit: 50 })],
  ["GET /lists/{id}/rows, last page of the big one", (c) => c.list.rows({ listId: ids.bigList, page: lastPage(30_000, 50), limit: 50 })],
  ["GET /lists/{id}/rows?cursor, the last page of the big one", (c) => c.list.rows({ listId: ids.bigList, page: 1, limit: 50, cursor: ids.bigListCursor })],
];

describe("every list-reading query reads only its owner's rows", () => {
  it.each(READS)("%s", async (_name, call) => {
    const statements = await statementsOf(call);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const custom = await customPlan(statement);
      const generic = await genericPlan(statement);
      const found = { custom: problems(custom), generic: problems(generic) };
      const plans = found.custom.length + found.generic.length ? { customPlan: outline(custom), genericPlan: outline(generic) } : {};
      expect({ sql: statement.text, ...found, ...plans }).toEqual({ sql: statement.text, custom: [], generic: [] });
    }
  });

  it("pages agree with the rows: page/limit and the cursor walk the same rows in order", async () => {
    const c = callerFor(alice.id, db);
    const byPage = await c.campaign.prospects({ campaignId: ids.small, page: 2, limit: 50 });
    const first = await c.campaign.prospects({ campaignId: ids.small, page: 1, limit: 50 });
    const byCursor = await c.campaign.prospects({ campaignId: ids.small, page: 1, limit: 50, cursor: first.nextCursor! });
    expect(byCursor.prospects.map((p) => p.id)).toEqual(byPage.prospects.map((p) => p.id));
    expect(byPage.prospects).toHaveLength(50);
    const last = await c.campaign.prospects({ campaignId: ids.small, page: 4, limit: 50 });
    expect(last.nextCursor).toBeNull();
    expect(last.prospects).toHaveLength(50);
  });
});

describe("the check is not vacuous", () => {
  it("the generic plans are generic (parameters left as $n)", async () => {
    const [statement] = (await statementsOf((c) => c.campaign.prospects({ campaignId: ids.small, page: 1, limit: 50 }))).filter((s) =>
      s.text.includes("FROM prospects"),
    );
    expect(JSON.stringify(await genericPlan(statement!))).toContain("$1");
    expect(JSON.stringify(await customPlan(statement!))).not.toContain("$1");
  });

  it("without the indexes that start with campaign_id, the small campaign's page walks other campaigns' rows and is caught", async () => {
    const [statement] = (await statementsOf((c) => c.campaign.prospects({ campaignId: ids.small, page: 1, limit: 50 }))).filter((s) =>
      s.text.includes("FROM prospects"),
    );
    // DROP INDEX is transactional: nothing outside this transaction ever misses the indexes.
    await admin.query("BEGIN");
    try {
      await admin.query("SET LOCAL lock_timeout = '10s'");
      await admin.query("DROP INDEX prospects_campaign_id_id_idx");
      await admin.query("ALTER TABLE prospects DROP CONSTRAINT prospects_campaign_id_dedupe_key_key");
      expect(problems(await customPlan(statement!))).not.toEqual([]);
    } finally {
      await admin.query("ROLLBACK");
    }
  });
});
