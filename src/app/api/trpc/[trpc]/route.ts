import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { limitBody } from "@/server/api/rest-handler";
import { sessionUserId } from "@/server/auth/next-auth";

export const dynamic = "force-dynamic";

const handler = async (req: Request) => {
  // tRPC's fetch adapter reads any body whole: the same 10 MB limit as the REST API (413).
  const limited = await limitBody(req);
  if (limited instanceof Response) return limited;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: limited,
    router: appRouter,
    createContext: () => createContext({ authorization: req.headers.get("authorization"), sessionUserId }),
  });
};

export { handler as GET, handler as POST };
