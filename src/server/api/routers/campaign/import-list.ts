import { z } from "zod";
import { importProcedure, protectedProcedure } from "../../trpc";
import { importHttpStatus } from "../../http-status";
import { parseEnv } from "../../../../env";
import { importList } from "../../../domain/import-list/import-list";
import { getRun, listRuns } from "../../../domain/import-list/import-runs";
import { failOnPage } from "../../../domain/import-list/fault-injection";
import { requireOwnedCampaign } from "../../../domain/campaigns";
import { Uuid } from "../shared.types";
import { ImportResult, ImportRun, importListInput, importListMeta, importRunInput, importRunMeta, importRunsMeta, type ImportResultBody } from "./import-list.types";

export const importListProcedure = importProcedure
  .meta(importListMeta)
  .input(importListInput)
  .output(ImportResult)
  .mutation(async ({ ctx, input }): Promise<ImportResultBody> => {
    // Parsed on every call, not from env()'s start-up cache, so an end-to-end run can switch the fault on and off.
    const faultPage = parseEnv(process.env).IMPORT_FAIL_PAGE;
    const result = await importList(
      ctx,
      { userId: ctx.userId, campaignId: input.campaignId, listId: input.listId },
      { readPage: faultPage ? failOnPage(faultPage) : undefined },
    );
    ctx.response.status = importHttpStatus(result.outcome);
    const { imported, duplicates, invalid, errors, total, outcome, runId } = result;
    return { imported, duplicates, invalid, errors, total, outcome, runId, ...(outcome === "partial" ? { partial: true as const } : {}) };
  });

export const importRunsProcedure = protectedProcedure
  .meta(importRunsMeta)
  .input(z.object({ campaignId: Uuid }))
  .output(z.object({ runs: z.array(ImportRun) }))
  .query(async ({ ctx, input }) => {
    await requireOwnedCampaign(ctx, ctx.userId, input.campaignId);
    return { runs: await listRuns(ctx, ctx.userId, input.campaignId) };
  });

export const importRunProcedure = protectedProcedure
  .meta(importRunMeta)
  .input(importRunInput)
  .output(ImportRun)
  .query(({ ctx, input }) => getRun(ctx, ctx.userId, input.runId));
