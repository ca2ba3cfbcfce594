import { createTRPCRouter, protectedProcedure, writeProcedure } from "../../trpc";
import { appendRows, createList, listLists, listRows } from "../../../domain/lists";
import { appendRowsInput, appendRowsOutput, createListInput, ListSummary, listListsInput, listListsOutput, listRowsInput, listRowsOutput, meta } from "./list.types";

export const listRouter = createTRPCRouter({
  create: writeProcedure(createListInput)
    .meta(meta.create)
    .output(ListSummary)
    .mutation(({ ctx, input }) => createList(ctx, ctx.userId, input)),

  appendRows: writeProcedure(appendRowsInput)
    .meta(meta.appendRows)
    .output(appendRowsOutput)
    .mutation(({ ctx, input }) => appendRows(ctx, ctx.userId, input.listId, input.rows)),

  list: protectedProcedure
    .meta(meta.list)
    .input(listListsInput)
    .output(listListsOutput)
    .query(async ({ ctx }) => ({ lists: await listLists(ctx, ctx.userId) })),

  rows: protectedProcedure
    .meta(meta.rows)
    .input(listRowsInput)
    .output(listRowsOutput)
    .query(({ ctx, input }) => listRows(ctx, ctx.userId, input.listId, input)),
});
