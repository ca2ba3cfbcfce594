// Tools for the reliability tests: a server-side pool that can be told apart from the test's own
// (application_name), a way to hold an import still at a known point, a TCP proxy that plays a
// database going away and coming back, and checks for leftover transactions and locks.
import net from "node:net";
import { randomInt, randomUUID } from "node:crypto";
import type pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "@/server/db";

export type AppDb = { db: Db; appName: string; close: () => Promise<void> };

/** A Db for the server under test whose PostgreSQL sessions carry their own application_name. */
export function appDb(url: string = inject("databaseUrl"), options: { max?: number; connectionTimeoutMillis?: number } = {}): AppDb {
  const appName = `reliability_${randomUUID().slice(0, 8)}`;
  const withName = new URL(url);
  withName.searchParams.set("application_name", appName);
  const db = createDb(withName.toString(), options.max ?? 6, { connectionTimeoutMillis: options.connectionTimeoutMillis });
  return {
    db,
    appName,
    close: async () => {
      await db.prisma.$disconnect().catch(() => undefined);
      await db.pool.end().catch(() => undefined);
    },
  };
}

/** Polls until check returns a value (not undefined), at most `ms`; a bound against hangs, never a pass/fail timing. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Holds an import still in the middle of a run, at a known row: a trigger makes the insert of
 * the list row `sourceRef` into this campaign wait for an advisory lock the test holds. The
 * batch holding that row waits inside its statement (so with the campaign row locked); every
 * batch before it has committed. Call before the import starts; release() lets it go on, and
 * drop() removes the trigger (always call it).
 */
export async function pauseInsertOf(admin: pg.Pool, campaignId: string, sourceRef: string) {
  if (!/^[0-9a-f-]{36}$/.test(campaignId) || !/^\d+$/.test(sourceRef)) throw new Error("campaign id must be a UUID, source ref a list row id");
  const [k1, k2] = [randomInt(1, 2 ** 31 - 1), randomInt(1, 2 ** 31 - 1)];
  const name = `test_pause_${randomUUID().replaceAll("-", "")}`;
  const holder = await admin.connect();
  await holder.query(`SELECT pg_advisory_lock($1, $2)`, [k1, k2]);
  await admin.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(${k1}, ${k2}); RETURN NEW; END $$`);
  await admin.query(`CREATE TRIGGER ${name} BEFORE INSERT ON prospects FOR EACH ROW
    WHEN (NEW.campaign_id = '${campaignId}'::uuid AND NEW.source_ref = '${sourceRef}') EXECUTE FUNCTION ${name}()`);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await holder.query(`SELECT pg_advisory_unlock($1, $2)`, [k1, k2]);
    holder.release();
  };
  return {
    /** Resolves once the import is waiting at the paused row. */
    reached: () =>
      waitFor("the import to reach the paused row", async () => {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1::int::oid AND objid = $2::int::oid AND objsubid = 2`,
          [k1, k2],
        );
        return rows[0]!.n > 0 ? true : undefined;
      }),
    release,
    drop: async () => {
      await release();
      await admin.query(`DROP TRIGGER IF EXISTS ${name} ON prospects`);
      await admin.query(`DROP FUNCTION IF EXISTS ${name}()`);
    },
  };
}

/** Waits until one of the server's sessions is blocked on a lock (the held run row, or an advisory lock). */
export async function waitUntilBlocked(admin: pg.Pool, appName: string, waitEvent?: "transactionid" | "tuple" | "advisory", count = 1) {
  await waitFor(`${count} session(s) of ${appName} waiting on a lock`, async () => {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE application_name = $1 AND wait_event_type = 'Lock' AND ($2::text IS NULL OR wait_event = $2)`,
      [appName, waitEvent ?? null],
    );
    return rows[0]!.n >= count ? true : undefined;
  });
}

/** Ends every PostgreSQL session of the server under test, as a crash or a failover would. */
export async function terminateBackends(admin: pg.Pool, appName: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1`,
    [appName],
  );
  return rows[0]!.n;
}

/** What the server's sessions still hold: transactions left open and advisory locks. */
export async function leftovers(admin: pg.Pool, appName: string) {
  const { rows } = await admin.query<{ idle_in_tx: number; advisory_locks: number; open_tx: number }>(
    `SELECT
       (SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%') AS idle_in_tx,
       (SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL) AS open_tx,
       (SELECT count(*)::int FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE a.application_name = $1 AND l.locktype = 'advisory') AS advisory_locks`,
    [appName],
  );
  return rows[0]!;
}

/**
 * A TCP proxy in front of PostgreSQL: stop() refuses new connections and cuts the open ones
 * (the database is gone), start() listens again on the same port (it is back), blackhole()
 * accepts connections and never answers (a network that swallows packets).
 */
export class DbProxy {
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  private mode: "forward" | "blackhole" = "forward";
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static forUrl(url: string = inject("databaseUrl")) {
    const u = new URL(url);
    return new DbProxy({ host: u.hostname, port: Number(u.port || 5432) });
  }

  /** The same database URL, through the proxy. */
  url(base: string = inject("databaseUrl")) {
    const u = new URL(base);
    u.hostname = "127.0.0.1";
    u.port = String(this.port);
    return u.toString();
  }

  async start() {
    this.mode = "forward";
    if (this.server) return;
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop() {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  blackhole() {
    this.mode = "blackhole";
  }

  private accept(client: net.Socket) {
    this.track(client);
    if (this.mode === "blackhole") return; // read nothing, answer nothing
    const upstream = net.connect(this.target.port, this.target.host);
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", cut).on("close", cut);
    upstream.on("error", cut).on("close", cut);
  }

  private track(socket: net.Socket) {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => undefined);
  }
}
