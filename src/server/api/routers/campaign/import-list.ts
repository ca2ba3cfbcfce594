import { z } from "zod";
import { importProcedure, protectedProcedure, writeProcedure } from "../../trpc";
import { importHttpStatus, runHttpStatus } from "../../http-status";
import { faultEnv } from "../../../../env";
import { importList } from "../../../domain/import-list/import-list";
import { startBackgroundImport } from "../../../domain/import-list/background";
import { getRun, listRuns, requestCancel } from "../../../domain/import-list/import-runs";
import { previewImport } from "../../../domain/import-list/preview";
import { skippedRowsPage, type SkippedRow } from "../../../domain/import-list/skipped-rows";
import { failOnPage } from "../../../domain/import-list/fault-injection";
import { requireOwnedCampaign } from "../../../domain/campaigns";
import { Uuid } from "../shared.types";
import { duplicateReasons } from "../../../domain/skip-reasons";
import {
  cancelImportMeta,
  ImportAnswer,
  ImportRun,
  importListInput,
  importListMeta,
  importRunInput,
  importRunMeta,
  importRunsMeta,
  ImportPreview,
  previewImportInput,
  previewImportMeta,
  skippedRowsInput,
  skippedRowsMeta,
  skippedRowsOutput,
  type ImportResultBody,
  type ImportRunBody,
} from "./import-list.types";

type RunView = Awaited<ReturnType<typeof getRun>>;

/** The run record as clients see it, with the status the synchronous call would have answered. */
const runBody = ({ cancelRequestedAt, repeated, ...run }: RunView): ImportRunBody => ({
  ...run,
  duplicateReasons: duplicateReasons(run.duplicates, repeated),
  runId: run.id,
  cancelRequested: cancelRequestedAt !== null,
  httpStatus: runHttpStatus(run.status),
});

export const importListProcedure = importProcedure(importListInput)
  .meta(importListMeta)
  .output(ImportAnswer)
  .mutation(async ({ ctx, input }): Promise<ImportResultBody | ImportRunBody> => {
    const job = { userId: ctx.userId, campaignId: input.campaignId, listId: input.listId };
    if (input.background ?? ctx.preferAsync) {
      const run = await startBackgroundImport(ctx, job, (await ctx.jobs()).enqueueImport);
      ctx.response.status = 202;
      Object.assign(ctx.response.headers, { Location: `/api/imports/${run.id}`, "Preference-Applied": "respond-async" });
      return runBody(run);
    }
    // Parsed on every call, not from env()'s start-up cache, so an end-to-end run can switch the fault on and off.
    const faultPage = faultEnv().IMPORT_FAIL_PAGE;
    const result = await importList(ctx, job, { readPage: faultPage ? failOnPage(faultPage) : undefined });
    ctx.response.status = importHttpStatus(result.outcome);
    const { imported, duplicates, invalid, errors, total, outcome, runId, invalidReasons, repeated } = result;
    return {
      imported, duplicates, invalid, errors, total, outcome, runId, invalidReasons,
      duplicateReasons: duplicateReasons(duplicates, repeated),
      ...(outcome === "partial" ? { partial: true as const } : {}),
    };
  });

export const importRunsProcedure = protectedProcedure
  .meta(importRunsMeta)
  .input(z.object({ campaignId: Uuid }))
  .output(z.object({ runs: z.array(ImportRun) }))
  .query(async ({ ctx, input }) => {
    await requireOwnedCampaign(ctx, ctx.userId, input.campaignId);
    return { runs: (await listRuns(ctx, ctx.userId, input.campaignId)).map(runBody) };
  });

export const importRunProcedure = protectedProcedure
  .meta(importRunMeta)
  .input(importRunInput)
  .output(ImportRun)
  .query(async ({ ctx, input }) => runBody(await getRun(ctx, ctx.userId, input.runId)));

export const cancelImportProcedure = writeProcedure(importRunInput)
  .meta(cancelImportMeta)
  .output(ImportRun)
  .mutation(async ({ ctx, input }) => {
    await requestCancel(ctx.pool, ctx.userId, input.runId);
    return runBody(await getRun(ctx, ctx.userId, input.runId));
  });

export const previewImportProcedure = importProcedure(previewImportInput)
  .meta(previewImportMeta)
  .output(ImportPreview)
  .mutation(({ ctx, input }) => previewImport(ctx, { userId: ctx.userId, ...input }));

const skippedRowView = ({ row, reason, repeatsRowId, errorClass }: SkippedRow) => ({
  listRowId: row.id,
  linkedinUrl: row.linkedinUrl,
  name: row.fullName ?? ([row.firstName, row.lastName].filter(Boolean).join(" ") || null),
  reason,
  repeatsRowId,
  errorClass,
});

export const skippedRowsProcedure = protectedProcedure
  .meta(skippedRowsMeta)
  .input(skippedRowsInput)
  .output(skippedRowsOutput)
  .query(async ({ ctx, input }) => {
    const { runId, ...query } = input;
    const page = await skippedRowsPage(ctx, ctx.userId, runId, query);
    return { items: page.items.map(skippedRowView), nextCursor: page.nextCursor };
  });
