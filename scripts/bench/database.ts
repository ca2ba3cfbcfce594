// The bench's database: DATABASE_URL when set (migrated first), or a fresh embedded PostgreSQL
// in a temporary folder, removed afterwards.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, freePort, migrate, startEmbeddedPostgres } from "../lib/database";

export type BenchDatabase = { url: string; embedded: boolean; postmasterPid: number | null; stop: () => Promise<void> };

export async function benchDatabase(): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL) {
    await migrate(process.env.DATABASE_URL, { quiet: true });
    return { url: process.env.DATABASE_URL, embedded: false, postmasterPid: null, stop: async () => undefined };
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "outreach-bench-pg-"));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  const url = server.url("bench");
  await ensureDatabase(url);
  await migrate(url, { quiet: true });
  const postmasterPid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    url,
    embedded: true,
    postmasterPid,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
