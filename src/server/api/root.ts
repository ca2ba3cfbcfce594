import { createCallerFactory, createTRPCRouter } from "./trpc";
import { apiKeyRouter } from "./routers/api-key/api-key.router";
import { campaignRouter } from "./routers/campaign/campaign.router";
import { listRouter } from "./routers/list/list.router";

export const appRouter = createTRPCRouter({
  apiKey: apiKeyRouter,
  campaign: campaignRouter,
  list: listRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller: the same procedures without HTTP (tests, scripts). */
export const createCaller = createCallerFactory(appRouter);
