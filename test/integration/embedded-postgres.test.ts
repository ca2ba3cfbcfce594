import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from "../../scripts/lib/database";

// The embedded database behind `npm run dev` when DATABASE_URL is unset.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "outreach-embedded-test-"));
let server: EmbeddedServer | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps its data across a restart, refuses a second server on the same data, and clears a stale lock", async () => {
    server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    await query(server.url("postgres"), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");

    // A second start on the same data directory says who holds it instead of hanging.
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toThrow(/already running \(pid \d+\)/);

    await server.stop();
    server = undefined;

    // A crash leaves postmaster.pid behind; a pid that is gone must not block the next start.
    writeFileSync(path.join(dataDir, "postmaster.pid"), "999999\n" + dataDir + "\n0\n1\n");
    server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    expect(await query(server.url("postgres"), "SELECT v FROM kept")).toEqual([{ v: "still here" }]);
  });

  it("names the port when another program holds it", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const otherDir = mkdtempSync(path.join(os.tmpdir(), "outreach-embedded-clash-"));
      await expect(startEmbeddedPostgres({ dataDir: otherDir, port })).rejects.toThrow(new RegExp(`Port ${port} is already in use`));
      rmSync(otherDir, { recursive: true, force: true });
    } finally {
      blocker.close();
    }
  });
});
