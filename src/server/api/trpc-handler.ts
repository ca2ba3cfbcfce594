import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root";
import { db } from "../db";
import { createContext, lookUpCaller } from "./trpc";
import { limitBody, type RestDeps } from "./rest-handler";
import { CROSS_SITE_MESSAGE, isCrossSiteChange } from "./cross-site";
import { publicOrigin } from "../../env";

/** The tRPC endpoint the web app uses, served under /api/trpc. */
export async function handleTrpcRequest(req: Request, deps: RestDeps): Promise<Response> {
  // Mutations are POSTs: the same cross-site guard as the REST API (403).
  if (await isCrossSiteChange(req, deps.appOrigin ?? publicOrigin(), deps.sessionUserId)) return forbidden(req);
  const database = deps.db ?? db();
  const authorization = req.headers.get("authorization");
  const caller = lookUpCaller(database, authorization, deps.sessionUserId);
  // tRPC's fetch adapter reads any body whole: the same 10 MB limit as the REST API (413).
  const limited = await limitBody(req);
  if (limited instanceof Response) return limited;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: limited,
    router: appRouter,
    createContext: () => createContext({ authorization, caller, sessionUserId: deps.sessionUserId, db: database, limits: deps.limits }),
  });
}

// tRPC's own error shape, so that a tRPC client shows the message (one per call of a batch).
function forbidden(req: Request): Response {
  const error = { message: CROSS_SITE_MESSAGE, code: -32003, data: { code: "FORBIDDEN", httpStatus: 403 } };
  const url = new URL(req.url);
  const calls = url.pathname.slice(url.pathname.lastIndexOf("/") + 1).split(",").length;
  const body = url.searchParams.get("batch") === "1" ? Array.from({ length: calls }, () => ({ error })) : { error };
  return Response.json(body, { status: 403 });
}
