// Faults during an import, over real HTTP against a real PostgreSQL: nothing lost, nothing lied about.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from "vitest";
import { api, callerFor, closeTestDb, makeUser, startRestServer, testDb, type RestServer, type TestUser } from "../helpers/context";
import { expectImportLanded, makeRows, prospectCount, refuseProspectInserts, seedCampaign, seedList, validCount } from "../helpers/import-fixtures";
import { importList } from "@/server/domain/import-list/import-list";
import { BATCH_SIZE } from "@/server/domain/import-list/write-batch";
import { startRun } from "@/server/domain/import-list/import-runs";
import { importHttpStatus } from "@/server/api/http-status";
import { freePort } from "../../scripts/lib/database";
import { appDb, DbProxy, leftovers, pauseInsertOf, terminateBackends, waitFor, type AppDb } from "../helpers/reliability";

const admin = () => testDb().pool;

let app: AppDb;
let server: RestServer;
let user: TestUser;
beforeAll(async () => {
  app = appDb();
  server = await startRestServer(app.db);
  user = await makeUser();
});
afterAll(async () => {
  await server.close();
  await app.close();
  await closeTestDb();
});

const importPath = (campaignId: string) => `/campaigns/${campaignId}/leads/import-from-list`;

describe("the database connection dies in the middle of an import", () => {
  it("206 with exactly what landed; stats right; a retry with the same listId completes it", async () => {
    const mix = { complete: 4_000, placeholder: 500 };
    const list = await seedList(testDb(), user.id, makeRows(mix), "big list");
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    // Rows 1000 on are all valid: row 1700 sits in the second page, after batches that have committed.
    const pause = await pauseInsertOf(admin(), campaignId, list.rowIds[1_700]!);
    let res;
    try {
      const pending = api(server, user.apiKey, "POST", importPath(campaignId), { listId: list.id });
      await pause.reached();
      expect(await prospectCount(testDb(), campaignId)).toBeGreaterThan(0);
      const killed = await terminateBackends(admin(), app.appName); // the import's lock, the waiting batch, any read
      expect(killed).toBeGreaterThan(0);
      await pause.release();
      res = await pending;
    } finally {
      await pause.drop();
    }

    expect(res.status).toBe(206);
    expect(res.body.partial).toBe(true);
    expect(res.body.total).toBeLessThan(4_500);
    await expectImportLanded(testDb(), { campaignId, result: res.body });

    const retry = await api(server, user.apiKey, "POST", importPath(campaignId), { listId: list.id });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ total: 4_500, duplicates: res.body.imported, invalid: 500, errors: 0 });
    await expectImportLanded(testDb(), { campaignId, before: res.body.imported, result: retry.body });
    expect(await prospectCount(testDb(), campaignId)).toBe(validCount("linkedin", mix));
    expect(await leftovers(admin(), app.appName)).toMatchObject({ idle_in_tx: 0, advisory_locks: 0 });
  });
});

/** A clean JSON error: documented shape, nothing of the driver, the SQL or a stack. */
function expectCleanError(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(Object.keys(res.body).sort()).toEqual(["code", "message"]);
  expect(JSON.stringify(res.body)).not.toMatch(/ECONN|127\.0\.0\.1|prisma|SELECT|INSERT|\bat \S+ \(|\.ts:\d+|stack/i);
}

describe("the database is unreachable when the call arrives", () => {
  it("503 with Retry-After for every kind of call when nothing listens on the database port", async () => {
    const u = new URL(inject("databaseUrl"));
    u.port = String(await freePort()); // nothing listens there
    const dead = appDb(u.toString(), { connectionTimeoutMillis: 1_000 });
    const deadServer = await startRestServer(dead.db);
    try {
      const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
      const list = await seedList(testDb(), user.id, makeRows({ complete: 3 }));
      const calls = [
        ["GET", "/campaigns", undefined],
        ["POST", "/lists", { name: "L", rows: [{ linkedin_url: "https://www.linkedin.com/in/x" }] }],
        ["POST", importPath(campaignId), { listId: list.id }],
      ] as const;
      for (const [method, path, body] of calls) {
        const res = await api(deadServer, user.apiKey, method, path, body);
        expectCleanError(res, 503);
        expect(res.body.code).toBe("SERVICE_UNAVAILABLE");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      await expectImportLanded(testDb(), { campaignId, result: { imported: 0, duplicates: 0, invalid: 0, errors: 0, total: 0 } });

      // The key's lookup starts before the body is read: a body refused first is still a 413, and
      // the lookup failing unawaited behind it is no unhandled rejection (which fails this run).
      const oversized = await api(deadServer, user.apiKey, "POST", "/lists", { name: "big", rows: [{ profile_data: { blob: "x".repeat(11 * 1024 * 1024) } }] });
      expect(oversized.status).toBe(413);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await deadServer.close();
      await dead.close();
    }
  });

  it("the database goes away and comes back: 503 while it is gone, the same server works again by itself", async () => {
    const proxy = DbProxy.forUrl();
    await proxy.start();
    const via = appDb(proxy.url(), { connectionTimeoutMillis: 1_000 });
    const proxied = await startRestServer(via.db);
    try {
      const campaignId = await seedCampaign(testDb(), user.id, "email");
      const list = await seedList(testDb(), user.id, makeRows({ complete: 30, placeholder: 5 }));
      expect((await api(proxied, user.apiKey, "GET", `/campaigns/${campaignId}`)).status).toBe(200);

      await proxy.stop(); // open connections cut, new ones refused
      for (const [method, path, body] of [
        ["GET", `/campaigns/${campaignId}`, undefined],
        ["POST", importPath(campaignId), { listId: list.id }],
      ] as const) {
        expectCleanError(await api(proxied, user.apiKey, method, path, body), 503);
      }
      expect(await prospectCount(testDb(), campaignId)).toBe(0);

      // Accepts connections and never answers: bounded by connectionTimeoutMillis, not a hang.
      await proxy.start();
      proxy.blackhole();
      expectCleanError(await api(proxied, user.apiKey, "GET", `/campaigns/${campaignId}`), 503);
      await proxy.stop();

      await proxy.start(); // back
      const res = await api(proxied, user.apiKey, "POST", importPath(campaignId), { listId: list.id });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ imported: 30, invalid: 5, errors: 0, total: 35 });
      await expectImportLanded(testDb(), { campaignId, result: res.body });
    } finally {
      await proxied.close();
      await via.close();
      await proxy.stop();
    }
  });
});

describe("one insert batch fails for a reason other than a duplicate", () => {
  // Three batches of valid rows; the second one fails. Its rows are errors, the others land.
  const rowsInBatches = () => makeRows({ complete: 3 * BATCH_SIZE });

  it("through the writeBatch seam: that batch's rows are errors, every other batch lands (outcome complete, 200)", async () => {
    const list = await seedList(testDb(), user.id, rowsInBatches());
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const result = await importList(
      testDb(),
      { userId: user.id, campaignId, listId: list.id },
      {
        writeBatch: (base) => {
          let calls = 0;
          return async (batch) => {
            if (++calls === 2) throw new Error("injected: could not extend file");
            return base(batch);
          };
        },
      },
    );
    expect(result).toMatchObject({ outcome: "complete", imported: 2 * BATCH_SIZE, errors: BATCH_SIZE, duplicates: 0, invalid: 0, total: 3 * BATCH_SIZE });
    expect(importHttpStatus(result.outcome)).toBe(200);
    await expectImportLanded(testDb(), { campaignId, result });
    await expectLandedRows(campaignId, list.rowIds, [BATCH_SIZE, 2 * BATCH_SIZE]);
  });

  it("over HTTP, the database refusing one row: its whole batch is errors (one statement), the other batches land", async () => {
    const list = await seedList(testDb(), user.id, rowsInBatches());
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const undo = await refuseProspectInserts(testDb(), campaignId, [list.rowIds[BATCH_SIZE + 7]!]);
    let res;
    try {
      res = await api(server, user.apiKey, "POST", importPath(campaignId), { listId: list.id });
    } finally {
      await undo();
    }
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2 * BATCH_SIZE, errors: BATCH_SIZE, duplicates: 0, invalid: 0, total: 3 * BATCH_SIZE });
    expect(JSON.stringify(res.body)).not.toMatch(/No space|trigger|INSERT/i);
    await expectImportLanded(testDb(), { campaignId, result: res.body });
    await expectLandedRows(campaignId, list.rowIds, [BATCH_SIZE, 2 * BATCH_SIZE]);

    // The retry imports exactly the failed batch.
    const retry = await api(server, user.apiKey, "POST", importPath(campaignId), { listId: list.id });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ imported: BATCH_SIZE, duplicates: 2 * BATCH_SIZE, errors: 0 });
    await expectImportLanded(testDb(), { campaignId, before: 2 * BATCH_SIZE, result: retry.body });
  });
});

/** The campaign holds a prospect for every list row except those in [from, to). */
async function expectLandedRows(campaignId: string, rowIds: string[], [from, to]: [number, number]) {
  const { rows } = await testDb().pool.query<{ ref: string }>(`SELECT source_ref AS ref FROM prospects WHERE campaign_id = $1`, [campaignId]);
  const landed = new Set(rows.map((r) => r.ref));
  const expected = rowIds.filter((_, i) => i < from || i >= to);
  expect(landed.size).toBe(expected.length);
  expect(expected.every((id) => landed.has(id))).toBe(true);
}

describe("the client disconnects mid-import", () => {
  it("the server finishes cleanly: the run record holds what was committed; no open transaction, no held lock", async () => {
    const mix = { complete: 2_500, emailOnly: 500 };
    const list = await seedList(testDb(), user.id, makeRows(mix));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const pause = await pauseInsertOf(admin(), campaignId, list.rowIds[1_500]!);
    onTestFinished(() => pause.drop());
    const controller = new AbortController();
    const pending = fetch(`${server.baseUrl}${importPath(campaignId)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ listId: list.id }),
      signal: controller.signal,
    }).then(
      () => "answered",
      (error: Error) => error.name,
    );
    await pause.reached();
    controller.abort(); // mid-run, with batches committed and more to come
    expect(await pending).toBe("AbortError");
    await pause.release();

    const run = await waitFor("the run to end", async () => {
      const r = await testDb().prisma.importRun.findFirstOrThrow({ where: { campaignId } });
      return r.status === "running" ? undefined : r;
    });
    await pause.drop();
    expect(run.status).toBe("complete");
    expect(run.total).toBe(3_000);
    await expectImportLanded(testDb(), { campaignId, result: { ...run, runId: run.id, outcome: run.status } });
    expect(await prospectCount(testDb(), campaignId)).toBe(validCount("linkedin", mix));
    await waitFor("the lock to be released", async () => ((await leftovers(admin(), app.appName)).advisory_locks === 0 ? true : undefined));
    expect(await leftovers(admin(), app.appName)).toMatchObject({ idle_in_tx: 0, open_tx: 0, advisory_locks: 0 });
    // And the server goes on serving.
    expect((await api(server, user.apiKey, "GET", `/campaigns/${campaignId}`)).body.stats.prospectCount).toBe(validCount("linkedin", mix));
  });
});

describe("the database goes down mid-import and stays down past the response", () => {
  it("206 with the committed counts; the run record is closed once the database is back", async () => {
    const proxy = DbProxy.forUrl();
    await proxy.start();
    const via = appDb(proxy.url(), { connectionTimeoutMillis: 1_000 });
    const proxied = await startRestServer(via.db);
    try {
      const mix = { complete: 2_000, linkedinOnly: 1_000 };
      const list = await seedList(testDb(), user.id, makeRows(mix));
      const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
      const pause = await pauseInsertOf(admin(), campaignId, list.rowIds[1_500]!);
      onTestFinished(() => pause.drop());
      const pending = api(proxied, user.apiKey, "POST", importPath(campaignId), { listId: list.id });
      await pause.reached();
      // The database goes down: every connection cut, new ones refused, and its sessions end (their
      // open statements roll back). Cutting the network alone would leave the waiting statement to
      // commit unseen: see "a network cut" in docs/reliability.md.
      await proxy.stop();
      await terminateBackends(admin(), via.appName);
      await pause.release();
      const res = await pending;
      await pause.drop();
      expect(res.status).toBe(206);
      expect(res.body.partial).toBe(true);
      expect(res.body.imported + res.body.duplicates + res.body.invalid + res.body.errors).toBe(res.body.total);
      expect(await prospectCount(testDb(), campaignId)).toBe(res.body.imported);

      await proxy.start();
      const run = await waitFor("the run to be closed", async () => {
        const r = await testDb().prisma.importRun.findUniqueOrThrow({ where: { id: res.body.runId } });
        return r.status === "running" ? undefined : r;
      });
      expect(run.status).toBe("partial");
      await expectImportLanded(testDb(), { campaignId, result: res.body });

      const retry = await api(proxied, user.apiKey, "POST", importPath(campaignId), { listId: list.id });
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ duplicates: res.body.imported, errors: 0, total: 3_000 });
      expect(await prospectCount(testDb(), campaignId)).toBe(3_000);
    } finally {
      await proxied.close();
      await via.close();
      await proxy.stop();
    }
  });
});

describe("the server dies mid-import (its run record still says running)", () => {
  it("the run reads as partial once its import lock is free, counts adding up; a run whose lock is held stays running", async () => {
    const db = testDb();
    const campaignId = await seedCampaign(db, user.id, "linkedin");
    const deadList = await seedList(db, user.id, makeRows({ complete: 5 }), "dead run");
    const liveList = await seedList(db, user.id, makeRows({ complete: 5 }), "live run");
    // What a dead server leaves: a record moved by its committed batches, and no lock (PostgreSQL
    // freed it with the server's session). The last page it read was not all written.
    const dead = await startRun(db.pool, { userId: user.id, campaignId, listId: deadList.id, listTotal: 1000 });
    await db.pool.query(`UPDATE import_runs SET total = 1000, invalid = 10, imported = 600, duplicates = 200 WHERE id = $1`, [dead]);
    // A run still going: its import lock is held by a live session.
    const live = await startRun(db.pool, { userId: user.id, campaignId, listId: liveList.id, listTotal: 5 });
    const holder = await db.pool.connect();
    await holder.query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2))`, [campaignId, liveList.id]);
    const caller = callerFor(user.id);
    try {
      const { runs } = await caller.campaign.importRuns({ campaignId });
      const byId = new Map(runs.map((r) => [r.id, r]));
      expect(byId.get(dead)).toMatchObject({ status: "partial", total: 1000, invalid: 10, imported: 600, duplicates: 200, errors: 190 });
      expect(byId.get(dead)!.finishedAt).not.toBeNull();
      expect(byId.get(live)).toMatchObject({ status: "running", finishedAt: null });
      expect((await caller.campaign.importRun({ runId: live })).status).toBe("running");
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [campaignId, liveList.id]);
      holder.release();
    }
    // Its session gone too, the other one is over as well.
    expect(await caller.campaign.importRun({ runId: live })).toMatchObject({ status: "partial", errors: 0 });
  });
});
