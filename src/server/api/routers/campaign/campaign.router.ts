import { createTRPCRouter, protectedProcedure, writeProcedure } from "../../trpc";
import { createCampaign, getCampaign, launchCampaign, listCampaigns, listProspects } from "../../../domain/campaigns";
import { addCampaignProspects } from "../../../domain/prospects/add-campaign-prospects";
import {
  addProspectsInput,
  addProspectsOutput,
  CampaignView,
  campaignIdInput,
  createCampaignInput,
  listCampaignsInput,
  listCampaignsOutput,
  listProspectsInput,
  listProspectsOutput,
  meta,
} from "./campaign.types";
import {
  cancelImportProcedure,
  importListProcedure,
  importRunProcedure,
  importRunsProcedure,
  previewImportProcedure,
  skippedRowsProcedure,
} from "./import-list";

export const campaignRouter = createTRPCRouter({
  create: writeProcedure(createCampaignInput)
    .meta(meta.create)
    .output(CampaignView)
    .mutation(({ ctx, input }) => createCampaign(ctx, ctx.userId, input)),

  list: protectedProcedure
    .meta(meta.list)
    .input(listCampaignsInput)
    .output(listCampaignsOutput)
    .query(async ({ ctx }) => ({ campaigns: await listCampaigns(ctx, ctx.userId) })),

  get: protectedProcedure
    .meta(meta.get)
    .input(campaignIdInput)
    .output(CampaignView)
    .query(({ ctx, input }) => getCampaign(ctx, ctx.userId, input.campaignId)),

  launch: writeProcedure(campaignIdInput)
    .meta(meta.launch)
    .output(CampaignView)
    .mutation(({ ctx, input }) => launchCampaign(ctx, ctx.userId, input.campaignId)),

  addProspects: writeProcedure(addProspectsInput)
    .meta(meta.addProspects)
    .output(addProspectsOutput)
    .mutation(({ ctx, input }) => addCampaignProspects(ctx, ctx.userId, input.campaignId, input.prospects)),

  prospects: protectedProcedure
    .meta(meta.prospects)
    .input(listProspectsInput)
    .output(listProspectsOutput)
    .query(({ ctx, input }) => listProspects(ctx, ctx.userId, input.campaignId, input)),

  importList: importListProcedure,
  importRuns: importRunsProcedure,
  importRun: importRunProcedure,
  cancelImport: cancelImportProcedure,
  previewImport: previewImportProcedure,
  skippedRows: skippedRowsProcedure,
});
