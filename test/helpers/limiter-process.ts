// A separate Node process that uses the app's rate limiter against a database, as a second app
// instance would: `tsx test/helpers/limiter-process.ts <json>` prints one JSON line of outcomes.
//   { mode: "take", databaseUrl, name, points, key, calls }                 → ["ok" | "rate_limited", …]
//   { mode: "signin", databaseUrl, name, perAccount, perAddress, email, password, address, calls }
//                                                                            → ["signed_in" | "wrong" | "rate_limited", …]
// It waits for a line on stdin before it starts, so that the test can start both processes first
// and then let them run at the same time.
import { createInterface } from "node:readline";
import { createDb } from "../../src/server/db";
import { RateLimiter } from "../../src/server/domain/rate-limit";
import { signIn, signInLimits } from "../../src/server/domain/sign-in";
import { DomainError } from "../../src/server/domain/errors";

type Job =
  | { mode: "take"; databaseUrl: string; name: string; points: number; key: string; calls: number }
  | { mode: "signin"; databaseUrl: string; name: string; perAccount: number; perAddress: number; email: string; password: string; address: string; calls: number };

async function main() {
  const job = JSON.parse(process.argv[2]!) as Job;
  const db = createDb(job.databaseUrl, 2);
  await db.pool.query("SELECT 1"); // connected before the test says go
  const attempt =
    job.mode === "take"
      ? (() => {
          const limiter = new RateLimiter(db.pool, { name: job.name, points: job.points, windowSeconds: 3600 });
          return async () => (await limiter.take(job.key), "ok");
        })()
      : (() => {
          const limits = signInLimits(db, { perAccount: job.perAccount, perAddress: job.perAddress, windowMinutes: 60 }, job.name);
          return async () => ((await signIn(db, limits, job)) ? "signed_in" : "wrong");
        })();

  process.stdout.write("ready\n");
  await new Promise((resolve) => createInterface({ input: process.stdin }).once("line", resolve));

  const outcomes: string[] = [];
  for (let i = 0; i < job.calls; i++) {
    try {
      outcomes.push(await attempt());
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== "rate_limited") throw error;
      outcomes.push("rate_limited");
    }
  }
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
  await db.prisma.$disconnect();
  await db.pool.end();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
