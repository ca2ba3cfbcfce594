// The production server the bench talks to: built with `next build`, started with server.mjs (as npm start)
// in its own process group (so stopping it stops everything it started), or one already
// running at BENCH_SERVER_URL.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, openSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freePort } from "../lib/database";
import { serverProcessOf } from "./proc";
import { productionServerArgs, SERVER_NODE_FLAGS } from "../lib/server-flags";
import { stopProcessGroup } from "../lib/process-group";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export type BenchServer = {
  baseUrl: string;
  pid: number | null;
  stop: () => Promise<void>;
  /** SIGKILL to the whole process group (`next start`, for an older checkout, serves from a child process), as a crash would. */
  kill: () => Promise<void>;
};

/**
 * A copy of the repository (without node_modules, .next, .git, .data) built in a temporary
 * folder, so a build running in the working tree at the same time can't change what is measured.
 * node_modules is hard-linked (Turbopack refuses a symlinked one), or copied across file systems.
 */
export function scratchBuild(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "outreach-bench-app-"));
  const skip = new Set(["node_modules", ".next", ".git", ".data", "bench-results", "test-results", "playwright-report"]);
  cpSync(ROOT, dir, { recursive: true, filter: (src) => !skip.has(path.relative(ROOT, src).split(path.sep)[0]!) });
  const link = spawnSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
  if (link.status !== 0) cpSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), { recursive: true });
  build(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `next build` in dir unless it already holds a production build. */
export function ensureBuilt(dir: string) {
  if (!existsSync(path.join(dir, ".next", "BUILD_ID"))) build(dir);
}

function build(dir: string) {
  console.log(`building the production app in ${dir} (next build) …`);
  const result = spawnSync(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "build"], {
    cwd: dir,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`next build failed in ${dir}`);
}

/** Starts the production server (server.mjs; `next start` for a checkout from before it) on a free port and waits until it answers; extraEnv e.g. sets the jobs' heartbeat. */
export async function startServer(dir: string, databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort();
  // The server's own flags (as npm start), then BENCH_SERVER_NODE_ARGS, e.g. "--trace-gc" (with
  // BENCH_SERVER_LOG), or "--max-semi-space-size=16" to measure V8's default young generation.
  const extraNodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  // server.mjs as npm start runs it; a checkout from before it existed (bench:leads-ab compares with one) with next start.
  const args = existsSync(path.join(dir, "server.mjs"))
    ? productionServerArgs(dir, extraNodeArgs)
    : [...SERVER_NODE_FLAGS, ...extraNodeArgs, path.join(dir, "node_modules/next/dist/bin/next"), "start", "-p", String(port)];
  const child = spawn(process.execPath, args, {
    cwd: dir,
    detached: true, // its own process group
    // BENCH_SERVER_LOG=file keeps the server's output.
    stdio: ["ignore", process.env.BENCH_SERVER_LOG ? openSync(process.env.BENCH_SERVER_LOG, "w") : "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-0123",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      // The bench makes more calls a minute than a person would; the limits are not what is measured.
      RATE_LIMIT_IMPORTS_PER_MINUTE: "10000",
      RATE_LIMIT_WRITES_PER_MINUTE: "100000",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      ...extraEnv,
    },
  });
  const groupId = child.pid!;
  const stop = () => stopProcessGroup(child);
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(-groupId, "SIGKILL");
    await exited;
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await httpRequest(baseUrl, "GET", "/api/openapi.json").then((r) => r.status, () => 0);
    if (status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer on ${baseUrl} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, pid: serverProcessOf(groupId) ?? groupId, stop, kill };
}

const agent = new http.Agent({ keepAlive: true });

/** One HTTP request without client-side timeouts (a million-row import takes a while). */
export function httpRequest(
  baseUrl: string,
  method: string,
  pathname: string,
  body?: unknown,
  apiKey?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  // A Buffer is a body already serialised as JSON (so a timed call does not time the client's stringify).
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(pathname, baseUrl),
      {
        method,
        agent,
        headers: {
          ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
