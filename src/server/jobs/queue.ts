// The job queue: pg-boss in the app's own PostgreSQL, in its own schema (pgboss). Every app
// process (npm start, npm run dev) and every `npm run worker` process works it, so a background
// run goes on in any of them, and one that dies has its runs taken over by another
// (docs/jobs.md). Nothing here knows what an import is beyond its run id.
import { PgBoss, type Job } from "pg-boss";
import type { Queryable } from "../domain/prospects/insert-prospects";
import { IMPORT_QUEUE, JOBS_SCHEMA } from "../domain/import-list/queue-names";
import { errorMessage } from "../domain/errors";

export type JobsOptions = {
  /** Seconds a worker may go without a heartbeat before its job is handed to another. */
  heartbeatSeconds?: number;
  /** How often this process checks for jobs whose worker went silent. */
  monitorSeconds?: number;
};

// A run's attempts: an attempt ends early (RetryLater) when the database dropped it mid-run, or
// dies with its process. Each retry goes on from the run's cursor, so retries cost no rework.
// About 6 minutes of retrying in all before a run is ended as far as it got.
export const IMPORT_QUEUE_OPTIONS = {
  retryLimit: 8,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 60,
  // A run of millions of rows is long: the heartbeat, not expiry, is what finds a dead worker.
  expireInSeconds: 24 * 3600,
  deleteAfterSeconds: 7 * 24 * 3600,
};

/** Connections pg-boss's own pool may open in one process (docs/jobs.md, connection budget). */
export const JOBS_POOL_MAX = 3;

export function createBoss(connectionString: string, options: JobsOptions & { supervise?: boolean } = {}): PgBoss {
  const boss = new PgBoss({
    connectionString,
    schema: JOBS_SCHEMA,
    max: JOBS_POOL_MAX,
    application_name: "outreach-jobs",
    supervise: options.supervise ?? true,
    schedule: false,
    superviseIntervalSeconds: options.monitorSeconds ?? 10,
    monitorIntervalSeconds: options.monitorSeconds ?? 10,
  });
  // pg-boss reports failures of its own background work here; without a listener they'd crash the process.
  boss.on("error", (error) => console.error("jobs:", errorMessage(error)));
  return boss;
}

/** Creates the import queue, or brings its options up to date. */
export async function ensureImportQueue(boss: PgBoss, heartbeatSeconds = 10): Promise<void> {
  const options = { ...IMPORT_QUEUE_OPTIONS, heartbeatSeconds };
  if (await boss.getQueue(IMPORT_QUEUE)) await boss.updateQueue(IMPORT_QUEUE, options);
  else await boss.createQueue(IMPORT_QUEUE, options);
}

/**
 * Installs (or migrates) pg-boss's schema and the import queue. Part of `npm run db:migrate`
 * and of every start-up's migration (scripts/lib/database.ts), so a fresh database comes up
 * with the README's commands.
 */
export async function installJobs(connectionString: string): Promise<void> {
  const boss = createBoss(connectionString, { supervise: false });
  await boss.start();
  try {
    await ensureImportQueue(boss);
  } finally {
    await boss.stop({ graceful: false });
  }
}

/**
 * What a job carries: the run's id (the run record holds everything else), and, in end-to-end
 * tests only, a fault the starting process had switched on (IMPORT_FAIL_PAGE), so that
 * whichever process works the job injects it.
 */
export type ImportJobData = { runId: string; failPage?: number };

/** Enqueues a run's job in the caller's transaction; the job's id is the run's id. */
export function importEnqueuer(boss: PgBoss, fault: { failPage?: number } = {}) {
  return async (tx: Queryable, runId: string) => {
    await boss.send(IMPORT_QUEUE, { runId, ...fault } satisfies ImportJobData, {
      id: runId,
      // A fault injected for a test lasts: retrying would only meet it again.
      ...(fault.failPage ? { retryLimit: 0 } : {}),
      db: { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) },
    });
  };
}

export type ImportJobHandler = (job: ImportJobData, attempt: { final: boolean; signal: AbortSignal }) => Promise<void>;

/**
 * Works the import queue in this process: `concurrency` runs at a time. Returns wake(): workers
 * poll every second, so a run started in this process would wait up to that long; wake() has
 * them look now (after the run's transaction has committed).
 */
export async function workImports(boss: PgBoss, concurrency: number, handle: ImportJobHandler): Promise<() => void> {
  const ids: string[] = [];
  // One work() per slot, so that each worker can be woken (notifyWorker wakes one worker).
  for (let i = 0; i < concurrency; i++) {
    ids.push(
      await boss.work<ImportJobData>(IMPORT_QUEUE, { includeMetadata: true, pollingIntervalSeconds: 1 }, async ([job]) => {
        const meta = job as unknown as Job<ImportJobData> & { retryCount: number; retryLimit: number; signal: AbortSignal };
        await handle(meta.data, { final: meta.retryCount >= meta.retryLimit, signal: meta.signal });
      }),
    );
  }
  return () => ids.forEach((id) => boss.notifyWorker(id));
}
