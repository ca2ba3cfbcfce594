// Starts what the end-to-end tests run against, and returns the teardown:
//   - a fresh embedded PostgreSQL in a temporary folder, migrated with dbmate;
//   - a production build (`npm run build`; E2E_SKIP_BUILD=1 reuses the existing .next);
//   - three `next start` servers on free ports, all on that one database:
//       app           the normal server;
//       faultPage2    IMPORT_FAIL_PAGE=2: page read 2 of every import fails (partial runs, 206);
//       faultPage1    IMPORT_FAIL_PAGE=1: the first page read fails (failed runs, 500).
// Each server runs in its own process group and is stopped through it. Their logs are in
// test-results/servers/.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, freePort, migrate, startEmbeddedPostgres } from "../scripts/lib/database";
import { SERVER_NODE_FLAGS } from "../scripts/lib/server-flags";
import { stopProcessGroup } from "../scripts/lib/process-group";
import { E2E_ENV, type ServerName } from "./support/env";

const ROOT = path.resolve(import.meta.dirname, "..");
const LOG_DIR = path.join(ROOT, "test-results", "servers");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

type Server = { name: ServerName; url: string; child: ChildProcess; log: string };

const SERVERS: { name: ServerName; failPage?: string }[] = [
  { name: "app" },
  { name: "faultPage2", failPage: "2" },
  { name: "faultPage1", failPage: "1" },
];

export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "outreach-e2e-pg-"));
  const database = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  const servers: Server[] = [];

  const teardown = async () => {
    await Promise.all(servers.map((server) => stopProcessGroup(server.child)));
    await database.stop().catch((error) => console.error("e2e: stopping PostgreSQL:", error));
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const databaseUrl = database.url("outreach_e2e");
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl, { quiet: true });

    if (process.env.E2E_SKIP_BUILD === "1") {
      console.log("e2e: E2E_SKIP_BUILD=1, using the existing .next build");
    } else {
      console.log("e2e: building the app (npm run build; set E2E_SKIP_BUILD=1 to reuse a fresh build)…");
      const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit", env: buildEnv() });
      if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);
    }

    mkdirSync(LOG_DIR, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    for (const spec of SERVERS) servers.push(await startServer(spec, databaseUrl, secret));
    await Promise.all(servers.map(waitUntilReady));

    // The fault-injection setting must be announced loudly by the server that has it, and only there.
    for (const server of servers) {
      const announced = readFileSync(server.log, "utf8").includes("FAULT INJECTION ON");
      const expected = server.name !== "app";
      if (announced !== expected) {
        throw new Error(`e2e: server ${server.name} ${expected ? "did not announce" : "announced"} fault injection (see ${server.log})`);
      }
    }

    // Workers inherit the runner's environment, so this is how the tests find everything.
    process.env[E2E_ENV.databaseUrl] = databaseUrl;
    for (const server of servers) process.env[E2E_ENV.server(server.name)] = server.url;
    console.log(`e2e: ${servers.map((s) => `${s.name} ${s.url}`).join(", ")}`);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

function buildEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.IMPORT_FAIL_PAGE;
  return env;
}

async function startServer(spec: (typeof SERVERS)[number], databaseUrl: string, secret: string): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...buildEnv(),
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: url,
  };
  if (spec.failPage) env.IMPORT_FAIL_PAGE = spec.failPage;
  const log = path.join(LOG_DIR, `${spec.name}.log`);
  const fd = openSync(log, "w");
  // detached: its own process group, so stopping it stops next-server's children too.
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  return { name: spec.name, url, child, log };
}

async function waitUntilReady(server: Server) {
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

