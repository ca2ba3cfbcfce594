import type { Db } from "../db";
import { resolveCaller, SIGN_IN_REQUIRED } from "../auth/caller";
import { reportRun } from "../domain/import-list/skipped-rows";
import { skippedRowsCsv } from "../domain/import-list/skipped-csv";
import { importRunInput } from "./routers/campaign/import-list.types";
import { domainErrorOf, domainErrorResponse, errorBody, jsonResponse as json } from "./http-status";

/** GET /api/imports/{runId}/skipped.csv: the one REST answer that is not JSON, so not a procedure. */
export const SKIPPED_CSV_PATH = /^\/api\/imports\/([^/]+)\/skipped\.csv$/;

/** The run's skipped rows as a CSV download, for its owner (by session or Bearer key), streamed. */
export async function skippedCsvResponse(
  req: Request,
  runIdParam: string,
  deps: { db: Db; sessionUserId: () => Promise<string | null> },
): Promise<Response> {
  if (req.method !== "GET" && req.method !== "HEAD") return json(405, { message: "use GET", code: "METHOD_NOT_SUPPORTED" }, { Allow: "GET, HEAD" });
  // As sent: a UUID has nothing to decode, and a broken %-escape must be a 400, not a throw.
  const input = importRunInput.safeParse({ runId: runIdParam });
  if (!input.success) return json(400, errorBody({ message: "Input validation failed", code: "BAD_REQUEST", issues: input.error.issues }));
  try {
    const caller = await resolveCaller(deps.db, req.headers.get("authorization"), deps.sessionUserId);
    if (caller.kind !== "user") {
      return json(401, { message: caller.kind === "rejected" ? caller.reason : SIGN_IN_REQUIRED, code: "UNAUTHORIZED" });
    }
    const run = await reportRun(deps.db, caller.userId, input.data.runId);
    const headers = {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="skipped-rows-${run.id}.csv"`,
      "cache-control": "no-store",
    };
    return new Response(req.method === "HEAD" ? null : skippedRowsCsv(deps.db.pool, run), { status: 200, headers });
  } catch (error) {
    const domain = domainErrorOf(error);
    if (!domain) throw error;
    return domainErrorResponse(domain);
  }
}
