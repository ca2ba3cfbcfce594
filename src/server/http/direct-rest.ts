// REST calls made with an API key, answered without Next.js's request pipeline (server.mjs).
//
// Next.js's own handling of a request (routing, the route module's async contexts, the body and
// the answer through web streams) costs about 2 ms a call, measured against this path with the
// same handler (docs/performance.md, "addCampaignProspects"); for an API whose calls are often a
// few milliseconds of work, that is most of the cost. The production server hands these calls to
// handleRestRequest directly, the same handler as the route src/app/api/[...openapi]. Calls
// without a key (a browser's session cookie, or nothing) still go through Next.js, where next-auth
// reads the session. This module is loaded by Next.js itself (src/instrumentation-node.ts), so
// the direct path runs the same build of the same code as the route, in the same process.
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleRestRequest } from "../api/rest-handler";
import { jsonResponse } from "../api/http-status";
import { publicOrigin } from "../../env";
import { fetchRequestOf, sendFetchResponse } from "./fetch-bridge";
import { SECURITY_HEADERS } from "./security-headers";

export type DirectRest = {
  /** A REST call made with an API key: under /api, not one of Next.js's own routes there, with an Authorization header. */
  accepts: (req: IncomingMessage) => boolean;
  serve: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
};

/** Where server.mjs finds it once Next.js has started (a global: server.mjs is plain JavaScript outside the build). */
export const DIRECT_REST = Symbol.for("outreach.directRest");

/** Paths under /api that are Next.js routes of their own, never the REST API's. */
const NEXT_API_ROUTES = /^\/api\/(?:auth|docs|health|mcp|openapi\.json|trpc)(?:[/?]|$)/;

/** Whether a path under /api belongs to one of Next.js's own routes there (src/app/api/*), not to the REST API. */
export const isNextApiRoute = (url: string) => NEXT_API_ROUTES.test(url);

function directRest(appOrigin: string): DirectRest {
  return {
    accepts: (req) => {
      const url = req.url ?? "";
      return url.startsWith("/api/") && !isNextApiRoute(url) && req.headers.authorization !== undefined;
    },
    serve: async (req, res) => {
      let response: Response;
      try {
        // With an Authorization header the handler never reads a session: the key decides.
        response = await handleRestRequest(fetchRequestOf(req, res, appOrigin), { sessionUserId: async () => null, appOrigin });
      } catch (error) {
        console.error("REST request failed:", error);
        response = jsonResponse(500, { message: "Internal server error", code: "INTERNAL_SERVER_ERROR" });
      }
      await sendFetchResponse(req, res, response, SECURITY_HEADERS).catch((error: unknown) => console.error("REST response failed:", error));
    },
  };
}

export function registerDirectRest() {
  // The app's public origin is read once, not parsed from the environment on every call.
  (globalThis as Record<symbol, unknown>)[DIRECT_REST] = directRest(publicOrigin());
}
