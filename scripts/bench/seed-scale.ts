// A database the size of a busy install, filled with set-based SQL (INSERT … SELECT over
// generate_series), never row by row through the API. At --scale 1: 1,000 users; 20,000
// campaigns, four of 1,000,000 prospects and the rest a few hundred each; 10,000,000 prospects;
// 5,000 lists, two of 1,000,000 rows; 10,000,000 list rows; an import run per campaign.
//
// User 1 is the one the bench reads as: it owns a 1,000,000-prospect campaign and list, a
// 200-prospect campaign and a 200-row list, and about as many other campaigns and lists as
// anybody else. Everything else belongs to other customers.
import type pg from "pg";

export type ScalePlan = {
  scale: number;
  users: number;
  campaigns: number;
  bigCampaigns: number;
  bigCampaign: number;
  prospects: number;
  lists: number;
  bigLists: number;
  bigList: number;
  listRows: number;
};

export function scalePlan(scale: number): ScalePlan {
  const at = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    scale,
    users: at(1_000, 20),
    campaigns: at(20_000, 200),
    bigCampaigns: 4,
    bigCampaign: at(1_000_000, 1_000),
    prospects: at(10_000_000, 10_000),
    lists: at(5_000, 100),
    bigLists: 2,
    bigList: at(1_000_000, 1_000),
    listRows: at(10_000_000, 10_000),
  };
}

export type BenchTenant = {
  userId: string;
  smallCampaign: string;
  bigCampaign: string;
  smallList: string;
  bigList: string;
  runId: string;
};

const SMALL = 200;
const SEED_EMAIL = (n: number | string) => `scale-${n}@bench.example`;

/** The seeded database's user 1 and its rows, or null when the database is not seeded (or with another plan). */
export async function findTenant(client: pg.ClientBase, plan: ScalePlan): Promise<BenchTenant | null> {
  const marker = await client.query(`SELECT plan FROM bench_scale_seed`).catch(() => null);
  const stored = marker?.rows[0]?.plan as Record<string, unknown> | undefined;
  if (!stored || !Object.entries(plan).every(([key, value]) => stored[key] === value)) return null;
  const { rows } = await client.query(
    `SELECT u.id AS "userId",
            (SELECT id FROM campaigns WHERE user_id = u.id AND name = 'small') AS "smallCampaign",
            (SELECT id FROM campaigns WHERE user_id = u.id AND name = 'big') AS "bigCampaign",
            (SELECT id FROM lists WHERE user_id = u.id AND name = 'small') AS "smallList",
            (SELECT id FROM lists WHERE user_id = u.id AND name = 'big') AS "bigList",
            (SELECT r.id FROM import_runs r JOIN campaigns c ON c.id = r.campaign_id WHERE c.user_id = u.id AND c.name = 'small') AS "runId"
     FROM users u WHERE u.email = $1`,
    [SEED_EMAIL(1)],
  );
  return (rows[0] as BenchTenant | undefined) ?? null;
}

/**
 * Fills an empty, migrated database. Rows go in campaign by campaign (and list by list), as
 * imports write them, so every index grows at its right edge; foreign-key triggers are skipped
 * (session_replication_role = replica, a superuser setting) because the rows are made from the
 * parents they point to.
 */
export async function seedScale(client: pg.ClientBase, plan: ScalePlan, log: (line: string) => void): Promise<void> {
  const step = async (what: string, sql: string, values: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, values);
    log(`  ${what}: ${(result.rowCount ?? 0).toLocaleString("en-US")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  await client.query("SET synchronous_commit = off");
  await client.query("SET maintenance_work_mem = '256MB'");
  await client.query("SET session_replication_role = replica").catch(() => log("  (not a superuser: foreign keys are checked row by row)"));

  const smallProspects = Math.max(1, Math.round((plan.prospects - plan.bigCampaigns * plan.bigCampaign - SMALL) / (plan.campaigns - plan.bigCampaigns - 1)));
  const smallRows = Math.max(1, Math.round((plan.listRows - plan.bigLists * plan.bigList - SMALL) / (plan.lists - plan.bigLists - 1)));

  // Owner of campaign/list k: user ((k - 1) mod users) + 1. Campaign 1 (user 1) is big; campaign
  // users + 1 (user 1 again) is its small one. Sizes of the others vary around the mean.
  await step(
    "users",
    `INSERT INTO users (email, name, password_hash, created_at)
     SELECT 'scale-' || n || '@bench.example', 'Customer ' || n, 'not-a-password-hash', now() - n * interval '1 hour'
     FROM generate_series(1, $1) n`,
    [plan.users],
  );
  await client.query(
    `CREATE TEMP TABLE seed_users AS
     SELECT id, split_part(split_part(email, '@', 1), '-', 2)::int AS n FROM users WHERE email LIKE 'scale-%@bench.example'`,
  );
  await client.query(
    `CREATE TEMP TABLE seed_campaigns AS
     SELECT gen_random_uuid() AS id, k, u.id AS user_id,
            CASE WHEN k <= $2::int THEN $3::int WHEN k = $1::int + 1 THEN $5::int ELSE $4::int / 2 + (k * 7919) % greatest($4::int, 1) END AS size,
            CASE WHEN k = 1 THEN 'big' WHEN k = $1::int + 1 THEN 'small' ELSE 'campaign ' || k END AS name
     FROM generate_series(1, $6) k JOIN seed_users u ON u.n = (k - 1) % $1 + 1`,
    [plan.users, plan.bigCampaigns, plan.bigCampaign, smallProspects, SMALL, plan.campaigns],
  );
  await step(
    "campaigns",
    `INSERT INTO campaigns (id, user_id, name, channel, status, prospect_count, created_at, updated_at)
     SELECT id, user_id, name, CASE WHEN k % 5 = 0 THEN 'email' ELSE 'linkedin' END::campaign_channel,
            CASE WHEN k % 3 = 0 AND k > $1 + 1 THEN 'active' ELSE 'draft' END::campaign_status,
            size, now() - k * interval '1 minute', now() - k * interval '1 minute'
     FROM seed_campaigns ORDER BY k`,
    [plan.users],
  );
  const prospectsOf = (from: number, to: number) =>
    step(
      `prospects of campaigns ${from}-${to}`,
      `INSERT INTO prospects (campaign_id, dedupe_key, email, linkedin_url, first_name, last_name, name, company, position, headline, source, source_ref)
       SELECT c.id, 'https://www.linkedin.com/in/s' || c.k || '-' || lpad(g::text, 7, '0'),
              'p' || g || '@c' || c.k || '.example', 'https://www.linkedin.com/in/s' || c.k || '-' || lpad(g::text, 7, '0'),
              'First' || g, 'Last' || g, 'First' || g || ' Last' || g, 'Company ' || g % 997, 'Role ' || g % 31,
              'Headline of prospect ' || g, 'list', g::text
       FROM seed_campaigns c CROSS JOIN LATERAL generate_series(1, c.size) g
       WHERE c.k BETWEEN $1 AND $2 ORDER BY c.k, g`,
      [from, to],
    );
  for (let k = 1; k <= plan.bigCampaigns; k++) await prospectsOf(k, k);
  const chunk = 2_000;
  for (let from = plan.bigCampaigns + 1; from <= plan.campaigns; from += chunk) await prospectsOf(from, Math.min(plan.campaigns, from + chunk - 1));

  await client.query(
    `CREATE TEMP TABLE seed_lists AS
     SELECT gen_random_uuid() AS id, l, u.id AS user_id,
            CASE WHEN l <= $2::int THEN $3::int WHEN l = $1::int + 1 THEN $5::int ELSE $4::int / 2 + (l * 7919) % greatest($4::int, 1) END AS size,
            CASE WHEN l = 1 THEN 'big' WHEN l = $1::int + 1 THEN 'small' ELSE 'list ' || l END AS name
     FROM generate_series(1, $6) l JOIN seed_users u ON u.n = (l - 1) % $1 + 1`,
    [plan.users, plan.bigLists, plan.bigList, smallRows, SMALL, plan.lists],
  );
  await step(
    "lists",
    `INSERT INTO lists (id, user_id, name, row_count, created_at) SELECT id, user_id, name, size, now() - l * interval '1 minute' FROM seed_lists ORDER BY l`,
  );
  const rowsOf = (from: number, to: number) =>
    step(
      `list rows of lists ${from}-${to}`,
      `INSERT INTO list_rows (list_id, linkedin_url, profile_data)
       SELECT s.id, CASE WHEN g % 10 = 0 THEN 'imported-' || s.l || '-' || g ELSE 'https://www.linkedin.com/in/r' || s.l || '-' || g END,
              jsonb_build_object('firstName', 'First' || g, 'lastName', 'Last' || g, 'fullName', 'First' || g || ' Last' || g,
                                 'currentCompany', 'Company ' || g % 997, 'currentRole', 'Role ' || g % 31, 'headline', 'Headline ' || g,
                                 'enrichment', jsonb_build_object('work_email', 'r' || g || '@l' || s.l || '.example'))
       FROM seed_lists s CROSS JOIN LATERAL generate_series(1, s.size) g
       WHERE s.l BETWEEN $1 AND $2 ORDER BY s.l, g`,
      [from, to],
    );
  for (let l = 1; l <= plan.bigLists; l++) await rowsOf(l, l);
  for (let from = plan.bigLists + 1; from <= plan.lists; from += chunk) await rowsOf(from, Math.min(plan.lists, from + chunk - 1));

  // One finished import run per campaign, from a list of the same owner.
  await step(
    "import runs",
    `INSERT INTO import_runs (user_id, campaign_id, list_id, status, list_total, total, imported, started_at, finished_at)
     SELECT c.user_id, c.id, l.id, 'complete', l.size, l.size, least(l.size, c.size), now() - c.k * interval '1 minute', now() - c.k * interval '1 minute'
     FROM seed_campaigns c JOIN LATERAL (SELECT id, size FROM seed_lists WHERE user_id = c.user_id ORDER BY l LIMIT 1) l ON true`,
  );
  await client.query("RESET session_replication_role").catch(() => undefined);
  // Statistics for the planner and the visibility map for index-only scans, as autovacuum would leave them.
  for (const table of ["users", "campaigns", "lists", "import_runs", "prospects", "list_rows"]) await step(`VACUUM ANALYZE ${table}`, `VACUUM (ANALYZE) ${table}`);
  await client.query(`CREATE TABLE bench_scale_seed (plan jsonb NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())`);
  await client.query(`INSERT INTO bench_scale_seed (plan) VALUES ($1)`, [JSON.stringify(plan)]);
}
