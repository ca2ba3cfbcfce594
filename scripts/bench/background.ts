// Background runs (issue 11), measured from outside like any API client: POST with
// `Prefer: respond-async` (202 and the run), then GET /api/imports/{id} until the run has ended.
//
// - backgroundPairs: a background import against a synchronous one of the same list, each into
//   a fresh campaign, order alternated; the goal is the median ratio within 1.1.
// - killResume: a background run whose server is SIGKILLed mid-run, a new server that takes it
//   over from its cursor; exact counts, and the resuming server's memory.
// See docs/performance.md, "Background runs".
import type { Db } from "../../src/server/db";
import { rssBytes, sampleRss } from "./proc";
import { median } from "./median";
import type { BenchServer } from "./server";

export type Api = (method: string, pathname: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;

type Counts = { imported: number; duplicates: number; invalid: number; errors: number; total: number };

/** What GET /api/imports/{id} answers (the fields used here). */
export type RunView = Counts & {
  id: string;
  status: string;
  httpStatus: number | null;
  resumedCount: number;
  startedAt: string;
  finishedAt: string | null;
};

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const countsOf = (r: Counts): Counts => ({ imported: r.imported, duplicates: r.duplicates, invalid: r.invalid, errors: r.errors, total: r.total });
const sameCounts = (a: Counts, b: Counts) => JSON.stringify(countsOf(a)) === JSON.stringify(countsOf(b));

/** Starts a background run over REST: the 202 and the run it names. */
export async function startBackground(api: Api, campaignId: string, listId: string): Promise<RunView> {
  const res = await api("POST", `/api/campaigns/${campaignId}/leads/import-from-list`, { listId }, { prefer: "respond-async" });
  if (res.status !== 202) throw new Error(`background import: expected 202, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as RunView;
}

export async function readRun(api: Api, runId: string): Promise<RunView> {
  const res = await api("GET", `/api/imports/${runId}`);
  if (res.status !== 200) throw new Error(`GET /api/imports/${runId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as RunView;
}

/**
 * Polls the run every pollMs until it has ended (httpStatus set), calling onPoll with each
 * answer. The end is seen at most pollMs plus two GETs after the record says it ended.
 */
export async function followRun(api: Api, runId: string, pollMs: number, onPoll?: (run: RunView) => void | "stop"): Promise<{ run: RunView; polls: number; getMs: number[] }> {
  const getMs: number[] = [];
  for (let polls = 1; ; polls++) {
    const started = performance.now();
    const run = await readRun(api, runId);
    getMs.push(performance.now() - started);
    if (onPoll?.(run) === "stop" || run.httpStatus !== null) return { run, polls, getMs };
    await sleep(pollMs);
  }
}

/** A background import timed like the synchronous one: from sending the request until the run is seen ended. */
export async function timedBackgroundImport(api: Api, campaignId: string, listId: string, pollMs: number) {
  const wallStart = Date.now();
  const started = performance.now();
  const accepted = await startBackground(api, campaignId, listId);
  const acceptedMs = performance.now() - started;
  // How long the run waited for a worker: until the first poll that no longer saw it queued.
  let queuedMs: number | null = accepted.status === "queued" ? null : acceptedMs;
  const { run, polls, getMs } = await followRun(api, accepted.id, pollMs, (r) => {
    if (queuedMs === null && r.status !== "queued") queuedMs = performance.now() - started;
  });
  const ms = performance.now() - started;
  // The record's own end (PostgreSQL's clock, the end statement's transaction start) against
  // this process's clock at the request: the same machine's clock, no polling in it.
  const recordMs = run.finishedAt ? new Date(run.finishedAt).getTime() - wallStart : null;
  return { ms, run, acceptedMs, queuedMs, recordMs, polls, getMs };
}

export type BackgroundContext = {
  db: Db;
  api: Api;
  listId: string;
  rows: number;
  repeat: number;
  pollMs: number;
  goal: number;
  newCampaign: () => Promise<string>;
  /** Runs fn with the bench's measurement around it (wall time, CPU, the server's peak RSS). */
  measure: <T>(fn: () => Promise<T>) => Promise<{ ms: number; peakRss: number | null; value: T }>;
  prepare: (campaignId: string) => Promise<void>;
  checkImport: (campaignId: string, counts: Counts) => Promise<void>;
  dropCampaign: (campaignId: string) => Promise<void>;
  baselineRss: number | null;
  log: (line?: string) => void;
};

/** Background vs synchronous imports of the same list, in pairs; true when the median ratio is within the goal. */
export async function backgroundPairs(ctx: BackgroundContext) {
  const { log } = ctx;
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  log(`\nbackground import (202, then GET /api/imports/{id} every ${ctx.pollMs} ms until it has ended) vs the synchronous import (${ctx.repeat} pairs, order alternated):`);
  log("  pair  order         bg ms  sync ms   ratio  bg by its record  202 ms  queued ≤ ms  polls  GET ms (median)  RSS growth bg / sync");
  type Bg = Awaited<ReturnType<typeof timedBackgroundImport>>;
  const pairs: { bg: { ms: number; peakRss: number | null; value: Bg }; sync: { ms: number; peakRss: number | null }; ratio: number; recordRatio: number | null }[] = [];
  for (let pair = 0; pair < ctx.repeat; pair++) {
    const order = pair % 2 === 0 ? (["bg", "sync"] as const) : (["sync", "bg"] as const);
    const got: { bg?: (typeof pairs)[number]["bg"]; sync?: { ms: number; peakRss: number | null; value: Counts } } = {};
    for (const which of order) {
      const campaignId = await ctx.newCampaign();
      await ctx.prepare(campaignId);
      if (which === "bg") {
        const sample = await ctx.measure(() => timedBackgroundImport(ctx.api, campaignId, ctx.listId, ctx.pollMs));
        if (sample.value.run.status !== "complete") throw new Error(`background run ended ${sample.value.run.status}: ${JSON.stringify(sample.value.run)}`);
        await ctx.checkImport(campaignId, sample.value.run);
        got.bg = sample;
      } else {
        got.sync = await ctx.measure(async () => {
          const res = await ctx.api("POST", `/api/campaigns/${campaignId}/leads/import-from-list`, { listId: ctx.listId });
          if (res.status !== 200) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
          return res.body as Counts;
        });
        await ctx.checkImport(campaignId, got.sync.value);
      }
      await ctx.dropCampaign(campaignId);
    }
    const bg = got.bg!;
    const sync = got.sync!;
    // The same list into an empty campaign: both ways must count the same.
    if (!sameCounts(bg.value.run, sync.value)) throw new Error(`background and synchronous counts differ: ${JSON.stringify({ bg: countsOf(bg.value.run), sync: countsOf(sync.value) })}`);
    const ratio = bg.ms / sync.ms;
    const recordRatio = bg.value.recordMs !== null ? bg.value.recordMs / sync.ms : null;
    pairs.push({ bg, sync, ratio, recordRatio });
    const getMedian = median(bg.value.getMs);
    const growth = (s: { peakRss: number | null }) => (s.peakRss !== null && ctx.baselineRss !== null ? fmt((s.peakRss - ctx.baselineRss) / MB) : "n/a");
    log(
      `  ${String(pair + 1).padStart(4)}  ${order.join("→").padEnd(10)} ${fmt(bg.ms).padStart(8)} ${fmt(sync.ms).padStart(8)} ${ratio.toFixed(2).padStart(7)} ` +
        `${`${bg.value.recordMs !== null ? fmt(bg.value.recordMs) : "n/a"} (${recordRatio?.toFixed(2) ?? "n/a"})`.padStart(17)} ${fmt(bg.value.acceptedMs).padStart(7)} ${(bg.value.queuedMs !== null ? fmt(bg.value.queuedMs) : "n/a").padStart(12)} ` +
        `${String(bg.value.polls).padStart(6)} ${getMedian.toFixed(1).padStart(16)}  ${`${growth(bg)} / ${growth(sync)} MB`.padStart(20)}`,
    );
  }
  const ratio = median(pairs.map((p) => p.ratio));
  const recordRatios = pairs.map((p) => p.recordRatio).filter((r): r is number => r !== null);
  const bgMs = median(pairs.map((p) => p.bg.ms));
  const syncMs = median(pairs.map((p) => p.sync.ms));
  const range = `${Math.min(...pairs.map((p) => p.ratio)).toFixed(2)}–${Math.max(...pairs.map((p) => p.ratio)).toFixed(2)}`;
  log(`  median: background ${fmt(bgMs)} ms (${fmt(ctx.rows / (bgMs / 1000))} rows/s), synchronous ${fmt(syncMs)} ms; ratio ${ratio.toFixed(2)} (pairs ${range})`);
  const queued = pairs.map((p) => p.bg.value.queuedMs).filter((q): q is number => q !== null);
  if (queued.length) log(`  waiting for a worker (202 until a poll saw the run running): median ${fmt(median(queued))} ms (${fmt(Math.min(...queued))}–${fmt(Math.max(...queued))})`);
  if (recordRatios.length) log(`  by the run record's finishedAt instead of the poll that saw it: ratio ${median(recordRatios).toFixed(2)} (a lower bound: no polling in it)`);
  const met = ratio <= ctx.goal;
  log(`  goal: background within ${ctx.goal}× of synchronous: ${met ? "met" : "NOT met"} (median ratio ${ratio.toFixed(2)})`);
  return {
    met,
    summary: {
      goal: ctx.goal,
      pollMs: ctx.pollMs,
      ratio,
      recordRatio: recordRatios.length ? median(recordRatios) : null,
      bgMs,
      syncMs,
      pairs: pairs.map((p) => ({
        bgMs: p.bg.ms,
        syncMs: p.sync.ms,
        ratio: p.ratio,
        recordMs: p.bg.value.recordMs,
        acceptedMs: p.bg.value.acceptedMs,
        queuedMs: p.bg.value.queuedMs,
        polls: p.bg.value.polls,
        bgPeakRss: p.bg.peakRss,
        syncPeakRss: p.sync.peakRss,
      })),
    },
  };
}

export type KillResumeContext = {
  db: Db;
  api: Api;
  /** The server running now (it gets killed), and how to start another on the same database. */
  server: BenchServer;
  startServer: () => Promise<{ server: BenchServer; api: Api }>;
  listId: string;
  warmListId: string;
  rows: number;
  pollMs: number;
  /** Kill once the run's committed imports reach this share of the clean run's. */
  killAt: number;
  memoryGoalMb: number;
  /** Flat: after the first quarter of the resumed run, RSS may rise at most this far above that quarter's peak. */
  flatMb: number;
  newCampaign: (api: Api) => Promise<string>;
  prepare: (campaignId: string) => Promise<void>;
  checkImport: (campaignId: string, counts: Counts) => Promise<void>;
  dropCampaign: (campaignId: string, vacuum?: boolean) => Promise<void>;
  log: (line?: string) => void;
};

/**
 * A background run whose server is SIGKILLed mid-run and taken over by a new server: the run's
 * counts must add up, equal a clean synchronous run's, match the prospects table and the
 * campaign's stats, with one takeover; the new server's RSS is sampled while it finishes the run.
 */
export async function killResume(ctx: KillResumeContext) {
  const { log } = ctx;
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  const sec = (ms: number) => (ms / 1000).toFixed(1);

  // The clean run: a synchronous import of the same list into a fresh campaign.
  const cleanCampaign = await ctx.newCampaign(ctx.api);
  await ctx.prepare(cleanCampaign);
  const cleanStarted = performance.now();
  const cleanRes = await ctx.api("POST", `/api/campaigns/${cleanCampaign}/leads/import-from-list`, { listId: ctx.listId });
  const cleanMs = performance.now() - cleanStarted;
  if (cleanRes.status !== 200) throw new Error(`clean import: ${cleanRes.status} ${JSON.stringify(cleanRes.body)}`);
  const clean = countsOf(cleanRes.body);
  await ctx.checkImport(cleanCampaign, clean);
  await ctx.dropCampaign(cleanCampaign);
  log(`\nkill and resume: the clean synchronous run took ${sec(cleanMs)} s: ${JSON.stringify(clean)}`);

  // The background run, killed once enough of it has committed.
  const campaignId = await ctx.newCampaign(ctx.api);
  await ctx.prepare(campaignId);
  const started = performance.now();
  const accepted = await startBackground(ctx.api, campaignId, ctx.listId);
  const runId = accepted.id;
  const killWhen = Math.round(ctx.killAt * clean.imported);
  const before = await followRun(ctx.api, runId, ctx.pollMs, (run) => (run.imported >= killWhen ? "stop" : undefined));
  if (before.run.httpStatus !== null) throw new Error(`the run ended before the kill point: ${JSON.stringify(before.run)}`);
  await ctx.server.kill();
  const killedAt = performance.now();
  const atKill = await runRecord(ctx.db, runId);
  log(`  run ${runId}: server SIGKILLed (process group) ${sec(killedAt - started)} s after the 202, with ${fmt(atKill.imported)} imported (${fmt(atKill.total)} rows counted) committed`);

  // A new server on the same database; it takes the run over once the dead worker's heartbeat is stale.
  const next = await ctx.startServer();
  log(`  new server: ${next.server.baseUrl} (pid ${next.server.pid}), answering ${sec(performance.now() - killedAt)} s after the kill`);
  // Warm it up as the bench's first server was (synchronous imports of the small list), so its
  // baseline is a warm server's, not a fresh one's.
  for (let i = 0; i < 3; i++) {
    const warm = await ctx.newCampaign(next.api);
    const res = await next.api("POST", `/api/campaigns/${warm}/leads/import-from-list`, { listId: ctx.warmListId });
    if (res.status !== 200) throw new Error(`warm-up import: ${res.status} ${JSON.stringify(res.body)}`);
    await ctx.dropCampaign(warm, false);
  }
  const pid = next.server.pid!;
  const baselineRss = median([0, 1, 2, 3, 4].map(() => rssBytes(pid) ?? 0));
  const atBaseline = await runRecord(ctx.db, runId);
  const tookOverBeforeBaseline = atBaseline.resumedCount > 0;
  log(
    `  new server's RSS after warm-up: ${fmt(baselineRss / MB)} MB (${tookOverBeforeBaseline ? `the run was already taken over, at ${fmt(atBaseline.imported)} imported` : "the run not yet taken over"})`,
  );

  // Follow the run to its end, sampling the new server's memory.
  const sampler = sampleRss(pid);
  const trace: { s: number; rssMb: number; imported: number; resumedCount: number }[] = [];
  let takenOverMs: number | null = null;
  // RSS when the run was first seen taken over: growth from there is the resumed run's alone
  // (before it, the new server only answered the bench's polls).
  let takeoverRss: number | null = tookOverBeforeBaseline ? baselineRss : null;
  let lastTrace = 0;
  const { run } = await followRun(next.api, runId, ctx.pollMs, (r) => {
    const now = performance.now();
    if (r.resumedCount > 0 && takenOverMs === null) {
      takenOverMs = now - killedAt;
      takeoverRss ??= rssBytes(pid);
    }
    if (now - lastTrace >= 100 || r.httpStatus !== null) {
      lastTrace = now;
      trace.push({ s: (now - killedAt) / 1000, rssMb: (rssBytes(pid) ?? 0) / MB, imported: r.imported, resumedCount: r.resumedCount });
    }
  });
  const endedMs = performance.now() - started;
  const peakRss = sampler.stop();
  const afterRss = rssBytes(pid) ?? 0;
  log(`  run ended ${sec(endedMs)} s after the 202 (${sec(performance.now() - killedAt)} s after the kill; taken over ≤ ${takenOverMs !== null ? sec(takenOverMs) : "?"} s after it): ${run.status}, resumedCount ${run.resumedCount}`);
  log(`  counts: ${JSON.stringify(countsOf(run))}`);

  // The new server's memory while it finished the run: every ~10% of the trace.
  const step = Math.max(1, Math.floor(trace.length / 10));
  log("  new server while resuming: s after kill / RSS MB / imported");
  log(`    ${trace.filter((_, i) => i % step === 0 || i === trace.length - 1).map((t) => `${t.s.toFixed(0)}s ${fmt(t.rssMb)}MB ${fmt(t.imported)}`).join(" · ")}`);
  const growthMb = (peakRss - baselineRss) / MB;
  const resumedRss = trace.filter((t) => t.resumedCount > 0).map((t) => t.rssMb);
  log(
    `  new server RSS: baseline ${fmt(baselineRss / MB)} MB, peak ${fmt(peakRss / MB)} MB (growth ${fmt(growthMb)} MB), after ${fmt(afterRss / MB)} MB; ` +
      `while resuming ${resumedRss.length ? `${fmt(Math.min(...resumedRss))}–${fmt(Math.max(...resumedRss))}` : "n/a"} MB`,
  );
  if (takeoverRss !== null) log(`  from the takeover (${fmt(takeoverRss / MB)} MB) to the peak: ${fmt((peakRss - takeoverRss) / MB)} MB`);

  // The checks: a crash and a takeover must leave exactly what a clean run leaves.
  const { rows: [table] } = await ctx.db.pool.query<{ prospects: number; distinct: number; stats: number }>(
    `SELECT (SELECT count(*)::int FROM prospects WHERE campaign_id = $1) AS prospects,
            (SELECT count(DISTINCT source_ref)::int FROM prospects WHERE campaign_id = $1) AS distinct,
            prospect_count AS stats FROM campaigns WHERE id = $1`,
    [campaignId],
  );
  const sum = run.imported + run.duplicates + run.invalid + run.errors;
  const checks: [string, boolean][] = [
    [`status complete (${run.status})`, run.status === "complete"],
    [`resumedCount 1 (${run.resumedCount})`, run.resumedCount === 1],
    [`counts add up to the list (${fmt(sum)} of ${fmt(run.total)}, list ${fmt(ctx.rows)})`, sum === run.total && run.total === ctx.rows],
    ["counts equal the clean run's", sameCounts(run, clean)],
    [`prospects table == imported (${fmt(table!.prospects)})`, table!.prospects === run.imported],
    [`no prospect twice (${fmt(table!.distinct)} distinct source rows)`, table!.distinct === table!.prospects],
    [`campaign stats == table (${fmt(table!.stats)})`, table!.stats === table!.prospects],
  ];
  for (const [what, ok] of checks) log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
  const countsOk = checks.every(([, ok]) => ok);
  const memoryOk = growthMb <= ctx.memoryGoalMb;
  log(`  memory goal: the resuming server's RSS grows by at most ${ctx.memoryGoalMb} MB: ${memoryOk ? "met" : "NOT met"} (${fmt(growthMb)} MB)`);
  const flat = flatness(trace, ctx.flatMb);
  log(`  flat memory while resuming: ${flat.judged ? (flat.ok ? "met" : "NOT met") : "NOT shown"} (${flat.detail})`);
  await ctx.dropCampaign(campaignId);
  return {
    ok: countsOk && memoryOk && flat.ok,
    server: next.server,
    summary: {
      runId,
      clean,
      cleanMs,
      run: countsOf(run),
      status: run.status,
      resumedCount: run.resumedCount,
      killAt: ctx.killAt,
      importedAtKill: atKill.imported,
      killedAfterMs: killedAt - started,
      takenOverMs,
      tookOverBeforeBaseline,
      endedMs,
      baselineRss,
      takeoverRss,
      peakRss,
      afterRss,
      growthMb,
      memoryGoalMb: ctx.memoryGoalMb,
      flat,
      trace,
      checks: Object.fromEntries(checks),
    },
  };
}

/**
 * Whether the resuming server's memory stayed flat while it imported: the resumed part of the run
 * (samples taken after the takeover) is split by progress into its first quarter, where the
 * server settles, and the rest. Flat when no sample of the rest is more than flatMb above the
 * first quarter's peak. A run kept in memory as it goes (a leak, or rows promoted to the old
 * generation and not collected) climbs through the rest and fails. Fewer than 4 samples in
 * either part: not judged, and that fails too (flat not shown).
 */
export function flatness(trace: { rssMb: number; imported: number; resumedCount: number }[], flatMb: number) {
  const resumed = trace.filter((t) => t.resumedCount > 0);
  const from = resumed[0]?.imported ?? 0;
  const to = resumed.at(-1)?.imported ?? 0;
  const quarter = from + (to - from) / 4;
  const settle = resumed.filter((t) => t.imported <= quarter);
  const rest = resumed.filter((t) => t.imported > quarter);
  if (settle.length < 4 || rest.length < 4 || to <= from) {
    return { judged: false, ok: false, flatMb, detail: `${settle.length} samples in the first quarter of the resumed run, ${rest.length} in the rest: too few` };
  }
  const settledMb = Math.max(...settle.map((t) => t.rssMb));
  const restMb = Math.max(...rest.map((t) => t.rssMb));
  const endMb = rest.at(-1)!.rssMb;
  const riseMb = restMb - settledMb;
  return {
    judged: true,
    ok: riseMb <= flatMb,
    flatMb,
    settledMb,
    restMb,
    endMb,
    riseMb,
    detail:
      `peak ${Math.round(settledMb)} MB over the first quarter (${settle.length} samples, to ${Math.round(quarter).toLocaleString("en-US")} imported), ` +
      `peak ${Math.round(restMb)} MB over the rest (${rest.length} samples), ${Math.round(endMb)} MB at the end: rise ${Math.round(riseMb)} MB, at most ${flatMb} allowed`,
  };
}

async function runRecord(db: Db, runId: string) {
  const { rows } = await db.pool.query<{ imported: number; total: number; resumedCount: number }>(
    `SELECT imported, total, resumed_count AS "resumedCount" FROM import_runs WHERE id = $1`,
    [runId],
  );
  return rows[0]!;
}

