import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createMcpHandler, type McpHttpHandler } from "@modelcontextprotocol/server";
import type { Db } from "../db";
import { createCaller } from "../api/root";
import { createContext, type Jobs, type RateLimits } from "../api/trpc";
import { errorBody, errorBodyOf, retryAfterHeader } from "../api/http-status";
import { MAX_BODY_BYTES } from "../api/rest-handler";
import { createMcpServer } from "./server";
import type { Api } from "./tools";

export type McpDeps = { db?: Db; limits?: RateLimits; jobs?: Jobs };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** 401 with the RFC 6750 challenge; the body is REST's. */
function unauthorized(message: string, rejectedKey = false) {
  const challenge = `Bearer realm="outreach"${rejectedKey ? `, error="invalid_token", error_description="${message}"` : ""}`;
  return json(401, errorBody({ message, code: "UNAUTHORIZED" }), { "WWW-Authenticate": challenge });
}

// One handler for the process. It keeps nothing between requests: every request gets a fresh
// McpServer (the factory below), so any instance of the app can answer any request. It serves
// the 2026-07-28 protocol and, for 2025-era clients, the stateless Streamable HTTP fallback.
let handler: McpHttpHandler | undefined;
function mcpHandler(): McpHttpHandler {
  handler ??= createMcpHandler(
    ({ authInfo }) => {
      // handleMcpRequest authenticated the request and put the user's procedures here.
      const api = authInfo?.extra?.api as Api | undefined;
      if (!api) throw new Error("MCP request without an authenticated caller");
      return createMcpServer(api);
    },
    { maxRequestBodySize: MAX_BODY_BYTES, onerror: (error) => console.error("mcp:", error.message) },
  );
  return handler;
}

/**
 * The MCP endpoint (/api/mcp). Bearer API keys only, as checked for REST: no key, a malformed
 * header or a wrong or revoked key is a 401 before anything MCP happens. The browser session is
 * not accepted here, so a page on another site can't act for a signed-in user. The tools call
 * the procedures through the same context as REST, so rate limits are shared with REST too.
 */
export async function handleMcpRequest(req: Request, deps: McpDeps = {}): Promise<Response> {
  const authorization = req.headers.get("authorization");
  if (authorization === null) return unauthorized("send Authorization: Bearer <API key>");

  let ctx;
  try {
    ctx = await createContext({ authorization, sessionUserId: async () => null, db: deps.db, limits: deps.limits, jobs: deps.jobs });
  } catch (cause) {
    // Checking the key needs the database: when it is down, 503 with Retry-After, as REST says;
    // anything else is a plain 500.
    const error = cause instanceof TRPCError ? cause : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause });
    return json(getHTTPStatusCodeFromError(error), errorBodyOf(error), retryAfterHeader(error));
  }
  if (ctx.caller.kind === "rejected") return unauthorized(ctx.caller.reason, true);
  if (ctx.caller.kind !== "user") return unauthorized("send Authorization: Bearer <API key>");

  // The key's id stands in for the token: the secret itself goes no further than the check above.
  const authInfo = { token: ctx.caller.via === "api_key" ? ctx.caller.keyId : "", clientId: ctx.caller.userId, scopes: [], extra: { api: createCaller(ctx) } };
  return mcpHandler().fetch(req, { authInfo });
}
