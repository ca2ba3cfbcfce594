import type { ReadPage } from "./read-pages";
import type { WriteBatch } from "./write-batch";
import type { Queryable } from "../prospects/insert-prospects";
import { PAGE_SIZE } from "./read-pages";

/** A reader whose Nth page read (1-based) fails, as a dropped connection would. */
export function failOnPage(page: number): (base: ReadPage) => ReadPage {
  return (base) => {
    let reads = 0;
    return async (afterId) => {
      reads++;
      if (reads === page) throw new Error(`injected fault: page read ${page} failed`);
      return base(afterId);
    };
  };
}

/**
 * A writer that stops still once `batches` batches have committed, before the run adds them
 * up, and never goes on: the end-to-end tests kill the process that holds a run there.
 */
export function holdAfterBatch(batches: number): (base: WriteBatch) => WriteBatch {
  return (base) => {
    let committed = 0;
    return async (batch) => {
      const result = await base(batch);
      if (++committed >= batches) {
        console.error(`injected fault: holding the run after batch ${committed} committed`);
        await new Promise<never>(() => undefined);
      }
      return result;
    };
  };
}

/**
 * A reader that fails whenever it would read the Nth page of the list counted from the list's
 * start (1-based), so a background run resumed from its cursor meets the same fault again, as
 * a lasting outage would, and ends as the request would have.
 */
export function failOnListPage(db: Queryable, page: number): (base: ReadPage) => ReadPage {
  const firstRowOfPage = (page - 1) * PAGE_SIZE + 1;
  return (base) => async (afterId) => {
    const { rows } = afterId
      ? await db.query<{ before: number }>(
          `SELECT count(*)::int AS before FROM list_rows WHERE list_id = (SELECT list_id FROM list_rows WHERE id = $1) AND id <= $1`,
          [afterId],
        )
      : { rows: [{ before: 0 }] };
    const before = rows[0]!.before;
    if (before < firstRowOfPage && firstRowOfPage <= before + PAGE_SIZE) throw new Error(`injected fault: page ${page} of the list failed`);
    return base(afterId);
  };
}
