import type { Queryable } from "../prospects/insert-prospects";
import { CSV_BOM, csvRecord } from "../csv";
import { skippedRows, type ReportRun, type SkippedRow } from "./skipped-rows";

const COLUMNS = ["list_row_id", "reason", "repeats_row_id", "error_class", "linkedin_url", "full_name", "first_name", "last_name", "company", "role", "headline", "work_email"];

const record = ({ row, reason, repeatsRowId, errorClass }: SkippedRow) =>
  csvRecord([row.id, reason, repeatsRowId, errorClass, row.linkedinUrl, row.fullName, row.firstName, row.lastName, row.company, row.role, row.headline, row.workEmail]);

/**
 * Every skipped row of the run as CSV: the list row's own fields and the reason. Streamed a
 * page of the list at a time, as the client reads it, so memory stays flat for any list.
 */
export function skippedRowsCsv(db: Queryable, run: ReportRun): ReadableStream<Uint8Array> {
  const rows = skippedRows(db, run, null);
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      let chunk = started ? "" : CSV_BOM + csvRecord(COLUMNS);
      started = true;
      // One page of the list per pull: the stream asks for more only when the client has read this.
      for (;;) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        if ("scannedThrough" in next.value) break;
        chunk += record(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
