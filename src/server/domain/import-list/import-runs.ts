import type { Db } from "../../db";
import type { Queryable } from "../prospects/insert-prospects";
import { conflict, errorMessage, notFound } from "../errors";
import type { ImportCounts, ImportOutcome } from "./outcome";
import { emptyInvalidReasons, type InvalidReasonCounts } from "../skip-reasons";
import { IMPORT_QUEUE, JOB_TABLE } from "./queue-names";

// The run record: written when an import starts, after every batch, and when it ends.
// The dialog and the CLI follow it, so a run can be watched from anywhere.

/** A run's identity and where its committed batches reach: what a runner needs to go on. */
export type RunRecord = {
  id: string;
  userId: string;
  campaignId: string;
  listId: string;
  status: string;
  background: boolean;
  resumedCount: number;
  cursor: string | null;
  cancelRequested: boolean;
  counts: ImportCounts;
};

const RECORD_COLUMNS = `id, user_id AS "userId", campaign_id AS "campaignId", list_id AS "listId", status::text AS status,
  background, resumed_count AS "resumedCount", cursor_row_id::text AS cursor, cancel_requested_at IS NOT NULL AS "cancelRequested",
  json_build_object('imported', imported, 'duplicates', duplicates, 'invalid', invalid, 'errors', errors, 'total', total,
    'invalidReasons', invalid_reasons, 'repeated', repeated) AS counts`;

/**
 * Writes a new run record: "running" for an import in this request, "queued" for a background
 * one. At most one run per (campaign, list) is queued or running (a partial unique index):
 * when another is, nothing is written and `activeRunId` names it.
 */
export async function startRun(
  db: Queryable,
  input: { userId: string; campaignId: string; listId: string; listTotal: number; background?: boolean },
): Promise<string> {
  const started = await tryStartRun(db, input);
  if ("id" in started) return started.id;
  throw conflict(`another import of this list into this campaign is still running (run ${started.activeRunId}); try again when it has finished`);
}

export async function tryStartRun(
  db: Queryable,
  input: { userId: string; campaignId: string; listId: string; listTotal: number; background?: boolean },
): Promise<{ id: string } | { activeRunId: string }> {
  const background = input.background ?? false;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO import_runs (user_id, campaign_id, list_id, list_total, background, status)
     VALUES ($1, $2, $3, $4, $5, $6::import_run_status)
     ON CONFLICT (campaign_id, list_id) WHERE status IN ('queued', 'running') DO NOTHING
     RETURNING id`,
    [input.userId, input.campaignId, input.listId, input.listTotal, background, background ? "queued" : "running"],
  );
  if (rows[0]) return { id: rows[0].id };
  const active = await activeRunId(db, input);
  // The other run ended between the two statements: simply try again.
  return active ? { activeRunId: active } : tryStartRun(db, input);
}

/** The run of this list into this campaign that is queued or running, if any. */
export async function activeRunId(db: Queryable, key: { campaignId: string; listId: string }): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM import_runs WHERE campaign_id = $1 AND list_id = $2 AND status IN ('queued', 'running')`, [
    key.campaignId,
    key.listId,
  ]);
  return rows[0]?.id ?? null;
}

/**
 * A background run taken up by a worker: queued → running, or running → running again when
 * the process that ran it died (or its attempt failed) and this one goes on from the cursor,
 * which counts as a resume. Null when the run has ended (cancelled while queued, settled).
 */
export async function claimRun(db: Queryable, runId: string): Promise<RunRecord | null> {
  const { rows } = await db.query<RunRecord>(
    `UPDATE import_runs
     SET resumed_count = resumed_count + CASE WHEN status = 'running' THEN 1 ELSE 0 END, status = 'running'
     WHERE id = $1 AND status IN ('queued', 'running')
     RETURNING ${RECORD_COLUMNS}`,
    [runId],
  );
  return rows[0] ?? null;
}

/** The record of a run as it stands. */
export async function readRun(db: Queryable, runId: string): Promise<RunRecord | null> {
  const { rows } = await db.query<RunRecord>(`SELECT ${RECORD_COLUMNS} FROM import_runs WHERE id = $1`, [runId]);
  return rows[0] ?? null;
}

/**
 * Asks a run to stop. A queued run ends at once (nothing was written); a running one stops
 * after the batch in flight: each batch's statement checks this flag and writes nothing once
 * it is set, and the runner ends the run as cancelled with the counts its batches recorded.
 * A run that has already ended is left as it is.
 */
export async function requestCancel(db: Queryable, userId: string, runId: string): Promise<void> {
  const { rows } = await db.query<{ status: string }>(
    `UPDATE import_runs
     SET cancel_requested_at = COALESCE(cancel_requested_at, now()),
         status = CASE WHEN status = 'queued' THEN 'cancelled'::import_run_status ELSE status END,
         finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END
     WHERE id = $1 AND user_id = $2 AND status IN ('queued', 'running')
     RETURNING status::text`,
    [runId, userId],
  );
  if (rows[0]) return;
  // An ended run has nothing to stop: asking again (a retry whose answer was lost) changes nothing.
  const run = await db.query(`SELECT 1 FROM import_runs WHERE id = $1 AND user_id = $2`, [runId, userId]);
  if (!run.rowCount) throw notFound("import run");
}

/**
 * Progress the batches' own statements don't write: a failed batch's rows as errors, or the
 * counts and cursor after a page that had no valid row (written once the batches before it are
 * in, so the cursor never passes an uncommitted batch). imported and duplicates are moved only
 * by the batches' own statements (insert-prospects.ts), so they always say what committed.
 * Answers whether the run was asked to cancel, at no extra cost.
 */
export async function recordProgress(db: Queryable, runId: string, progress: { errors: number } | (ImportCounts & { cursor: string })): Promise<boolean> {
  const { rows } =
    "cursor" in progress
      ? await db.query<{ cancelled: boolean }>(
          `UPDATE import_runs SET total = $2, invalid = $3, errors = $4, cursor_row_id = $5, invalid_reasons = $6 WHERE id = $1
           RETURNING cancel_requested_at IS NOT NULL AS cancelled`,
          [runId, progress.total, progress.invalid, progress.errors, progress.cursor, JSON.stringify(progress.invalidReasons)],
        )
      : await db.query<{ cancelled: boolean }>(`UPDATE import_runs SET errors = $2 WHERE id = $1 RETURNING cancel_requested_at IS NOT NULL AS cancelled`, [
          runId,
          progress.errors,
        ]);
  return rows[0]?.cancelled ?? false;
}

/** Rows of the run that were valid but could not be written, with the error's class (never its message). */
export async function recordRowErrors(db: Queryable, runId: string, listRowIds: string[], errorClass: string): Promise<void> {
  await db.query(
    `INSERT INTO import_row_errors (run_id, list_row_id, error_class) SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`,
    [runId, listRowIds, errorClass],
  );
}

/**
 * The counts exactly as the committed batches left them, for a run that stops at its cursor
 * (cancelled): total, invalid and errors as of the cursor's row, imported and duplicates as
 * the batches moved them. Rows after the cursor were not counted, as if never read.
 */
export async function countsAtCursor(db: Queryable, runId: string): Promise<ImportCounts> {
  const run = await readRun(db, runId);
  if (!run) throw notFound("import run");
  return { ...run.counts, invalidReasons: withAllReasons(run.counts.invalidReasons), errors: run.counts.total - run.counts.invalid - run.counts.imported - run.counts.duplicates };
}

// A record written before any batch holds {}: every reason is there, at 0.
const withAllReasons = (recorded: Partial<InvalidReasonCounts>): InvalidReasonCounts => ({ ...emptyInvalidReasons(), ...recorded });

export async function reconcileCounts(db: Queryable, runId: string, counts: ImportCounts): Promise<ImportCounts> {
  const { rows } = await db.query<{ imported: number; duplicates: number; repeated: number }>(
    `SELECT imported, duplicates, repeated FROM import_runs WHERE id = $1`,
    [runId],
  );
  const recorded = rows[0];
  if (!recorded) return counts;
  const errors = counts.total - counts.invalid - recorded.imported - recorded.duplicates;
  return { ...counts, imported: recorded.imported, duplicates: recorded.duplicates, repeated: recorded.repeated, errors };
}

/** How a run ended: an import outcome, or cancelled on request. */
export type RunEnd = ImportOutcome | "cancelled";

async function writeEnd(db: Queryable, runId: string, counts: ImportCounts, outcome: RunEnd, cursor: string | null) {
  // The cursor ends at the last row the run read (its report covers the list up to there).
  await db.query(
    `UPDATE import_runs SET total = $2, imported = $3, duplicates = $4, invalid = $5, errors = $6, status = $7, finished_at = now(),
       invalid_reasons = $8, repeated = $9, cursor_row_id = COALESCE($10::bigint, cursor_row_id)
     WHERE id = $1`,
    [runId, counts.total, counts.imported, counts.duplicates, counts.invalid, counts.errors, outcome, JSON.stringify(counts.invalidReasons), counts.repeated, cursor],
  );
}

// How a run that nothing will finish is ended: partial (cancelled if that was asked), with
// imported and duplicates as its committed batches recorded them, and the rest as errors.
const SETTLE = `SET status = CASE WHEN cancel_requested_at IS NULL THEN 'partial' ELSE 'cancelled' END::import_run_status,
         finished_at = now(), errors = total - invalid - imported - duplicates`;

/**
 * Ends the campaign's runs that nothing will ever finish, so they don't say "running" forever:
 * - a run in a request whose server died. It holds its import lock, a session advisory lock
 *   (import-lock.ts, same key), from before its record is written until after its end is;
 *   PostgreSQL frees it when that session dies. So such a run whose lock is free is over.
 *   Trying the lock with pg_try_advisory_xact_lock holds it only until this statement commits.
 *   (If the end was only waiting for a retry, recordEnd's later write corrects the outcome.)
 * - a background run whose pg-boss job is no longer live (it failed for good, or was deleted):
 *   a live job (created, retry, active) will be taken up and resumed, so it is left alone.
 * Either ends partial (cancelled if that was asked), with imported and duplicates as its
 * committed batches recorded them and the rest of the rows it had read as errors.
 */
export async function settleAbandonedRuns(db: Queryable, campaignId: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE import_runs r
     ${SETTLE}
     WHERE campaign_id = $1 AND status IN ('queued', 'running')
       AND CASE WHEN background
             THEN NOT EXISTS (SELECT 1 FROM ${JOB_TABLE} j WHERE j.name = '${IMPORT_QUEUE}' AND j.id = r.id AND j.state IN ('created', 'retry', 'active'))
             ELSE r.status = 'running' AND pg_try_advisory_xact_lock(hashtext(campaign_id::text), hashtext(list_id::text))
           END`,
    [campaignId],
  );
  return rowCount ?? 0;
}

/**
 * For a request that holds this pair's import lock: any run of the pair in a request that still
 * says "running" is one whose server died (its lock would be held otherwise). Ends it partial.
 */
export async function settleAbandonedRunsHeld(db: Queryable, key: { campaignId: string; listId: string }): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE import_runs
     ${SETTLE}
     WHERE campaign_id = $1 AND list_id = $2 AND status = 'running' AND NOT background`,
    [key.campaignId, key.listId],
  );
  return rowCount ?? 0;
}

/** How the end of a run is retried when the database is away as the run ends. */
export const END_RETRY = { everyMs: 2_000, forMs: 120_000 };

/**
 * Writes the end of a run. If the database is away (the run itself probably ended because of
 * that), the caller still gets its counts now, and the record is retried in the background
 * until the database is back, so the run does not stay "running" forever.
 */
export async function recordEnd(db: Queryable, runId: string, counts: ImportCounts, outcome: RunEnd, cursor: string | null, retry = END_RETRY) {
  const final = { ...counts };
  const attempt = () => writeEnd(db, runId, final, outcome, cursor);
  try {
    await attempt();
    return;
  } catch (error) {
    console.error(`import ${runId}: could not record the end of the run, retrying in the background:`, errorMessage(error));
  }
  const deadline = Date.now() + retry.forMs;
  const later = () =>
    setTimeout(() => {
      attempt().then(
        () => console.error(`import ${runId}: end of the run recorded after a retry`),
        (error) => {
          if (Date.now() < deadline) later();
          else console.error(`import ${runId}: gave up recording the end of the run:`, errorMessage(error));
        },
      );
    }, retry.everyMs).unref();
  later();
}

const runSelect = {
  id: true, campaignId: true, listId: true, status: true, listTotal: true, total: true, imported: true,
  duplicates: true, invalid: true, errors: true, startedAt: true, finishedAt: true,
  background: true, resumedCount: true, cancelRequestedAt: true, invalidReasons: true, repeated: true,
  list: { select: { name: true } },
} as const;

type RunRow = { list: { name: string }; invalidReasons: unknown } & Record<string, unknown>;
const runView = <T extends RunRow>({ list, invalidReasons, ...run }: T) => ({
  ...run,
  listName: list.name,
  invalidReasons: withAllReasons(invalidReasons as Partial<InvalidReasonCounts>),
});

export async function getRun(db: Db, userId: string, runId: string) {
  let run = await db.prisma.importRun.findFirst({ where: { id: runId, userId }, select: runSelect });
  if (!run) throw notFound("import run");
  if ((run.status === "running" || run.status === "queued") && (await settleAbandonedRuns(db.pool, run.campaignId)) > 0) {
    run = await db.prisma.importRun.findFirstOrThrow({ where: { id: runId, userId }, select: runSelect });
  }
  return runView(run);
}

export async function listRuns(db: Db, userId: string, campaignId: string, limit = 20) {
  await settleAbandonedRuns(db.pool, campaignId);
  const runs = await db.prisma.importRun.findMany({
    where: { campaignId, userId },
    orderBy: { startedAt: "desc" },
    take: limit,
    select: runSelect,
  });
  return runs.map(runView);
}
