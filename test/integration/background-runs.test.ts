// Background runs (pg-boss): answered at once (202), run by a worker, cancelled on request,
// one per (campaign, list), and resumed by another process when the one running it is killed.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from "vitest";
import pg from "pg";
import { api, callerFor, makeUser, stopTestJobs, testDb, type TestUser, useRestServer } from "../helpers/context";
import { expectImportLanded, makeRows, prospectCount, respelled, seedCampaign, seedList, type Counts } from "../helpers/import-fixtures";
import { pauseInsertOf, waitFor } from "../helpers/reliability";
import { importList } from "@/server/domain/import-list/import-list";
import { stopProcessGroup } from "../../scripts/lib/process-group";

const server = useRestServer();
let user: TestUser;

beforeAll(async () => {
  user = await makeUser();
});

/** A list with every kind of row: new people, invalid rows and people repeated in the list. */
function mixedRows(people = 2_600) {
  const rows = makeRows({ complete: people, placeholder: 250, otherSite: 50 });
  return [...rows, ...rows.slice(0, 120).map(respelled)];
}

async function runOf(runId: string) {
  return (await api(server, user.apiKey, "GET", `/imports/${runId}`)).body;
}

async function untilEnded(runId: string, ms = 60_000) {
  return waitFor(`run ${runId} to end`, async () => {
    const run = await runOf(runId);
    return run.httpStatus === null ? undefined : run;
  }, ms);
}

/** Takes the pair's import lock on a connection of the test's own, as a running import would hold it. */
async function holdImportLock(campaignId: string, listId: string) {
  const holder = new pg.Client({ connectionString: inject("databaseUrl") });
  await holder.connect();
  await holder.query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2))`, [campaignId, listId]);
  return { release: () => holder.end() };
}

const countsOf = (r: Counts) => ({ imported: r.imported, duplicates: r.duplicates, invalid: r.invalid, errors: r.errors, total: r.total });

/** The counts of a clean, synchronous run of the same list into a fresh campaign. */
async function cleanRunCounts(listId: string, channel: "linkedin" | "email" = "linkedin") {
  const campaignId = await seedCampaign(testDb(), user.id, channel, "clean run");
  return countsOf(await importList(testDb(), { userId: user.id, campaignId, listId }));
}

describe("starting a background run", () => {
  it("REST with Prefer: respond-async: 202 at once, Location names the run, and the run ends with a clean run's counts", async () => {
    const list = await seedList(testDb(), user.id, mixedRows());
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const res = await fetch(`${server.baseUrl}/campaigns/${campaignId}/leads/import-from-list`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.apiKey}`, "content-type": "application/json", prefer: "respond-async" },
      body: JSON.stringify({ listId: list.id }),
    });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(res.headers.get("location")).toBe(`/api/imports/${body.id}`);
    expect(body).toMatchObject({ runId: body.id, background: true, httpStatus: null, resumedCount: 0, listTotal: 3_020 });
    expect(["queued", "running"]).toContain(body.status);

    const run = await untilEnded(body.id);
    expect(run).toMatchObject({ status: "complete", httpStatus: 200, resumedCount: 0 });
    expect(countsOf(run)).toEqual(await cleanRunCounts(list.id));
    expect(run).toMatchObject({ imported: 2_600, errors: 0, total: 3_020 });
    await expectImportLanded(testDb(), { campaignId, result: { ...run, runId: run.id, outcome: "complete" } });
  });

  it("tRPC with background: true answers with the run; a second background request gets the same run", async () => {
    const list = await seedList(testDb(), user.id, mixedRows(3_000));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const caller = callerFor(user.id);
    const [first, second] = await Promise.all([
      caller.campaign.importList({ campaignId, listId: list.id, background: true }),
      caller.campaign.importList({ campaignId, listId: list.id, background: true }),
    ]);
    expect("status" in first && "status" in second).toBe(true);
    expect(second.runId).toBe(first.runId);
    const run = await untilEnded(first.runId);
    expect(run.status).toBe("complete");
    expect(await prospectCount(testDb(), campaignId)).toBe(3_000);
  });

  it("the same list again, in the background: nothing new, 422's counts, and the table unchanged", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 700 }));
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    await importList(testDb(), { userId: user.id, campaignId, listId: list.id });
    const started = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id, background: true });
    expect(started.status).toBe(202);
    const run = await untilEnded(started.body.id);
    expect(run).toMatchObject({ status: "nothing_imported", httpStatus: 422, imported: 0, duplicates: 700 });
    expect(await prospectCount(testDb(), campaignId)).toBe(700);
  });

  it("someone else's list or campaign is a 404, and no run is queued", async () => {
    const other = await makeUser();
    const list = await seedList(testDb(), other.id, makeRows({ complete: 5 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const res = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id, background: true });
    expect(res.status).toBe(404);
    expect((await api(server, user.apiKey, "GET", `/campaigns/${campaignId}/imports`)).body.runs).toEqual([]);
  });
});

describe("one run per list and campaign, whoever started it", () => {
  it("a synchronous import while a background run holds the pair waits its turn, then gets a 409 naming that run", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 1_500 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    // The test takes the pair's import lock first: the worker claims the run, then waits for it.
    const lock = await holdImportLock(campaignId, list.id);
    try {
      const started = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id, background: true });
      const runId: string = started.body.id;
      await waitFor("the worker to claim the run", async () => ((await runOf(runId)).status === "running" ? true : undefined));

      const sync = importList(testDb(), { userId: user.id, campaignId, listId: list.id }, { lockWaitMs: 300 });
      await expect(sync).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining(`run ${runId}`) });
      const again = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id, background: true });
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(runId);
      expect(await prospectCount(testDb(), campaignId)).toBe(0);
    } finally {
      await lock.release(); // the background run goes on
    }
  });
});

describe("cancelling", () => {
  it("mid-run: stops after the batch in flight, cancelled with exact counts, and a later import completes the list", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 3_000 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    // The third batch (rows 1000-1499) waits inside its statement; the two before it committed.
    const pause = await pauseInsertOf(testDb().pool, campaignId, list.rowIds[1_000]!);
    onTestFinished(() => pause.drop());
    const started = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id, background: true });
    const runId: string = started.body.id;
    await pause.reached();
    const cancel = await api(server, user.apiKey, "POST", `/imports/${runId}/cancel`, {});
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: "running", cancelRequested: true });
    await pause.release(); // the batch in flight commits; the next one sees the cancel and writes nothing

    const run = await untilEnded(runId);
    expect(run).toMatchObject({ status: "cancelled", httpStatus: 206, imported: 1_500, duplicates: 0, invalid: 0, errors: 0, total: 1_500 });
    expect(await prospectCount(testDb(), campaignId)).toBe(1_500);
    const campaign = await testDb().prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(campaign.prospectCount).toBe(1_500);

    // Cancelling an ended run changes nothing (a retried cancel is harmless).
    const cancelAgain = await api(server, user.apiKey, "POST", `/imports/${runId}/cancel`);
    expect(cancelAgain.status).toBe(200);
    expect(cancelAgain.body).toMatchObject({ status: "cancelled", imported: 1_500 });

    const rest = await importList(testDb(), { userId: user.id, campaignId, listId: list.id });
    expect(rest).toMatchObject({ outcome: "complete", imported: 1_500, duplicates: 1_500 });
    expect(await prospectCount(testDb(), campaignId)).toBe(3_000);
  });

  it("a queued run is cancelled at once, with nothing written; someone else's run is a 404", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 800 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    // Held before the worker can start writing: cancelled while it waits, it writes nothing.
    const lock = await holdImportLock(campaignId, list.id);
    try {
      const started = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id, background: true });
      const other = await makeUser();
      expect((await api(server, other.apiKey, "POST", `/imports/${started.body.id}/cancel`, {})).status).toBe(404);
      const cancelled = await api(server, user.apiKey, "POST", `/imports/${started.body.id}/cancel`, {});
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.cancelRequested).toBe(true);
    } finally {
      await lock.release();
    }
    const started = (await api(server, user.apiKey, "GET", `/campaigns/${campaignId}/imports`)).body.runs[0];
    const run = await untilEnded(started.id);
    expect(run).toMatchObject({ status: "cancelled", imported: 0, duplicates: 0, total: 0 });
    expect(await prospectCount(testDb(), campaignId)).toBe(0);
  });
});

describe("a worker process killed mid-run (SIGKILL) after a batch committed, before its bookkeeping", () => {
  const workers: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcessGroup(w)));
  });

  /** `npm run worker` (scripts/worker.ts) as its own process on the test database. */
  function startWorker(env: Record<string, string>) {
    const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/worker.ts"], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl"), JOBS_HEARTBEAT_SECONDS: "10", JOBS_MONITOR_SECONDS: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    workers.push(child);
    return { child, output: () => output };
  }

  it("another process takes the run over from its cursor: exact counts, no prospect twice, resumedCount 1", { timeout: 180_000 }, async () => {
    const list = await seedList(testDb(), user.id, mixedRows(4_000));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    // Only the doomed worker may take the job: this test file's own worker stops, and the second
    // process starts after the first holds the run.
    await stopTestJobs();
    const doomed = startWorker({ IMPORT_HOLD_AFTER_BATCH: "3" });
    await waitFor("the first worker to start", async () => (doomed.output().includes("worker: working") ? true : undefined), 60_000);
    const { enqueue, stop } = await enqueueOnly();
    let runId: string;
    try {
      runId = await enqueue(campaignId, list.id);
    } finally {
      await stop();
    }
    await waitFor("the first worker to hold the run after batch 3", async () => (doomed.output().includes("holding the run after batch 3") ? true : undefined), 60_000);
    // Three batches committed (and the one queued behind them may have too): part of the list.
    const held = await runOf(runId);
    expect(held.status).toBe("running");
    expect(held.imported).toBeGreaterThan(0);
    expect(held.imported).toBeLessThan(4_000);
    const successor = startWorker({});
    await waitFor("the second worker to start", async () => (successor.output().includes("worker: working") ? true : undefined), 60_000);
    // The whole process group: tsx runs the worker in a child process of its own.
    process.kill(-doomed.child.pid!, "SIGKILL");

    const run = await untilEnded(runId, 120_000);
    expect(run).toMatchObject({ status: "complete", httpStatus: 200, resumedCount: 1 });
    expect(countsOf(run)).toEqual(await cleanRunCounts(list.id));
    await expectImportLanded(testDb(), { campaignId, result: { ...run, runId, outcome: "complete" } });
    const { rows } = await testDb().pool.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT source_ref)::int AS distinct FROM prospects WHERE campaign_id = $1`,
      [campaignId],
    );
    expect(rows[0]).toEqual({ n: 4_000, distinct: 4_000 });
  });
});

/** Enqueues a background run without working the queue in this process. */
async function enqueueOnly() {
  const { startJobs } = await import("@/server/jobs/app-jobs");
  const { startBackgroundImport } = await import("@/server/domain/import-list/background");
  const jobs = await startJobs(testDb(), inject("databaseUrl"), { work: false });
  return {
    enqueue: async (campaignId: string, listId: string) => (await startBackgroundImport(testDb(), { userId: user.id, campaignId, listId }, jobs.enqueueImport)).id,
    stop: jobs.stop,
  };
}
