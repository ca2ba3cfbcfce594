// Starts what the end-to-end tests run against, and returns the teardown:
//   - a fresh embedded PostgreSQL in a temporary folder, migrated with dbmate;
//   - a production build (`npm run build`; E2E_SKIP_BUILD=1 reuses the existing .next);
//   - three `next start` servers on free ports, all on that one database:
//       app           the normal server;
//       faultPage2    IMPORT_FAIL_PAGE=2: page read 2 of every import fails (partial runs, 206);
//       faultPage1    IMPORT_FAIL_PAGE=1: the first page read fails (failed runs, 500).
// Each server runs in its own process group and is stopped through it. Their logs are in
// test-results/servers/.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, freePort, migrate, startEmbeddedPostgres } from "../scripts/lib/database";
import { stopProcessGroup } from "../scripts/lib/process-group";
import { cleanEnv, startNextServer, waitUntilReady, type NextServer } from "../scripts/lib/next-server";
import { E2E_ENV, type ServerName } from "./support/env";

const ROOT = path.resolve(import.meta.dirname, "..");

type Server = NextServer & { name: ServerName };

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
      const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit", env: cleanEnv() });
      if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);
    }

    const secret = randomBytes(32).toString("base64url");
    for (const spec of SERVERS) {
      const server = await startNextServer(spec.name, databaseUrl, secret, spec.failPage ? { IMPORT_FAIL_PAGE: spec.failPage } : {});
      servers.push({ ...server, name: spec.name });
    }
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


