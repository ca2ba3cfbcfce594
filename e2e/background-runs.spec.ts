// A background import outlives the process running it: two `next start` processes on one
// database (a database of this test's own, so the suite's other servers take no jobs), the
// first killed with SIGKILL while it holds the run after a committed batch, the second takes
// the run over. The dialog, open on the second server, follows it to the end and says so.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureDatabase, migrate } from "../scripts/lib/database";
import { stopProcessGroup } from "../scripts/lib/process-group";
import { createDb } from "../src/server/db";
import { createUser } from "../src/server/domain/users";
import { createApiKey } from "../src/server/auth/api-keys";
import { createList } from "../src/server/domain/lists";
import { createCampaign } from "../src/server/domain/campaigns";
import { e2eDatabaseUrl } from "./support/env";
import { expect, signIn, test } from "./support/fixtures";
import { people, toListRow } from "./support/people";
import { serverLog, startNextServer, waitUntilReady, type NextServer } from "../scripts/lib/next-server";

test("a background import whose server is SIGKILLed mid-run is finished by the other one, exactly", async ({ page }) => {
  test.setTimeout(240_000);
  const url = new URL(e2eDatabaseUrl());
  url.pathname = `/outreach_e2e_jobs_${randomBytes(4).toString("hex")}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl, { quiet: true });
  const db = createDb(databaseUrl, 2);
  const servers: NextServer[] = [];
  try {
    const user = { email: `jobs-${randomBytes(4).toString("hex")}@example.com`, password: `pw-${randomBytes(8).toString("hex")}` };
    const { id: userId } = await createUser(db.prisma, user);
    const { key } = await createApiKey(db.prisma, userId, "e2e");
    const rows = people(4_000, randomBytes(3).toString("hex")).map(toListRow);
    const list = await createList(db, userId, { name: "Four thousand", rows });
    const campaign = await createCampaign(db, userId, { name: "Survives a crash", channel: "linkedin" });
    const clean = await createCampaign(db, userId, { name: "Clean run", channel: "linkedin" });

    const secret = randomBytes(32).toString("base64url");
    const jobs = { JOBS_HEARTBEAT_SECONDS: "10", JOBS_MONITOR_SECONDS: "2" };
    const doomed = await startNextServer("jobs-doomed", databaseUrl, secret, { ...jobs, IMPORT_HOLD_AFTER_BATCH: "3" });
    servers.push(doomed);
    await waitUntilReady(doomed);

    const started = await fetch(`${doomed.url}/api/campaigns/${campaign.id}/leads/import-from-list`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", prefer: "respond-async" },
      body: JSON.stringify({ listId: list.id }),
    });
    expect(started.status).toBe(202);
    const runId = ((await started.json()) as { id: string }).id;
    await expect.poll(() => serverLog(doomed).includes("holding the run after batch 3"), { timeout: 60_000 }).toBe(true);

    // Only now the second process: the held run can't have gone to it.
    const survivor = await startNextServer("jobs-survivor", databaseUrl, secret, jobs);
    servers.push(survivor);
    await waitUntilReady(survivor);
    await page.context().clearCookies();
    await signIn(page, user, `${survivor.url}/campaigns/${campaign.id}`);
    await page.getByRole("button", { name: "Show progress" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByTestId("import-state")).toHaveAttribute("data-state", "running");
    await expect(dialog.getByRole("button", { name: "Cancel import" })).toBeVisible();

    process.kill(-doomed.child.pid!, "SIGKILL");

    await expect(dialog.getByTestId("import-state")).toHaveAttribute("data-state", "complete", { timeout: 120_000 });
    await expect(dialog.getByTestId("import-title")).toHaveText("Imported 4,000 prospects");
    await expect(dialog.getByText(/another one resumed it after the last saved batch/)).toBeVisible();

    const { rows: runRows } = await db.pool.query(
      `SELECT status::text, resumed_count, imported, duplicates, invalid, errors, total FROM import_runs WHERE id = $1`,
      [runId],
    );
    expect(runRows[0]).toEqual({ status: "complete", resumed_count: 1, imported: 4_000, duplicates: 0, invalid: 0, errors: 0, total: 4_000 });
    const { rows: table } = await db.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT dedupe_key)::int AS people, (SELECT prospect_count FROM campaigns WHERE id = $1) AS stats
       FROM prospects WHERE campaign_id = $1`,
      [campaign.id],
    );
    expect(table[0]).toEqual({ n: 4_000, people: 4_000, stats: 4_000 });

    // A clean run of the same list, in a request on the survivor: the same counts.
    const cleanRun = await fetch(`${survivor.url}/api/campaigns/${clean.id}/leads/import-from-list`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ listId: list.id }),
    });
    expect(cleanRun.status).toBe(200);
    expect(await cleanRun.json()).toMatchObject({ imported: 4_000, duplicates: 0, invalid: 0, errors: 0, total: 4_000 });
  } finally {
    await Promise.all(servers.map((s) => stopProcessGroup(s.child)));
    await db.pool.end();
    const admin = new pg.Client({ connectionString: e2eDatabaseUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
});
