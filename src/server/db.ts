import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/env";

export type Db = { prisma: PrismaClient; pool: pg.Pool };

// One pool serves both Prisma (through the adapter) and the import's hot path.
export function createDb(connectionString: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
  // An idle client whose backend dies emits 'error'; without a listener that kills the process.
  pool.on("error", (err) => console.error("postgres pool: idle client error:", err.message));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { prisma, pool };
}

// Reused across hot reloads in development so reloads don't open new pools.
const globalForDb = globalThis as unknown as { appDb?: Db };

export function db(): Db {
  globalForDb.appDb ??= createDb(env().DATABASE_URL, env().DB_POOL_MAX);
  return globalForDb.appDb;
}
