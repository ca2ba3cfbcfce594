import { z } from "zod";
import { createTRPCRouter, sessionProcedure } from "../../trpc";
import { createApiKey, listApiKeys, revokeApiKey } from "../../../auth/api-keys";
import { Uuid } from "../shared.types";
import { StorableName } from "../list/list.types";

// Not on the REST API: keys are minted and revoked by a signed-in person, never by another key.
export const apiKeyRouter = createTRPCRouter({
  create: sessionProcedure
    .input(z.object({ name: StorableName(100) }))
    .mutation(({ ctx, input }) => createApiKey(ctx.prisma, ctx.userId, input.name)),

  list: sessionProcedure.query(({ ctx }) => listApiKeys(ctx.prisma, ctx.userId)),

  revoke: sessionProcedure
    .input(z.object({ keyId: Uuid }))
    .mutation(async ({ ctx, input }) => {
      await revokeApiKey(ctx.prisma, ctx.userId, input.keyId);
      return { revoked: true };
    }),
});
