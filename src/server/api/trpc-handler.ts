import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root";
import { createContext } from "./trpc";
import { limitBody, type RestDeps } from "./rest-handler";
import { refuseCrossSite } from "./cross-site";
import { publicOrigin } from "../../env";

/** The tRPC endpoint the web app uses, served under /api/trpc. */
export async function handleTrpcRequest(req: Request, deps: RestDeps): Promise<Response> {
  // Mutations are POSTs: the same cross-site guard as the REST API (403).
  const refused = await refuseCrossSite(req, deps.appOrigin ?? publicOrigin(), deps.sessionUserId);
  if (refused) return refused;
  // tRPC's fetch adapter reads any body whole: the same 10 MB limit as the REST API (413).
  const limited = await limitBody(req);
  if (limited instanceof Response) return limited;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: limited,
    router: appRouter,
    createContext: () => createContext({ authorization: req.headers.get("authorization"), sessionUserId: deps.sessionUserId, db: deps.db, limits: deps.limits }),
  });
}
