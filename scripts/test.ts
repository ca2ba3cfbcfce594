// `npm test`: every layer of the suite, each judged by its runner's exit code AND its own report.
//   1. type-check (tsc)
//   2. runner guard: Vitest and Playwright, each on a fixture that fails on purpose, must exit
//      non-zero (test/runner-guard/). If a library ever swallows a runner's exit code again,
//      this layer fails.
//   3. unit + integration (Vitest, real PostgreSQL)
//   4. end to end (Playwright, production build, Chromium)
// A layer whose exit code and report disagree (exit 0 with failures, or non-zero with none)
// counts as failed. The last line is the totals, `N passed, N failed`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const REPORTS = path.join(ROOT, ".test-reports");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

type Counts = { passed: number; failed: number };
type Layer = Counts & { name: string; problem?: string };
const layers: Layer[] = [];

function run(command: string, args: string[], env: Record<string, string> = {}): number {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  // A runner killed by a signal has no status: that is a failure too.
  return result.status ?? 1;
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}

type VitestReport = { numPassedTests: number; numFailedTests: number; numFailedTestSuites: number; numTotalTests: number };
type PlaywrightReport = { stats: { expected: number; unexpected: number; flaky: number }; errors: unknown[] };

function vitest(config: string | undefined, reportName: string) {
  const report = path.join(REPORTS, reportName);
  rmSync(report, { force: true });
  const args = ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
  if (config) args.push("--config", config);
  const code = run(BIN("vitest"), args);
  const json = readJson<VitestReport>(report);
  const counts = json && { passed: json.numPassedTests, failed: json.numFailedTests + (json.numFailedTests ? 0 : json.numFailedTestSuites) };
  return { code, counts };
}

function playwright(config: string | undefined, reportName: string) {
  const report = path.join(REPORTS, reportName);
  rmSync(report, { force: true });
  const args = ["test", "--reporter=list,json"];
  if (config) args.push("--config", config);
  const code = run(BIN("playwright"), args, { PLAYWRIGHT_JSON_OUTPUT_FILE: report });
  const json = readJson<PlaywrightReport>(report);
  const counts = json && { passed: json.stats.expected + json.stats.flaky, failed: json.stats.unexpected + json.errors.length };
  return { code, counts };
}

/** A real layer: passes when its runner exits 0 and its report shows tests and no failure. */
function judge(name: string, { code, counts }: { code: number; counts?: Counts }) {
  if (!counts) return layers.push({ name, passed: 0, failed: 1, problem: `no report (exit ${code})` });
  const clean = counts.failed === 0 && counts.passed > 0;
  if (clean !== (code === 0)) {
    return layers.push({ name, ...counts, failed: counts.failed + 1, problem: `exit ${code} disagrees with its report (${counts.passed} passed, ${counts.failed} failed)` });
  }
  layers.push({ name, ...counts, problem: code === 0 ? undefined : `exit ${code}` });
}

/** A guard: the runner on a failing fixture must exit non-zero, and report that one failure. */
function guard(name: string, { code, counts }: { code: number; counts?: Counts }) {
  const ok = code !== 0 && counts?.failed === 1 && counts.passed === 0;
  layers.push({
    name,
    passed: ok ? 1 : 0,
    failed: ok ? 0 : 1,
    problem: ok ? undefined : `expected a non-zero exit and exactly 1 reported failure, got exit ${code} and ${JSON.stringify(counts ?? "no report")}`,
  });
}

mkdirSync(REPORTS, { recursive: true });

console.log("\n== type-check ==");
const tsc = run(BIN("tsc"), ["--noEmit"]);
layers.push({ name: "type-check", passed: tsc === 0 ? 1 : 0, failed: tsc === 0 ? 0 : 1, problem: tsc === 0 ? undefined : `exit ${tsc}` });

console.log("\n== runner guard: each runner must fail on a failing fixture ==");
guard("guard: vitest exits non-zero on a failure", vitest("test/runner-guard/vitest.config.ts", "guard-vitest.json"));
guard("guard: playwright exits non-zero on a failure", playwright("test/runner-guard/playwright.config.ts", "guard-playwright.json"));

console.log("\n== unit + integration (Vitest) ==");
judge("unit + integration", vitest(undefined, "vitest.json"));

console.log("\n== end to end (Playwright) ==");
judge("end to end", playwright(undefined, "playwright.json"));

console.log("\n== summary ==");
for (const layer of layers) {
  console.log(`${layer.problem ? "FAIL" : "ok  "} ${layer.name}: ${layer.passed} passed, ${layer.failed} failed${layer.problem ? ` — ${layer.problem}` : ""}`);
}
const passed = layers.reduce((sum, l) => sum + l.passed, 0);
const failed = layers.reduce((sum, l) => sum + l.failed, 0);
const anyProblem = layers.some((l) => l.problem);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || anyProblem ? 1 : 0);
