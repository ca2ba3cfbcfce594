import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { DomainError, type DomainErrorKind } from "../domain/errors";
import type { ImportOutcome } from "../domain/import-list/outcome";

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

const IMPORT_STATUS: Record<ImportOutcome, number> = {
  complete: 200,
  partial: 206,
  nothing_imported: 422,
  failed: 500,
};

export function importHttpStatus(outcome: ImportOutcome): number {
  return IMPORT_STATUS[outcome];
}
