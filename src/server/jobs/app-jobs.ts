// This process's share of the queue: one pg-boss instance, started on first use, which also
// works the import queue unless JOBS_WORKER=off. Started by src/instrumentation.ts in every
// Next.js server process, by scripts/worker.ts in worker-only processes, and used by the API
// to enqueue background runs.
import type { PgBoss } from "pg-boss";
import { db as appDb, type Db } from "../db";
import { env, faultEnv } from "../../env";
import { runBackgroundImport } from "../domain/import-list/background";
import { failOnListPage, holdAfterBatch } from "../domain/import-list/fault-injection";
import type { EnqueueImport } from "../domain/import-list/background";
import type { ImportListDeps } from "../domain/import-list/import-list";
import { errorMessage } from "../domain/errors";
import { createBoss, ensureImportQueue, importEnqueuer, workImports, type ImportJobData } from "./queue";

export type ProcessJobs = { boss: PgBoss; enqueueImport: EnqueueImport; stop: () => Promise<void> };

/** Starts pg-boss on a database and, when `work` is set, this process's import workers. */
export async function startJobs(database: Db, connectionString: string, options: { work: boolean; concurrency?: number; heartbeatSeconds?: number; monitorSeconds?: number }): Promise<ProcessJobs> {
  const boss = createBoss(connectionString, options);
  await boss.start();
  await ensureImportQueue(boss, options.heartbeatSeconds);
  const wake = options.work
    ? await workImports(boss, options.concurrency ?? 2, (job, attempt) => runBackgroundImport(database, job.runId, attempt, faultInjection(database, job)))
    : () => undefined;
  const enqueueImport: EnqueueImport = {
    // Read when enqueuing, not from env()'s start-up cache, like the request path's IMPORT_FAIL_PAGE.
    enqueue: (tx, runId) => importEnqueuer(boss, { failPage: faultEnv().IMPORT_FAIL_PAGE })(tx, runId),
    // This process's own workers take the run at once rather than at their next poll.
    committed: wake,
  };
  return { boss, enqueueImport, stop: () => boss.stop({ graceful: false }) };
}

// Testing only: the fault the starting process put in the job, and this process's own hold.
function faultInjection(database: Db, job: ImportJobData): ImportListDeps {
  const hold = faultEnv().IMPORT_HOLD_AFTER_BATCH;
  return {
    readPage: job.failPage ? failOnListPage(database.pool, job.failPage) : undefined,
    writeBatch: hold ? holdAfterBatch(hold) : undefined,
  };
}

const globalForJobs = globalThis as unknown as { appJobs?: Promise<ProcessJobs> };

/** The app process's jobs, started once (and again on the next call if starting failed). */
export function appJobs(): Promise<ProcessJobs> {
  globalForJobs.appJobs ??= startJobs(appDb(), env().DATABASE_URL, {
    work: env().JOBS_WORKER === "on",
    concurrency: env().JOBS_CONCURRENCY,
    heartbeatSeconds: env().JOBS_HEARTBEAT_SECONDS,
    monitorSeconds: env().JOBS_MONITOR_SECONDS,
  }).catch((error) => {
    globalForJobs.appJobs = undefined;
    console.error("jobs: could not start:", errorMessage(error));
    throw error;
  });
  return globalForJobs.appJobs;
}
