import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "../../scripts/lib/database";

export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "outreach-guard-pg-"));
  const database = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  return async () => {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
