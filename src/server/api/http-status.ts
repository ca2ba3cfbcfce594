import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { DomainError, type DomainErrorKind } from "../domain/errors";
import type { ImportOutcome } from "../domain/import-list/outcome";
import { isConnectionFailure } from "../db";

// The one place where domain outcomes become HTTP status codes and tRPC errors.

const ERROR_CODE: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  not_found: "NOT_FOUND",
  invalid: "BAD_REQUEST",
  conflict: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
  unavailable: "SERVICE_UNAVAILABLE",
};

export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: ERROR_CODE[error.kind], message: error.message, cause: error });
}

/** The HTTP status of a domain refusal, for responses made outside tRPC (sign-in). */
export function httpStatusOf(error: DomainError): number {
  return getHTTPStatusCodeFromError(toTRPCError(error));
}

/** A JSON answer made outside tRPC (the REST handler's own refusals, the CSV download's). */
export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A domain refusal as a REST response, for answers made outside tRPC (the CSV download). */
export function domainErrorResponse(error: DomainError): Response {
  return jsonResponse(httpStatusOf(error), { message: error.message, code: ERROR_CODE[error.kind] }, retryAfterHeader(error));
}

/** Seconds a client should wait before trying again after a database outage. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The DomainError an error thrown by a procedure (or while building its context) stands for:
 * itself, or "unavailable" when the database could not be reached or dropped the connection
 * (503 with Retry-After rather than an opaque 500). Null for anything else: a bug stays a 500.
 */
export function domainErrorOf(cause: unknown): DomainError | null {
  if (cause instanceof DomainError) return cause;
  if (isConnectionFailure(cause)) {
    // Prisma's messages open with the call site; the driver's reason is the last line.
    const reason = (cause instanceof Error ? cause.message : String(cause)).trim().split("\n").at(-1);
    console.error("database unavailable:", reason);
    return new DomainError("unavailable", "the database is unavailable; try again in a few seconds", UNAVAILABLE_RETRY_AFTER_SECONDS);
  }
  return null;
}

/** The Retry-After header an error calls for (rate limited, database unavailable), if any. */
export function retryAfterHeader(error: unknown): Record<string, string> {
  const cause = error instanceof TRPCError ? error.cause : error;
  const seconds = cause instanceof DomainError ? cause.retryAfterSeconds : undefined;
  return seconds ? { "Retry-After": String(seconds) } : {};
}

const IMPORT_STATUS: Record<ImportOutcome, number> = {
  complete: 200,
  partial: 206,
  nothing_imported: 422,
  failed: 500,
};

export function importHttpStatus(outcome: ImportOutcome): number {
  return IMPORT_STATUS[outcome];
}

/**
 * What the synchronous import would have answered for a run that has ended; a cancelled run
 * ended part-way, with what was committed kept: 206. Null while it is queued or running.
 */
export function runHttpStatus(status: string): 200 | 206 | 422 | 500 | null {
  if (status === "cancelled") return 206;
  return status in IMPORT_STATUS ? (IMPORT_STATUS[status as ImportOutcome] as 200 | 206 | 422 | 500) : null;
}

/** The error body every API client gets: REST's documented error, and the MCP tools' errors. */
export type ErrorBody = { message: string; code: string; issues?: Array<{ message: string; path: unknown }> };

/** Exactly { message, code, issues? } out of an error shape, each issue cut down to its message and path. */
export function errorBody(raw: { message?: unknown; code?: unknown; issues?: unknown }): ErrorBody {
  return {
    message: typeof raw.message === "string" ? raw.message : "Internal server error",
    code: typeof raw.code === "string" ? raw.code : "INTERNAL_SERVER_ERROR",
    ...(Array.isArray(raw.issues)
      ? { issues: raw.issues.map((issue: { message?: unknown; path?: unknown }) => ({ message: String(issue.message), path: issue.path ?? [] })) }
      : {}),
  };
}

/**
 * The body REST answers for a TRPCError (trpc-to-openapi's shape through trpc.ts's error
 * formatter), for callers that meet the error directly, without HTTP: a failed input
 * validation is "Input validation failed" with its issues, an internal error says no more than
 * that (and is logged here, as the formatter logs it for REST).
 */
export function errorBodyOf(error: TRPCError): ErrorBody {
  const validation = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : null;
  const internal = error.code === "INTERNAL_SERVER_ERROR";
  if (internal) console.error("internal error:", error.cause ?? error);
  return errorBody({
    message: validation ? "Input validation failed" : internal ? "Internal server error" : error.message,
    code: error.code,
    issues: validation?.issues,
  });
}
