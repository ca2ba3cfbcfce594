// "Nothing lost" through a crash of PostgreSQL itself: every batch an import has counted as
// imported is committed durably (an ordinary synchronous commit, insert-prospects.ts) before the
// import counts it, so when the database process dies in the middle of an import (an immediate
// shutdown: no checkpoint, every backend killed, as a power cut of the database would) and
// crash recovery replays the WAL, the campaign holds exactly what the import reported.
// The test runs its own embedded PostgreSQL, since it crashes the server.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { createUser } from "@/server/domain/users";
import { createCampaign } from "@/server/domain/campaigns";
import { appendRows, createList } from "@/server/domain/lists";
import { importList, type ImportListResult } from "@/server/domain/import-list/import-list";
import { PAGE_SIZE } from "@/server/domain/import-list/read-pages";
import { BATCH_SIZE } from "@/server/domain/import-list/write-batch";
import { ensureDatabase, freePort, migrate, startEmbeddedPostgres, type EmbeddedServer } from "../../scripts/lib/database";
import { makeRows } from "../helpers/import-fixtures";
import { waitFor } from "../helpers/reliability";

const ROWS = 6 * PAGE_SIZE; // all valid for a LinkedIn campaign: two batches a page, 12 in all
const CRASH_AFTER_BATCH = 4; // the end of page 2, with batches of the list still to come
const DATABASE = "durability";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "outreach-durability-pg-"));
// The server that is running (never the crashed one: its stop() would wait for an exit that has happened).
let server: EmbeddedServer | undefined;
const pools: Db[] = [];

afterAll(async () => {
  for (const db of pools) await closeDb(db);
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function openDb(url: string): Db {
  // A dead server fails a connection attempt within this bound instead of hanging the import.
  const db = createDb(url, 4, { connectionTimeoutMillis: 2_000 });
  pools.push(db);
  return db;
}

async function closeDb(db: Db) {
  pools.splice(pools.indexOf(db), 1);
  await db.prisma.$disconnect().catch(() => undefined);
  await db.pool.end().catch(() => undefined);
}

const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The WAL position of the last checkpoint: where crash recovery starts replaying. */
async function lastCheckpoint(client: pg.Client | pg.Pool) {
  const { rows } = await client.query<{ lsn: string }>(`SELECT checkpoint_lsn::text AS lsn FROM pg_control_checkpoint()`);
  return rows[0]!.lsn;
}

describe("PostgreSQL crashes in the middle of an import", () => {
  it("every prospect the import counted as imported is there after crash recovery, stats and run record included", async () => {
    server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    const url = server.url(DATABASE);
    await ensureDatabase(url);
    await migrate(url, { quiet: true });
    const db = openDb(url);

    const user = await createUser(db.prisma, { email: "durable@example.com", password: "correct horse battery" });
    const campaign = await createCampaign(db, user.id, { name: "Durable campaign", channel: "linkedin" });
    const rows = makeRows({ complete: ROWS });
    const list = await createList(db, user.id, { name: "Durable list", rows: rows.slice(0, PAGE_SIZE) });
    for (let i = PAGE_SIZE; i < rows.length; i += PAGE_SIZE) await appendRows(db, user.id, list.id, rows.slice(i, i + PAGE_SIZE));
    expect((await db.pool.query(`SELECT row_count FROM lists WHERE id = $1`, [list.id])).rows[0].row_count).toBe(ROWS);

    // Outside the import's pool: tells whether a checkpoint happened while the import ran (then the
    // batches would be in the data files already, and recovery would not have to replay them).
    const observer = new pg.Client({ connectionString: url });
    observer.on("error", () => undefined); // it dies with the server
    await observer.connect();
    const checkpointBefore = await lastCheckpoint(observer);
    let checkpointAtCrash: string | undefined;

    const pid = postmasterPid();
    expect(alive(pid)).toBe(true);
    let batchesDone = 0;
    let insertedBeforeCrash = 0; // what the real writer reported as committed, batch by batch
    let crashed = false;
    const afterCrash: Array<"failed" | "succeeded"> = [];

    let result: ImportListResult | undefined;
    let thrown: unknown;
    try {
      result = await importList(
        db,
        { userId: user.id, campaignId: campaign.id, listId: list.id },
        {
          writeBatch: (realWriter) => async (batch) => {
            if (crashed) {
              // The real writer against a dead server: it must fail, and the import count these rows as errors.
              const outcome = await realWriter(batch).then(
                () => "succeeded" as const,
                () => "failed" as const,
              );
              afterCrash.push(outcome);
              if (outcome === "failed") throw new Error("the database is gone");
              throw new Error("a batch succeeded after the crash");
            }
            const written = await realWriter(batch);
            batchesDone++;
            if (written.campaignOpen) insertedBeforeCrash += written.inserted;
            if (batchesDone === CRASH_AFTER_BATCH) {
              checkpointAtCrash = await lastCheckpoint(observer);
              // The batch's statement has returned (committed), the import has not counted it yet:
              // the database process dies now, as in a power cut. SIGQUIT is PostgreSQL's immediate
              // shutdown: the postmaster kills every backend and exits, no checkpoint, no clean stop.
              process.kill(pid, "SIGQUIT");
              crashed = true;
              await waitFor("the postmaster to exit", async () => (alive(pid) ? undefined : true), 30_000);
            }
            return written;
          },
        },
      );
    } catch (error) {
      thrown = error;
    }
    server = undefined; // dead: afterAll must not stop it
    await observer.end().catch(() => undefined);
    await closeDb(db);

    // The crash happened where it was meant to, and before it nothing had been checkpointed.
    expect(crashed).toBe(true);
    expect(batchesDone).toBe(CRASH_AFTER_BATCH);
    expect(insertedBeforeCrash).toBe(CRASH_AFTER_BATCH * BATCH_SIZE);
    expect(checkpointAtCrash).toBe(checkpointBefore);
    expect(afterCrash.every((outcome) => outcome === "failed"), afterCrash.join()).toBe(true);

    // The same data directory again: PostgreSQL replays the WAL from the last checkpoint.
    server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    const recovered = openDb(server.url(DATABASE));

    const { rows: after } = await recovered.pool.query<{ prospects: number; stats: number }>(
      `SELECT (SELECT count(*) FROM prospects WHERE campaign_id = $1)::int AS prospects,
              (SELECT prospect_count FROM campaigns WHERE id = $1) AS stats`,
      [campaign.id],
    );
    // Every batch whose commit the writer saw is there, and nothing more.
    expect(after[0]).toEqual({ prospects: insertedBeforeCrash, stats: insertedBeforeCrash });

    // The import returned its counts (it does not throw when the database dies), and they are the truth.
    expect(thrown, String(thrown)).toBeUndefined();
    const counts = result!;
    expect(counts.outcome).toBe("partial"); // 206: a later page read failed, nothing rolled back
    expect(counts.imported).toBe(insertedBeforeCrash);
    expect(counts.imported).toBeGreaterThan(0);
    expect(counts.imported + counts.duplicates + counts.invalid + counts.errors).toBe(counts.total);
    expect(counts.total).toBeLessThan(ROWS);

    // The run record moved in each batch's own statement, so it survived with the batches.
    // (Its end could not be recorded: the database was gone when the import ended.)
    const run = await recovered.prisma.importRun.findUniqueOrThrow({ where: { id: counts.runId } });
    expect(run.imported).toBe(counts.imported);
    expect(run.duplicates).toBe(0);

    // The recovered database is writable and whole: a retry imports exactly the rest.
    const retry = await importList(recovered, { userId: user.id, campaignId: campaign.id, listId: list.id });
    expect(retry).toMatchObject({ outcome: "complete", total: ROWS, imported: ROWS - counts.imported, duplicates: counts.imported, errors: 0 });
    const { rows: final } = await recovered.pool.query<{ prospects: number; stats: number }>(
      `SELECT (SELECT count(*) FROM prospects WHERE campaign_id = $1)::int AS prospects,
              (SELECT prospect_count FROM campaigns WHERE id = $1) AS stats`,
      [campaign.id],
    );
    expect(final[0]).toEqual({ prospects: ROWS, stats: ROWS });
  });
});
