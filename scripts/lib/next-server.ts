// The production server (server.mjs over the production build) on a free port, in its own process group (so that
// stopping it, or killing it, takes next-server's children too), logging to test-results/servers/.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "./database";
import { productionServerArgs } from "./server-flags";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LOG_DIR = path.join(ROOT, "test-results", "servers");

export type NextServer = { name: string; url: string; child: ChildProcess; log: string };

/** The environment a test server starts from: the runner's, without fault injection. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.IMPORT_FAIL_PAGE;
  delete env.IMPORT_HOLD_AFTER_BATCH;
  return env;
}

export async function startNextServer(name: string, databaseUrl: string, secret: string, extra: Record<string, string> = {}): Promise<NextServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...cleanEnv(), NODE_ENV: "production", DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: secret, NEXTAUTH_URL: url, ...extra };
  mkdirSync(LOG_DIR, { recursive: true });
  const log = path.join(LOG_DIR, `${name}.log`);
  const fd = openSync(log, "w");
  const child = spawn(process.execPath, productionServerArgs(ROOT), {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOSTNAME: "127.0.0.1" },
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  return { name, url, child, log };
}

export async function waitUntilReady(server: NextServer) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) break;
    try {
      const response = await fetch(`${server.url}/signin`, { redirect: "manual" });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tail = readFileSync(server.log, "utf8").split("\n").slice(-15).join("\n");
  throw new Error(`e2e: server ${server.name} did not start (exit ${server.child.exitCode}). Log ${server.log}:\n${tail}`);
}

export const serverLog = (server: NextServer) => readFileSync(server.log, "utf8");
