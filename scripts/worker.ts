// `npm run worker`: a process that only works the background-import queue (no web server), for
// deployments that run web and workers apart. Any number of them, beside any number of app
// processes, on one PostgreSQL (docs/jobs.md). Stops on SIGINT/SIGTERM: the runs it had are
// taken over by another process from their last committed batch.
import { appDatabase, migrate } from "./lib/database";
import { createDb } from "../src/server/db";
import { startJobs } from "../src/server/jobs/app-jobs";
import { parseEnv } from "../src/env";

const database = await appDatabase({ share: true });
if (database.embedded) await migrate(database.url, { quiet: true });
// The worker serves no sessions: it needs the jobs settings, not a session secret.
const env = () => parseEnv({ NEXTAUTH_SECRET: "unused-by-the-worker", ...process.env, DATABASE_URL: database.url });
const db = createDb(database.url, env().DB_POOL_MAX);
const jobs = await startJobs(db, database.url, {
  work: true,
  concurrency: env().JOBS_CONCURRENCY,
  heartbeatSeconds: env().JOBS_HEARTBEAT_SECONDS,
  monitorSeconds: env().JOBS_MONITOR_SECONDS,
});
console.log(`worker: working background imports (${env().JOBS_CONCURRENCY} at a time) on ${database.embedded ? "the embedded PostgreSQL" : "DATABASE_URL"}`);

let stopping = false;
async function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  console.log(`worker: ${signal}, stopping`);
  await jobs.stop();
  await db.pool.end();
  await database.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
