import { QueryClient } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { sessionUserId } from "@/server/auth/next-auth";

/**
 * For server components: the same procedures and query keys as the client's useTRPC(), called
 * in-process as the signed-in user. A page prefetches what its first screen shows and hands it
 * to the client through <HydrationBoundary state={dehydrate(queryClient)}>, so the HTML already
 * holds the content and the browser renders once instead of waiting for its own requests.
 */
export function serverTRPC() {
  const queryClient = new QueryClient();
  const trpc = createTRPCOptionsProxy({
    router: appRouter,
    ctx: () => createContext({ authorization: null, sessionUserId }),
    queryClient,
  });
  return { trpc, queryClient };
}
