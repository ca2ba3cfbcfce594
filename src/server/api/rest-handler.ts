import { db, type Db } from "../db";
import { SKIPPED_CSV_PATH, skippedCsvResponse } from "./skipped-csv";
import { appRouter } from "./root";
import { createContext, lookUpCaller, type Context, type Jobs, type RateLimits } from "./trpc";
import { errorBody, jsonResponse, retryAfterHeader } from "./http-status";
import { openApiFetchHandler, parseBody, type ParsedBody } from "./openapi-fetch";
import { CROSS_SITE_MESSAGE, isCrossSiteChange } from "./cross-site";
import { publicOrigin } from "../../env";

/** The REST adapter over the app's procedures, built once. */
const openApi = openApiFetchHandler(appRouter);

/** Request bodies above this are refused with 413 before they are read into memory. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type RestDeps = {
  sessionUserId: () => Promise<string | null>;
  db?: Db;
  limits?: RateLimits;
  jobs?: Jobs;
  /** The app's own origin, for the cross-site guard; publicOrigin() unless a test serves elsewhere. */
  appOrigin?: string;
};

/** The REST API (trpc-to-openapi over the same procedures as tRPC), served under /api. */
export async function handleRestRequest(req: Request, deps: RestDeps): Promise<Response> {
  if (await isCrossSiteChange(req, deps.appOrigin ?? publicOrigin(), deps.sessionUserId)) {
    return jsonResponse(403, { message: CROSS_SITE_MESSAGE, code: "FORBIDDEN" });
  }
  const database = deps.db ?? db();
  const csv = SKIPPED_CSV_PATH.exec(new URL(req.url).pathname);
  if (csv) return skippedCsvResponse(req, csv[1]!, { db: database, sessionUserId: deps.sessionUserId });
  const authorization = req.headers.get("authorization");
  const caller = lookUpCaller(database, authorization, deps.sessionUserId);
  const body = await readBody(req);
  if (body instanceof Response) return body;

  let failed = false;
  const response = await openApi({
    endpoint: "/api",
    ...requestWithInput(req, body),
    createContext: () =>
      createContext({
        authorization,
        caller,
        sessionUserId: deps.sessionUserId,
        db: database,
        limits: deps.limits,
        jobs: deps.jobs,
        prefer: req.headers.get("prefer"),
      }),
    responseMeta: ({ ctx, errors }) => {
      const response = (ctx as Context | undefined)?.response;
      // A procedure's own status (206, 422, 500 with counts) only when it returned normally.
      if (errors.length > 0) {
        failed = true;
        // An error before the context existed (the database down while checking the key) has no hints yet.
        return { headers: { ...retryAfterHeader(errors[0]), ...response?.headers } };
      }
      return { status: response?.status, headers: response?.headers };
    },
  });
  return failed ? documentedErrorBody(response) : response;
}

// trpc-to-openapi answers errors with the tRPC error shape (message, code, data, issues).
// REST clients get exactly the documented body: { message, code, issues? } with each issue's
// message and path, nothing of tRPC's internal data.
async function documentedErrorBody(response: Response): Promise<Response> {
  const body = errorBody((await response.json().catch(() => ({}))) as Record<string, unknown>);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return jsonResponse(response.status, body, Object.fromEntries(headers));
}

/** A body read into memory: the chunks as they arrived (not concatenated) and their total size. */
type BodyChunks = { chunks: Uint8Array[]; size: number };

/** The body, at most MAX_BODY_BYTES of it, or a 413 response; null for a GET or HEAD, size 0 when none was sent. */
async function readBody(req: Request): Promise<BodyChunks | null | Response> {
  if (req.method === "GET" || req.method === "HEAD") return null;
  if (!req.body) return { chunks: [], size: 0 };
  const tooLarge = () => jsonResponse(413, { message: `request body is larger than ${MAX_BODY_BYTES} bytes`, code: "PAYLOAD_TOO_LARGE" });
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (declared > MAX_BODY_BYTES) return tooLarge();

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return { chunks, size };
}

// What the adapter is handed: the request and its body already parsed, by json-body.ts for JSON
// (the library's adapter would read the body as one string, costly when it is large).
function requestWithInput(req: Request, body: BodyChunks | null): { req: Request; body: ParsedBody | null } {
  if (body === null) return { req, body: null };
  // A POST with nothing in its body means "no input" (launch takes none): the adapter would answer
  // 415 without a content type. Hand it an empty JSON object; an operation that needs input then
  // answers 400 naming the missing fields.
  if (body.size === 0) {
    const headers = new Headers(req.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    return { req: new Request(req.url, { method: req.method, headers, signal: req.signal }), body: { ok: true, data: {} } };
  }
  return { req, body: parseBody(req.headers.get("content-type"), body.chunks, body.size) };
}

/**
 * The request with its body read into memory if it is at most MAX_BODY_BYTES, else a 413
 * response. Used by the tRPC endpoint, which has no limit of its own.
 */
export async function limitBody(req: Request): Promise<Request | Response> {
  const body = await readBody(req);
  if (body === null || body instanceof Response) return body ?? req;
  return new Request(req.url, { method: req.method, headers: req.headers, body: body.size > 0 ? new Blob(body.chunks as BlobPart[]) : undefined, signal: req.signal });
}
