// One PostgreSQL for the whole run: TEST_DATABASE_URL's server when given (a fresh database
// is created on it), otherwise an embedded PostgreSQL in a temporary folder, thrown away after.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureDatabase, freePort, migrate, startEmbeddedPostgres, type EmbeddedServer } from "../../scripts/lib/database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  let server: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let url: string;
  const dbName = `outreach_test_${process.pid}_${Date.now()}`;

  if (process.env.TEST_DATABASE_URL) {
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = `/${dbName}`;
    url = u.toString();
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "outreach-test-pg-"));
    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    url = server.url(dbName);
  }
  await ensureDatabase(url);
  await migrate(url, { quiet: true });
  project.provide("databaseUrl", url);
  process.env.DATABASE_URL = url;

  return async () => {
    if (server) {
      await server.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    } else {
      const admin = new URL(url);
      admin.pathname = "/postgres";
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await client.end();
    }
  };
}
