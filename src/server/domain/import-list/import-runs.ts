import type { Db } from "../../db";
import type { Queryable } from "../prospects/insert-prospects";
import { errorMessage, notFound } from "../errors";
import type { ImportCounts, ImportOutcome } from "./outcome";

// The run record: written when an import starts, after every batch, and when it ends.
// The dialog and the CLI follow it, so a run can be watched from anywhere.

export async function startRun(db: Queryable, input: { userId: string; campaignId: string; listId: string; listTotal: number }) {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO import_runs (user_id, campaign_id, list_id, list_total) VALUES ($1, $2, $3, $4) RETURNING id`,
    [input.userId, input.campaignId, input.listId, input.listTotal],
  );
  return rows[0]!.id;
}

/**
 * Progress between batches: the counts the import itself owns. imported and duplicates are
 * moved only by the batches' own statements (insert-prospects.ts), so they always say what
 * committed.
 */
export async function recordProgress(db: Queryable, runId: string, counts: ImportCounts) {
  await db.query(`UPDATE import_runs SET total = $2, invalid = $3, errors = $4 WHERE id = $1`, [runId, counts.total, counts.invalid, counts.errors]);
}

/**
 * The counts with imported and duplicates as the committed batches recorded them. They differ
 * from the import's own tally only when a batch's answer was lost (a network cut while it
 * committed): the import counted it as errors, but its rows went in. Every row read is exactly
 * one of invalid, imported, duplicate or error, so errors are what is left.
 */
export async function reconcileCounts(db: Queryable, runId: string, counts: ImportCounts): Promise<ImportCounts> {
  const { rows } = await db.query<{ imported: number; duplicates: number }>(`SELECT imported, duplicates FROM import_runs WHERE id = $1`, [runId]);
  const recorded = rows[0];
  if (!recorded) return counts;
  const errors = counts.total - counts.invalid - recorded.imported - recorded.duplicates;
  return { ...counts, imported: recorded.imported, duplicates: recorded.duplicates, errors };
}

async function writeEnd(db: Queryable, runId: string, counts: ImportCounts, outcome: ImportOutcome) {
  await db.query(
    `UPDATE import_runs SET total = $2, imported = $3, duplicates = $4, invalid = $5, errors = $6, status = $7, finished_at = now()
     WHERE id = $1`,
    [runId, counts.total, counts.imported, counts.duplicates, counts.invalid, counts.errors, outcome],
  );
}

/**
 * Ends the campaign's runs whose server died mid-import (they would say "running" forever).
 * A run holds its import lock, a session advisory lock (import-lock.ts, same key), from before
 * its record is written until after its end is; PostgreSQL frees it when that session dies. So
 * a "running" run whose lock is free is over: it ended partial, with imported and duplicates as
 * its committed batches recorded them and the rest of the rows it had read as errors. Trying
 * the lock with pg_try_advisory_xact_lock holds it only until this statement commits.
 * (If the end was only waiting for a retry, recordEnd's later write corrects the outcome.)
 */
export async function settleAbandonedRuns(db: Queryable, campaignId: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE import_runs SET status = 'partial', finished_at = now(), errors = total - invalid - imported - duplicates
     WHERE campaign_id = $1 AND status = 'running'
       AND pg_try_advisory_xact_lock(hashtext(campaign_id::text), hashtext(list_id::text))`,
    [campaignId],
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
export async function recordEnd(db: Queryable, runId: string, counts: ImportCounts, outcome: ImportOutcome, retry = END_RETRY) {
  const final = { ...counts };
  const attempt = () => writeEnd(db, runId, final, outcome);
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
  list: { select: { name: true } },
} as const;

type RunRow = { list: { name: string } } & Record<string, unknown>;
const runView = <T extends RunRow>({ list, ...run }: T) => ({ ...run, listName: list.name });

export async function getRun(db: Db, userId: string, runId: string) {
  let run = await db.prisma.importRun.findFirst({ where: { id: runId, userId }, select: runSelect });
  if (!run) throw notFound("import run");
  if (run.status === "running" && (await settleAbandonedRuns(db.pool, run.campaignId)) > 0) {
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
