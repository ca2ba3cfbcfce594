// What a rate limit in PostgreSQL costs a request: sequential take() calls on one key, with the
// table as shipped (UNLOGGED) and switched to an ordinary logged table, against sequential
// `SELECT 1` on the same pool (the floor: one round trip); all three in every round, in rotating order.
//   DATABASE_URL=postgresql://…/outreach_bench_rl?sslmode=disable npx tsx scripts/bench/rate-limit.ts [calls=2000] [rounds=6]
// Use a database of its own: it is created and migrated if needed, and its rate_limits table is
// switched between LOGGED and UNLOGGED. The figures go in docs/performance.md.
import { randomUUID } from "node:crypto";
import { ensureDatabase, migrate } from "../lib/database";
import { createDb } from "../../src/server/db";
import { RateLimiter } from "../../src/server/domain/rate-limit";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("set DATABASE_URL");
const calls = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 6);

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / calls; // ms a call
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const list = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(", ");

async function main() {
  await ensureDatabase(url!);
  await migrate(url!, { quiet: true });
  const db = createDb(url!, 4);
  const limiter = new RateLimiter(db.pool, { name: `bench-${randomUUID()}`, points: 1e9, windowSeconds: 3600 });
  const persistence = (mode: "LOGGED" | "UNLOGGED") => db.pool.query(`ALTER TABLE rate_limits SET ${mode}`);
  const runs = {
    unlogged: async () => (await persistence("UNLOGGED"), time(() => limiter.take("key:bench"))),
    logged: async () => (await persistence("LOGGED"), time(() => limiter.take("key:bench"))),
    select: () => time(() => db.pool.query("SELECT 1")),
  };
  const results: Record<keyof typeof runs, number[]> = { unlogged: [], logged: [], select: [] };
  const names = Object.keys(runs) as (keyof typeof runs)[];
  for (const name of names) await runs[name](); // warm-up: connections, prepared statements
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(r + i) % names.length]!;
      results[name].push(await runs[name]());
    }
  }
  await persistence("UNLOGGED"); // as shipped
  const ratio = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!);
  console.log(`calls a round: ${calls}, rounds: ${rounds}`);
  for (const name of names) console.log(`${name.padEnd(9)} median ${median(results[name]).toFixed(3)} ms a call (${list(results[name])})`);
  const u = ratio(results.unlogged, results.select);
  const l = ratio(results.logged, results.select);
  console.log(`unlogged / SELECT 1: median ${median(u).toFixed(2)} (${Math.min(...u).toFixed(2)}–${Math.max(...u).toFixed(2)})`);
  console.log(`logged / SELECT 1:   median ${median(l).toFixed(2)} (${Math.min(...l).toFixed(2)}–${Math.max(...l).toFixed(2)})`);
  await db.prisma.$disconnect();
  await db.pool.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
