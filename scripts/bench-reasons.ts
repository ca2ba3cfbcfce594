// npm run bench:reasons -- --rows N
// What giving every skipped row a reason costs, measured in one run (issue 12), in this process
// on one database (embedded unless DATABASE_URL is set):
//   1. the import (importList, the real pipeline) against the same pipeline sending the batch
//      statement as it was before issue 12 (scripts/bench/before-reasons.ts), in pairs, order
//      alternated; goal: today's within --cost-goal (default 1.10) of before, median of the pairs;
//   2. the preview of the list against the import of it; goal: the preview takes no longer;
//   3. the skipped-rows CSV of a run over the whole list (a second import, so every row is
//      skipped), streamed and read to the end: this process's RSS sampled as it streams; goal:
//      flat, growth after the first tenth of the stream at most --memory-goal-mb (default 50).
// Exits 1 when a goal is missed. Figures go in docs/performance.md.
import { parseArgs } from "node:util";
import { createDb, type Db } from "../src/server/db";
import { createCampaign } from "../src/server/domain/campaigns";
import { appendRows, createList } from "../src/server/domain/lists";
import { createUser } from "../src/server/domain/users";
import { importList } from "../src/server/domain/import-list/import-list";
import { previewImport } from "../src/server/domain/import-list/preview";
import { reportRun } from "../src/server/domain/import-list/skipped-rows";
import { skippedRowsCsv } from "../src/server/domain/import-list/skipped-csv";
import { benchDatabase } from "./bench/database";
import { generateRows } from "./bench/data";
import { loadAverage, treeCpuSeconds } from "./bench/proc";
import { beforeReasonsPool } from "./bench/before-reasons";

const { values: opts } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    repeat: { type: "string", default: "3" },
    "cost-goal": { type: "string", default: "1.10" },
    "memory-goal-mb": { type: "string", default: "50" },
    "report-only": { type: "boolean", default: false },
  },
});
const ROWS = Number(opts.rows);
const REPEAT = Number(opts.repeat);
const COST_GOAL = Number(opts["cost-goal"]);
const MEMORY_GOAL_MB = Number(opts["memory-goal-mb"]);
const MB = 1024 * 1024;
const log = (line = "") => console.log(line);
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time, and CPU seconds of this process plus PostgreSQL's (when it is the bench's own embedded server). */
async function timed<T>(fn: () => Promise<T>, postmasterPid: number | null = null): Promise<{ ms: number; cpu: number | null; value: T }> {
  const pgBefore = postmasterPid ? treeCpuSeconds(postmasterPid) : 0;
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const own = process.cpuUsage(ownBefore);
  const cpu = postmasterPid ? treeCpuSeconds(postmasterPid) - pgBefore + (own.user + own.system) / 1e6 : null;
  return { ms, cpu, value };
}

async function main() {
  const database = await benchDatabase();
  const db = createDb(database.url, 6);
  const before: Db = { ...db, pool: beforeReasonsPool(db.pool) };
  let failed = false;
  try {
    log(`bench:reasons: ${fmt(ROWS)} rows, ${database.embedded ? "embedded PostgreSQL" : "DATABASE_URL"}, node ${process.version}, load ${loadAverage().join(" ")}`);
    const user = await createUser(db.prisma, { email: `bench-reasons-${Date.now()}@example.com`, password: "bench-password" });
    const list = await createList(db, user.id, { name: "bench reasons" });
    for (let from = 0; from < ROWS; from += 2_000) await appendRows(db, user.id, list.id, generateRows(from, Math.min(2_000, ROWS - from), 42, "full"));
    await db.pool.query("ANALYZE list_rows");
    const campaign = async (name: string) => (await createCampaign(db, user.id, { name, channel: "linkedin" })).id;
    const drop = async (campaignId: string) => {
      await db.pool.query("DELETE FROM prospects WHERE campaign_id = $1", [campaignId]);
      await db.pool.query("DELETE FROM campaigns WHERE id = $1", [campaignId]);
      await db.pool.query("VACUUM prospects");
    };
    const input = (campaignId: string) => ({ userId: user.id, campaignId, listId: list.id });

    if (!opts["report-only"]) {
      // Warm both statements' plans and the pages' cache.
      for (const pool of [db, before]) {
        const c = await campaign("warm-up");
        await importList(pool, input(c));
        await drop(c);
      }

      log(`\n1. the import, today against before issue 12 (${REPEAT} pairs, order alternated):`);
      log("  pair  order           today ms  before ms  ratio   CPU s today / before  CPU ratio");
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      for (let pair = 0; pair < REPEAT; pair++) {
        const order = pair % 2 === 0 ? (["today", "before"] as const) : (["before", "today"] as const);
        const ms: Record<string, number> = {};
        const cpu: Record<string, number | null> = {};
        for (const which of order) {
          const c = await campaign(which);
          const run = await timed(() => importList(which === "today" ? db : before, input(c)), database.postmasterPid);
          if (run.value.imported + run.value.duplicates + run.value.invalid + run.value.errors !== ROWS) throw new Error("counts do not add up");
          ms[which] = run.ms;
          cpu[which] = run.cpu;
          await drop(c);
        }
        ratios.push(ms.today! / ms.before!);
        const cpuRatio = cpu.today !== null && cpu.before !== null ? cpu.today! / cpu.before! : null;
        if (cpuRatio !== null) cpuRatios.push(cpuRatio);
        log(
          `  ${String(pair + 1).padStart(4)}  ${order.join("→").padEnd(14)} ${fmt(ms.today!).padStart(9)} ${fmt(ms.before!).padStart(10)}  ${ratios.at(-1)!.toFixed(3)}` +
            `   ${cpu.today?.toFixed(2) ?? "n/a"} / ${cpu.before?.toFixed(2) ?? "n/a"}`.padEnd(24) +
            `${cpuRatio?.toFixed(3) ?? "n/a"}`,
        );
      }
      const cost = median(ratios);
      const costOk = cost <= COST_GOAL;
      log(`  median ratio ${cost.toFixed(3)} (goal ≤ ${COST_GOAL}): ${costOk ? "met" : "MISSED"}`);
      if (cpuRatios.length > 0) log(`  median CPU ratio ${median(cpuRatios).toFixed(3)} (this process and PostgreSQL: the work, whatever else the cores do)`);
      failed ||= !costOk;

      log(`\n2. the preview against the import of the same list (${REPEAT} pairs):`);
      const previewRatios: number[] = [];
      for (let pair = 0; pair < REPEAT; pair++) {
        const c = await campaign("preview");
        const preview = await timed(() => previewImport(db, input(c)));
        const run = await timed(() => importList(db, input(c)));
        if (preview.value.imported !== run.value.imported || preview.value.duplicates !== run.value.duplicates || preview.value.invalid !== run.value.invalid) {
          throw new Error(`the preview ${JSON.stringify(preview.value)} differs from the import ${JSON.stringify(run.value)}`);
        }
        previewRatios.push(preview.ms / run.ms);
        log(`  preview ${fmt(preview.ms)} ms, import ${fmt(run.ms)} ms, ratio ${previewRatios.at(-1)!.toFixed(2)}; the counts equal`);
        await drop(c);
      }
      const previewOk = median(previewRatios) <= 1;
      log(`  median ratio ${median(previewRatios).toFixed(2)} (goal ≤ 1): ${previewOk ? "met" : "MISSED"}`);
      failed ||= !previewOk;
    }

    log(`\n3. the skipped-rows CSV of a run over all ${fmt(ROWS)} rows, streamed:`);
    const c = await campaign("report");
    await importList(db, input(c));
    const second = await importList(db, input(c)); // every row skipped: duplicates and invalid
    const run = await reportRun(db, user.id, second.runId);
    global.gc?.();
    const samples: { at: number; heap: number; rss: number }[] = [];
    let bytes = 0;
    let lines = 0;
    const started = performance.now();
    const reader = skippedRowsCsv(db.pool, run).getReader();
    for (let n = 0; ; n++) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const byte of value) if (byte === 10) lines++;
      if (n % 20 === 0) {
        const m = process.memoryUsage();
        samples.push({ at: lines, heap: m.heapUsed, rss: m.rss });
      }
    }
    const ms = performance.now() - started;
    const skipped = second.duplicates + second.invalid + second.errors;
    log(`  ${fmt(lines - 1)} rows (${fmt(bytes / MB, 1)} MB) in ${fmt(ms)} ms; the run skipped ${fmt(skipped)}`);
    if (lines - 1 !== skipped) {
      log("  the CSV's rows differ from the run's skipped count: FAILED");
      failed = true;
    }
    // Judged on RSS, what the process holds; the heap's peaks between collections are garbage
    // not yet collected, shown for information.
    const tenth = samples.find((s) => s.at >= skipped / 10) ?? samples[0]!;
    const peak = (key: "heap" | "rss") => Math.max(...samples.filter((s) => s.at >= tenth.at).map((s) => s[key]));
    const growth = { heap: (peak("heap") - tenth.heap) / MB, rss: (peak("rss") - tenth.rss) / MB };
    const memoryOk = growth.rss <= MEMORY_GOAL_MB;
    log(`  after the first tenth: RSS ${fmt(tenth.rss / MB)} MB, heap ${fmt(tenth.heap / MB)} MB; peak growth after it: RSS ${fmt(growth.rss, 1)} MB (goal ≤ ${MEMORY_GOAL_MB}): ${memoryOk ? "met" : "MISSED"}; heap (uncollected garbage included) ${fmt(growth.heap, 1)} MB`);
    failed ||= !memoryOk;
  } finally {
    await db.prisma.$disconnect();
    await db.pool.end();
    await database.stop();
  }
  if (failed) process.exitCode = 1;
}

await main();
