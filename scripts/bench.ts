// npm run bench -- --rows N
//
// Times a list import through the real REST endpoint of the production build against
// PostgreSQL doing the same job in one INSERT … SELECT (same data, same run, order alternated),
// reads the server's resident memory while it imports, and does the same for
// addCampaignProspects (1000 prospects a call vs one INSERT … ON CONFLICT DO NOTHING).
// See docs/performance.md for what the numbers mean and what was tried.
//
//   --rows N            list size (default 100000)
//   --repeat R          import/reference pairs (default 3); the ratio is the median
//   --profile full|light profile_data as scraped (default) or only the fields the import reads
//   --prisma-rows M     rows for Prisma's createMany variant, extrapolated to N (default 10000; 0 skips)
//   --leads-repeat K    addCampaignProspects rounds: the call, over HTTP, the reference (default 15; 0 skips)
//   --strategies        also time every strategy tried, in this process (slow)
//   --scratch-build     build a copy of the repository in a temp folder and serve that
//   --explain-only      load the list, print the page query's plan, stop
//   --goal-ratio G      the goals' pass mark for both ratios (default 1.5, the issues')
//
// Exits 1 when a goal is missed: the import over HTTP within G × the reference (median of the
// pairs), addCampaignProspects over HTTP within G × its reference, the server's RSS growing by at
// most 100 MB.
//   --background        also time background imports (202, then GET /api/imports/{id} every
//                       --poll-ms) against synchronous ones, in pairs; exits 1 unless the median
//                       ratio is within --background-goal (default 1.1, issue 11)
//   --kill-resume       instead of the pairs: a background run whose server is SIGKILLed once
//                       --kill-at of it has committed (default 0.5), taken over by a new server;
//                       exits 1 unless its counts are a clean run's and the new server's RSS grows
//                       by at most --memory-goal-mb (default 100) and stays flat while it resumes
//                       (after the first quarter of the resumed run, at most --flat-mb, default 25,
//                       above that quarter's peak; RSS sampled every 100 ms); both servers' jobs
//                       heartbeat is --takeover-seconds (default 60, at least 10)
//
// The database: an embedded PostgreSQL in a temp folder, or DATABASE_URL (migrated; the bench's
// user and everything it owns are deleted at the end). The server: server.mjs over this
// repository's build (built first when missing), or BENCH_SERVER_URL (then set DATABASE_URL to
// its database, and BENCH_SERVER_PID to read its memory).
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb, type Db } from "../src/server/db";
import { createApiKey } from "../src/server/auth/api-keys";
import { createCampaign } from "../src/server/domain/campaigns";
import { PAGE_QUERY_FOR_EXPLAIN } from "../src/server/domain/import-list/read-pages";
import { appendRows, createList } from "../src/server/domain/lists";
import { addCampaignProspects } from "../src/server/domain/prospects/add-campaign-prospects";
import { createUser } from "../src/server/domain/users";
import { benchDatabase } from "./bench/database";
import { generateRows, leadsBody, type ProfileShape } from "./bench/data";
import { median } from "./bench/median";
import { cpuSeconds, loadAverage, rssBytes, sampleRss, treeCpuSeconds } from "./bench/proc";
import { runLeadsReference, runPrismaLiteral, runReference } from "./bench/reference";
import { ensureBuilt, httpRequest, ROOT, scratchBuild, startServer, type BenchServer } from "./bench/server";
import { closeStrategyPools, importWith, STRATEGIES } from "./bench/strategies";
import { backgroundPairs, killResume, timedBackgroundImport, type Api } from "./bench/background";

const { values: opts } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    repeat: { type: "string", default: "3" },
    profile: { type: "string", default: "full" },
    "prisma-rows": { type: "string", default: "10000" },
    "leads-repeat": { type: "string", default: "15" },
    strategies: { type: "boolean", default: false },
    "scratch-build": { type: "boolean", default: false },
    "explain-only": { type: "boolean", default: false },
    "goal-ratio": { type: "string", default: "1.5" },
    background: { type: "boolean", default: false },
    "background-goal": { type: "string", default: "1.1" },
    "poll-ms": { type: "string", default: "50" },
    "kill-resume": { type: "boolean", default: false },
    "kill-at": { type: "string", default: "0.5" },
    "memory-goal-mb": { type: "string", default: "100" },
    "flat-mb": { type: "string", default: "25" },
    "takeover-seconds": { type: "string", default: "60" },
  },
});
const ROWS = Number(opts.rows);
const REPEAT = Number(opts.repeat);
const PROFILE = opts.profile as ProfileShape;
const PRISMA_ROWS = Math.min(ROWS, Number(opts["prisma-rows"]));
const LEADS_REPEAT = Number(opts["leads-repeat"]);
const GOAL_RATIO = Number(opts["goal-ratio"]);
const BACKGROUND_GOAL = Number(opts["background-goal"]);
const POLL_MS = Number(opts["poll-ms"]);
const KILL_AT = Number(opts["kill-at"]);
const MEMORY_GOAL_MB = Number(opts["memory-goal-mb"]);
const FLAT_MB = Number(opts["flat-mb"]);
if (!(ROWS > 0) || !(REPEAT > 0) || !["full", "light"].includes(PROFILE) || !(BACKGROUND_GOAL > 0) || !(POLL_MS > 0) || !(KILL_AT > 0 && KILL_AT < 1) || !(MEMORY_GOAL_MB > 0) || !(FLAT_MB > 0) || !(Number(opts["takeover-seconds"]) >= 10)) {
  throw new Error("bad arguments; see the top of scripts/bench.ts");
}
if (opts["kill-resume"] && process.env.BENCH_SERVER_URL) throw new Error("--kill-resume kills and starts the server itself: unset BENCH_SERVER_URL");

// --kill-resume: a dead worker's run is taken over --takeover-seconds after its last heartbeat
// (checked every 2 s), which leaves the new server time to start and warm up before it takes the
// run, so its memory baseline is a warm server's. The takeover delay itself is not what is measured.
const KILL_RESUME_ENV: Record<string, string> = opts["kill-resume"] ? { JOBS_HEARTBEAT_SECONDS: String(Number(opts["takeover-seconds"])), JOBS_MONITOR_SECONDS: "2" } : {};

const MB = 1024 * 1024;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const log = (line = "") => console.log(line);

/** A measured piece of work: wall time, CPU of the server, of PostgreSQL and of the bench, peak server RSS. */
type Sample = { ms: number; serverCpu: number | null; pgCpu: number | null; benchCpu: number; peakRss: number | null; rssAfter?: number | null };

async function measure<T>(fn: () => Promise<T>, ctx: { serverPid: number | null; postmasterPid: number | null }): Promise<Sample & { value: T }> {
  const sampler = ctx.serverPid ? sampleRss(ctx.serverPid) : null;
  const server0 = ctx.serverPid ? cpuSeconds(ctx.serverPid) : 0;
  const pg0 = ctx.postmasterPid ? treeCpuSeconds(ctx.postmasterPid) : 0;
  const self0 = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const self = process.cpuUsage(self0);
  return {
    value,
    ms,
    serverCpu: ctx.serverPid ? cpuSeconds(ctx.serverPid) - server0 : null,
    pgCpu: ctx.postmasterPid ? treeCpuSeconds(ctx.postmasterPid) - pg0 : null,
    benchCpu: (self.user + self.system) / 1e6,
    peakRss: sampler ? sampler.stop() : null,
  };
}

async function main() {
  const database = await benchDatabase();
  const db = createDb(database.url, 6);
  const servers: BenchServer[] = []; // stopped at the end (--kill-resume starts a second one)
  let scratch: { remove: () => void } | undefined;
  let userId: string | undefined;
  const results: Record<string, unknown> = { rows: ROWS, profile: PROFILE, repeat: REPEAT, startedAt: new Date().toISOString() };
  try {
    const { rows: [pgInfo] } = await db.pool.query<{ version: string }>(`SELECT current_setting('server_version') AS version`);
    log(`bench: ${fmt(ROWS)} rows (${PROFILE} profiles), PostgreSQL ${pgInfo!.version} (${database.embedded ? "embedded" : "DATABASE_URL"}), ${os.cpus().length} cores, node ${process.version}, load ${loadAverage().join(" ")}`);
    Object.assign(results, { postgres: pgInfo!.version, embedded: database.embedded, cores: os.cpus().length, loadBefore: loadAverage() });

    // The data: a user with an API key, the list, and a small list to warm the server up with.
    const email = `bench-${Date.now()}@example.com`;
    const user = await createUser(db.prisma, { email, password: "bench-password" });
    userId = user.id;
    const { key } = await createApiKey(db.prisma, user.id, "bench");
    const loadStarted = performance.now();
    const list = await loadList(db, user.id, `bench ${fmt(ROWS)} ${PROFILE}`, ROWS, 42);
    const warmList = await loadList(db, user.id, "bench warm-up", 20_000, 7);
    await db.pool.query("ANALYZE list_rows");
    const { rows: [size] } = await db.pool.query<{ table: string; avg: number }>(
      `SELECT pg_size_pretty(pg_total_relation_size('list_rows')) AS table,
              (SELECT avg(octet_length(profile_data::text))::int FROM list_rows WHERE list_id = $1) AS avg`,
      [list],
    );
    log(`list: ${fmt(ROWS)} rows loaded in ${fmt((performance.now() - loadStarted) / 1000, 1)} s; profile_data averages ${size!.avg} bytes of JSON; list_rows is ${size!.table}`);

    const plan = await explainPageQuery(db, list);
    log(`\npage query (EXPLAIN (ANALYZE, BUFFERS), a page from the middle of the list):\n${plan}`);
    results.explain = plan;
    if (!plan.includes("list_rows_list_id_id_idx")) log("!! the page query does not use list_rows_list_id_id_idx");
    if (opts["explain-only"]) return;

    // The server.
    let serverPid: number | null = null;
    let baseUrl: string;
    let appDir = ROOT;
    if (process.env.BENCH_SERVER_URL) {
      baseUrl = process.env.BENCH_SERVER_URL.replace(/\/$/, "");
      serverPid = process.env.BENCH_SERVER_PID ? Number(process.env.BENCH_SERVER_PID) : null;
    } else {
      if (opts["scratch-build"]) {
        const built = scratchBuild();
        scratch = built;
        appDir = built.dir;
      } else ensureBuilt(ROOT);
      const server = await startServer(appDir, database.url, KILL_RESUME_ENV);
      servers.push(server);
      baseUrl = server.baseUrl;
      serverPid = server.pid;
    }
    log(`server: ${baseUrl}${serverPid ? ` (pid ${serverPid})` : " (memory not read: set BENCH_SERVER_PID)"}`);
    const ctx = { serverPid, postmasterPid: database.postmasterPid };
    const apiAt = (url: string): Api => (method, pathname, body, headers) => httpRequest(url, method, pathname, body, key, headers);
    const api = apiAt(baseUrl);
    const newCampaignAt = async (api: Api) => {
      const res = await api("POST", "/api/campaigns", { name: "bench", channel: "linkedin" });
      if (res.status !== 200) throw new Error(`creating a campaign: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    const newCampaign = () => newCampaignAt(api);
    const importOverHttp = async (campaignId: string, listId: string) => {
      const res = await api("POST", `/api/campaigns/${campaignId}/leads/import-from-list`, { listId });
      if (res.status !== 200) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { imported: number; duplicates: number; invalid: number; errors: number; total: number };
    };
    const leads = leadsBody();
    // Serialised once, outside the timer: the reference's arrays are also built before its timer starts.
    const leadsPayload = Buffer.from(JSON.stringify({ prospects: leads }));

    // Warm-up. A server that has been running has compiled its hot paths, and its pooled
    // connections' backends have touched PostgreSQL's shared memory (on this kind of VM a
    // backend's first touch of a page is slow); a fresh one has not. The reference's connection
    // is warmed the same way. The memory baseline is taken after.
    for (let i = 0; i < 3; i++) {
      const warmCampaign = await newCampaign();
      await importOverHttp(warmCampaign, warmList);
      await dropCampaign(db, warmCampaign, false);
      if (opts.background) {
        // The background path too: the queue's worker, the run record's reads.
        const bgCampaign = await newCampaign();
        await timedBackgroundImport(api, bgCampaign, warmList, POLL_MS);
        await dropCampaign(db, bgCampaign, false);
      }
      const refCampaign = (await createCampaign(db, user.id, { name: "warm-up reference", channel: "linkedin" })).id;
      await runReference(db, warmList, refCampaign);
      await dropCampaign(db, refCampaign, false);
      const leadsCampaign = await newCampaign();
      await api("POST", `/api/campaigns/${leadsCampaign}/leads`, leadsPayload);
      await dropCampaign(db, leadsCampaign, false);
      const callCampaign = (await createCampaign(db, user.id, { name: "warm-up leads", channel: "linkedin" })).id;
      await addCampaignProspects(db, user.id, callCampaign, leads);
      await dropCampaign(db, callCampaign, false);
    }
    // Keeps the server's pooled connections open (it closes them after 10 s idle) before a measurement.
    const touchServer = (campaignId: string) => Promise.all([1, 2, 3, 4].map(() => api("GET", `/api/campaigns/${campaignId}`)));
    await new Promise((r) => setTimeout(r, 2_000));
    const baselineRss = serverPid ? median([0, 1, 2, 3, 4].map(() => rssBytes(serverPid!) ?? 0)) : null;
    if (baselineRss) log(`server RSS after warm-up: ${fmt(baselineRss / MB)} MB`);

    if (opts["kill-resume"]) {
      const outcome = await killResume({
        db,
        api,
        server: servers[0]!,
        startServer: async () => {
          const server = await startServer(appDir, database.url, KILL_RESUME_ENV);
          servers.push(server);
          return { server, api: apiAt(server.baseUrl) };
        },
        listId: list,
        warmListId: warmList,
        rows: ROWS,
        pollMs: POLL_MS,
        killAt: KILL_AT,
        memoryGoalMb: MEMORY_GOAL_MB,
        flatMb: FLAT_MB,
        newCampaign: newCampaignAt,
        prepare: (campaignId) => settle(db).then(() => touchServer(campaignId)).then(() => undefined),
        checkImport: (campaignId, counts) => checkImport(db, campaignId, counts),
        dropCampaign: (campaignId, vacuum) => dropCampaign(db, campaignId, vacuum),
        log,
      });
      results.killResume = outcome.summary;
      if (!outcome.ok) {
        log("kill and resume: FAILED (see above)");
        process.exitCode = 1;
      }
      return;
    }

    // The import over HTTP against the reference, order alternated.
    log(`\nimport over HTTP vs the reference INSERT … SELECT (${REPEAT} pairs, order alternated):`);
    log("  pair  order      http ms   ref ms   ratio   rows/s   server cpu s  pg cpu s (http / ref)  RSS growth: peak / after");
    const pairs: { http: Sample; ref: Sample; ratio: number }[] = [];
    for (let pair = 0; pair < REPEAT; pair++) {
      const order = pair % 2 === 0 ? (["http", "ref"] as const) : (["ref", "http"] as const);
      const got: Partial<Record<"http" | "ref", Sample>> = {};
      for (const which of order) {
        if (which === "http") {
          const campaignId = await newCampaign();
          await settle(db);
          await touchServer(campaignId);
          const sample = await measure(() => importOverHttp(campaignId, list), ctx);
          await checkImport(db, campaignId, sample.value);
          got.http = { ...sample, rssAfter: serverPid ? rssBytes(serverPid) : null };
          await dropCampaign(db, campaignId);
        } else {
          const campaignId = (await createCampaign(db, user.id, { name: "reference", channel: "linkedin" })).id;
          await settle(db);
          got.ref = await measure(() => runReference(db, list, campaignId), ctx);
          await dropCampaign(db, campaignId);
        }
      }
      const ratio = got.http!.ms / got.ref!.ms;
      pairs.push({ http: got.http!, ref: got.ref!, ratio });
      const growth =
        got.http!.peakRss !== null && baselineRss !== null
          ? `${fmt((got.http!.peakRss - baselineRss) / MB)} / ${fmt(((got.http!.rssAfter ?? 0) - baselineRss) / MB)} MB`
          : "n/a";
      log(
        `  ${String(pair + 1).padStart(4)}  ${order.join("→").padEnd(9)} ${fmt(got.http!.ms).padStart(8)} ${fmt(got.ref!.ms).padStart(8)} ${ratio.toFixed(2).padStart(7)} ` +
          `${fmt(ROWS / (got.http!.ms / 1000)).padStart(8)} ${(got.http!.serverCpu?.toFixed(2) ?? "n/a").padStart(14)} ` +
          `${`${got.http!.pgCpu?.toFixed(2) ?? "n/a"} / ${got.ref!.pgCpu?.toFixed(2) ?? "n/a"}`.padStart(22)}  ${growth.padStart(22)}`,
      );
    }
    const httpMs = median(pairs.map((p) => p.http.ms));
    const refMs = median(pairs.map((p) => p.ref.ms));
    const ratio = median(pairs.map((p) => p.ratio));
    const peakGrowth = baselineRss !== null ? Math.max(...pairs.map((p) => (p.http.peakRss ?? 0) - baselineRss)) : null;
    const cpuRatio = ctx.postmasterPid && serverPid
      ? median(pairs.map((p) => (p.http.serverCpu! + p.http.pgCpu!) / (p.ref.pgCpu! + p.ref.benchCpu)))
      : null;
    log(`  median: http ${fmt(httpMs)} ms (${fmt(ROWS / (httpMs / 1000))} rows/s), reference ${fmt(refMs)} ms, ratio ${ratio.toFixed(2)} (median of the pairs' ratios)`);
    if (cpuRatio !== null) log(`  CPU time (server + PostgreSQL) over the reference's: ${cpuRatio.toFixed(2)} (what the ratio tends to when the cores are busy with other work)`);
    if (peakGrowth !== null) log(`  server RSS: peak growth over the warm-up baseline ${fmt(peakGrowth / MB)} MB`);
    Object.assign(results, { import: { pairs, httpMs, refMs, ratio, cpuRatio, baselineRss, peakGrowth } });

    if (opts.background) {
      const outcome = await backgroundPairs({
        db,
        api,
        listId: list,
        rows: ROWS,
        repeat: REPEAT,
        pollMs: POLL_MS,
        goal: BACKGROUND_GOAL,
        newCampaign,
        measure: (fn) => measure(fn, ctx),
        prepare: (campaignId) => settle(db).then(() => touchServer(campaignId)).then(() => undefined),
        checkImport: (campaignId, counts) => checkImport(db, campaignId, counts),
        dropCampaign: (campaignId) => dropCampaign(db, campaignId),
        baselineRss,
        log,
      });
      results.background = outcome.summary;
      if (!outcome.met) process.exitCode = 1;
    }

    // addCampaignProspects: 1000 prospects a call against one INSERT … ON CONFLICT DO NOTHING,
    // as the operation itself (the domain function, in this process) and through the REST
    // endpoint of the production server (which adds HTTP, Next.js, JSON and validation).
    if (LEADS_REPEAT > 0) {
      const times = { call: [] as number[], http: [] as number[], ref: [] as number[] };
      const steps = {
        call: async (campaignId: string) => {
          const started = performance.now();
          const result = await addCampaignProspects(db, user.id, campaignId, leads);
          times.call.push(performance.now() - started);
          if (result.imported === 0) throw new Error("addCampaignProspects imported nothing");
        },
        http: async (campaignId: string) => {
          const started = performance.now();
          const res = await api("POST", `/api/campaigns/${campaignId}/leads`, leadsPayload);
          times.http.push(performance.now() - started);
          if (res.status !== 200) throw new Error(`leads: ${res.status} ${JSON.stringify(res.body)}`);
        },
        ref: async (campaignId: string) => {
          times.ref.push((await runLeadsReference(db, campaignId, leads)).ms);
        },
      };
      const names = Object.keys(steps) as Array<keyof typeof steps>;
      for (let i = 0; i < LEADS_REPEAT; i++) {
        // Each into a fresh campaign, the order rotated so none always runs first.
        for (const name of [...names.slice(i % 3), ...names.slice(0, i % 3)]) {
          const campaignId = (await createCampaign(db, user.id, { name: `leads ${name}`, channel: "linkedin" })).id;
          await steps[name](campaignId);
          await dropCampaign(db, campaignId, false);
        }
      }
      const ref = median(times.ref);
      const callRatio = median(times.call) / ref;
      const httpRatio = median(times.http) / ref;
      log(`\naddCampaignProspects, ${leads.length} prospects a call (${LEADS_REPEAT} rounds), one INSERT … ON CONFLICT median ${ref.toFixed(1)} ms:`);
      log(`  the operation (addCampaignProspects, in this process): median ${median(times.call).toFixed(1)} ms, ratio ${callRatio.toFixed(2)}`);
      log(`  over HTTP (POST /leads to the production server):      median ${median(times.http).toFixed(1)} ms, ratio ${httpRatio.toFixed(2)}`);
      Object.assign(results, { leads: { ...times, callRatio, httpRatio } });
    }

    // Prisma's createMany, the spec's shape taken literally: for the record, extrapolated.
    if (PRISMA_ROWS > 0) {
      const campaignId = (await createCampaign(db, user.id, { name: "prisma", channel: "linkedin" })).id;
      await settle(db);
      const rss0 = process.memoryUsage().rss;
      const self = sampleRss(process.pid);
      const sample = await measure(() => runPrismaLiteral(db, list, campaignId, PRISMA_ROWS), { serverPid: null, postmasterPid: ctx.postmasterPid });
      const growth = self.stop() - rss0;
      const extrapolated = (sample.ms * ROWS) / sample.value.rows;
      log(
        `\nPrisma findMany + createMany({ skipDuplicates }) in this process: ${fmt(sample.value.rows)} rows in ${fmt(sample.ms)} ms` +
          `${sample.value.rows < ROWS ? `, extrapolated to ${fmt(ROWS)}: ${fmt(extrapolated)} ms` : ""}; ratio ${(extrapolated / refMs).toFixed(1)} to the median reference; bench RSS +${fmt(growth / MB)} MB`,
      );
      Object.assign(results, { prisma: { rows: sample.value.rows, ms: sample.ms, extrapolated, ratio: extrapolated / refMs, rssGrowth: growth } });
      await dropCampaign(db, campaignId);
    }

    if (opts.strategies) results.strategies = await compareStrategies(db, user.id, list, ctx.postmasterPid);

    // The goals, as ratios measured in this run.
    const goals: Array<{ goal: string; value: string; ok: boolean }> = [
      { goal: `import over HTTP within ${GOAL_RATIO} x the reference`, value: ratio.toFixed(2), ok: ratio <= GOAL_RATIO },
    ];
    if (peakGrowth !== null) goals.push({ goal: "server RSS growth at most 100 MB", value: `${fmt(peakGrowth / MB)} MB`, ok: peakGrowth <= 100 * MB });
    const leadsResult = results.leads as { httpRatio: number } | undefined;
    if (leadsResult) {
      goals.push({ goal: `addCampaignProspects over HTTP within ${GOAL_RATIO} x the reference`, value: leadsResult.httpRatio.toFixed(2), ok: leadsResult.httpRatio <= GOAL_RATIO });
    }
    log(`\ngoals:`);
    for (const g of goals) log(`  ${g.ok ? "pass" : "MISSED"}  ${g.goal}: ${g.value}`);
    results.goals = goals;
    if (goals.some((g) => !g.ok)) process.exitCode = 1;

    results.loadAfter = loadAverage();
    log(`\nload average at the end: ${loadAverage().join(" ")}`);
  } finally {
    for (const server of servers) await server.stop();
    scratch?.remove();
    if (userId && !database.embedded) await db.pool.query("DELETE FROM users WHERE id = $1", [userId]).catch(() => undefined);
    await db.prisma.$disconnect();
    await db.pool.end();
    await database.stop();
    const dir = path.join(ROOT, "bench-results");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `bench-${ROWS}-${PROFILE}-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(results, null, 2));
    log(`results: ${path.relative(process.cwd(), file)}`);
  }
}

/** Creates a list of n generated rows through the domain's appendRows, generating the next chunk while one is written. */
async function loadList(db: Db, userId: string, name: string, n: number, seed: number): Promise<string> {
  const list = await createList(db, userId, { name });
  const CHUNK = 2_000;
  let writing: Promise<unknown> = Promise.resolve();
  for (let from = 0; from < n; from += CHUNK) {
    const rows = generateRows(from, Math.min(CHUNK, n - from), seed, PROFILE);
    await writing;
    writing = appendRows(db, userId, list.id, rows);
  }
  await writing;
  return list.id;
}

async function explainPageQuery(db: Db, listId: string): Promise<string> {
  const { rows: [middle] } = await db.pool.query<{ id: string }>(
    `SELECT id::text AS id FROM list_rows WHERE list_id = $1 ORDER BY id OFFSET (SELECT row_count / 2 FROM lists WHERE id = $1) LIMIT 1`,
    [listId],
  );
  const { rows } = await db.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${PAGE_QUERY_FOR_EXPLAIN}`, [listId, middle!.id, 1000]);
  return rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n");
}

/** Every measurement starts from the same state: no dirty buffers or WAL left from the last one. */
async function settle(db: Db) {
  await db.pool.query("CHECKPOINT").catch(() => undefined); // needs a superuser (or pg_checkpoint); skipped otherwise
}

async function dropCampaign(db: Db, campaignId: string, vacuum = true) {
  await db.pool.query("DELETE FROM prospects WHERE campaign_id = $1", [campaignId]);
  await db.pool.query("DELETE FROM campaigns WHERE id = $1", [campaignId]);
  if (vacuum) await db.pool.query("VACUUM prospects");
}

/** The import's counts add up, and the database holds exactly what it says it imported. */
async function checkImport(db: Db, campaignId: string, counts: { imported: number; duplicates: number; invalid: number; errors: number; total: number }) {
  const { rows: [row] } = await db.pool.query<{ prospects: number; stats: number }>(
    `SELECT (SELECT count(*)::int FROM prospects WHERE campaign_id = $1) AS prospects, prospect_count AS stats FROM campaigns WHERE id = $1`,
    [campaignId],
  );
  const sum = counts.imported + counts.duplicates + counts.invalid + counts.errors;
  if (counts.total !== ROWS || sum !== ROWS || counts.errors !== 0 || row!.prospects !== counts.imported || row!.stats !== counts.imported) {
    throw new Error(`import counts don't add up: ${JSON.stringify({ counts, database: row })}`);
  }
}

async function compareStrategies(db: Db, userId: string, listId: string, postmasterPid: number | null) {
  const names = Object.keys(STRATEGIES);
  const times: Record<string, Sample[]> = { reference: [] };
  log(`\nstrategies, in this process (${REPEAT} rounds, order rotated; ratio = median time / median reference):`);
  const reference = async () => {
    const campaignId = (await createCampaign(db, userId, { name: "reference", channel: "linkedin" })).id;
    await settle(db);
    times.reference!.push(await measure(() => runReference(db, listId, campaignId), { serverPid: null, postmasterPid }));
    await dropCampaign(db, campaignId);
  };
  for (let round = 0; round < REPEAT; round++) {
    await reference();
    const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
    for (const name of order) {
      const campaignId = (await createCampaign(db, userId, { name, channel: "linkedin" })).id;
      await settle(db);
      (times[name] ??= []).push(await measure(() => importWith(db, name, { userId, listId, campaignId }), { serverPid: null, postmasterPid }));
      await dropCampaign(db, campaignId);
    }
    await reference();
  }
  await closeStrategyPools(db);
  const ref = median(times.reference!.map((s) => s.ms));
  const refCpu = median(times.reference!.map((s) => (s.pgCpu ?? 0) + s.benchCpu));
  log(`  ${"strategy".padEnd(58)} median ms   ratio   cpu ratio`);
  const summary: Record<string, { ms: number; ratio: number; cpuRatio: number | null; all: number[] }> = {};
  for (const [name, samples] of Object.entries(times)) {
    const ms = median(samples.map((s) => s.ms));
    const cpu = postmasterPid ? median(samples.map((s) => (s.pgCpu ?? 0) + s.benchCpu)) / refCpu : null;
    summary[name] = { ms, ratio: ms / ref, cpuRatio: cpu, all: samples.map((s) => Math.round(s.ms)) };
    log(`  ${name.padEnd(58)} ${fmt(ms).padStart(9)} ${(ms / ref).toFixed(2).padStart(7)} ${(cpu?.toFixed(2) ?? "n/a").padStart(10)}`);
  }
  return summary;
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
