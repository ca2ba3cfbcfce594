import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/env";

export type Db = { prisma: PrismaClient; pool: pg.Pool };

export type PoolOptions = { connectionTimeoutMillis?: number };

// One pool serves both Prisma (through the adapter) and the import's hot path.
export function createDb(connectionString: string, max = 10, options: PoolOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max,
    // A database that does not answer fails a request within this bound instead of hanging it.
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    // Notice a peer that vanished without closing the connection (a network cut, a failover).
    keepAlive: true,
    // A transaction left open by a bug can't hold row locks (the campaign's) for long.
    idle_in_transaction_session_timeout: 60_000,
  });
  // An idle client whose backend dies emits 'error'; without a listener that kills the process.
  pool.on("error", (err) => console.error("postgres pool: idle client error:", err.message));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { prisma, pool };
}

/**
 * Resolves on the next turn of the event loop, once the queries started so far are on the wire.
 * node-postgres writes a query only after the current synchronous work (its pool hands out
 * clients in process.nextTick), so a lookup meant to run while the CPU works on something else
 * must be given this turn first; without it the two run one after the other.
 */
export function sendStartedQueries(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// Reused across hot reloads in development so reloads don't open new pools.
const globalForDb = globalThis as unknown as { appDb?: Db };

export function db(): Db {
  globalForDb.appDb ??= createDb(env().DATABASE_URL, env().DB_POOL_MAX);
  return globalForDb.appDb;
}

// SQLSTATE classes and codes that mean "the database or the connection to it is gone", not "this query is wrong".
const CONNECTION_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);
// Prisma's codes for an unreachable server, a timeout, a closed connection, an exhausted pool.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// node-postgres reports these without a code.
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed and is not queryable/i;

/**
 * Whether an error means the database could not be reached or dropped the connection (so a
 * retry later may work), as opposed to a failing query. Looks through Prisma's and the
 * driver adapter's wrappers to the driver's own error.
 */
export function isConnectionFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const { code, kind, message, cause, meta } = e as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof code === "string" && (CONNECTION_SQLSTATES.test(code) || SOCKET_CODES.has(code) || PRISMA_CODES.has(code))) return true;
    if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
    if (kind === "postgres" && typeof code === "string" && CONNECTION_SQLSTATES.test(code)) return true;
    if (typeof message === "string" && PG_MESSAGES.test(message)) return true;
    queue.push(cause, meta?.driverAdapterError);
  }
  return false;
}
