// Building blocks for integration tests: a real database, users with API keys, and the
// REST API served over real HTTP by the same handler the Next.js route uses.
import http from "node:http";
import { fetchRequestOf, sendFetchResponse } from "@/server/http/fetch-bridge";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "@/server/db";
import { createUser } from "@/server/domain/users";
import { createApiKey } from "@/server/auth/api-keys";
import { handleRestRequest } from "@/server/api/rest-handler";
import { handleMcpRequest } from "@/server/mcp/handler";
import { GET as openApiRoute } from "@/app/api/openapi.json/route";
import { createCaller } from "@/server/api/root";
import type { Context, RateLimits } from "@/server/api/trpc";
import { RateLimiter } from "@/server/domain/rate-limit";
import { startJobs, type ProcessJobs } from "@/server/jobs/app-jobs";

/**
 * The app's limits, counted in the test database like the app's, with a name of their own so
 * that no two calls share counts. The default is high enough that only tests about rate limiting
 * ever meet it.
 */
export function testLimits(perMinute = 1_000_000, db: Db = testDb()): RateLimits {
  const limit = (name: string) => new RateLimiter(db.pool, { name: `test-${randomUUID()}-${name}`, points: perMinute, windowSeconds: 60 });
  return { imports: limit("imports"), writes: limit("writes") };
}

let shared: Db | undefined;

/** The test run's database (one pool per test file). */
export function testDb(): Db {
  shared ??= createDb(inject("databaseUrl"), 8);
  return shared;
}

let jobs: Promise<ProcessJobs> | undefined;

/**
 * pg-boss on the test database, working the import queue in this test file's process, started
 * on first use (only files that start background runs pay for it). Checks often for silent
 * workers, so a takeover in a test happens within seconds of the heartbeat lapsing.
 */
export function testJobs(): Promise<ProcessJobs> {
  jobs ??= startJobs(testDb(), inject("databaseUrl"), { work: true, concurrency: 2, heartbeatSeconds: 10, monitorSeconds: 1 });
  return jobs;
}

/** Stops this test file's queue worker (a test that needs another process to take the jobs). */
export async function stopTestJobs() {
  if (jobs) {
    const started = jobs;
    jobs = undefined;
    await (await started).stop();
  }
}

export async function closeTestDb() {
  await stopTestJobs();
  if (shared) {
    await shared.prisma.$disconnect();
    await shared.pool.end();
    shared = undefined;
  }
}

export type TestUser = { id: string; email: string; password: string; apiKey: string };

export async function makeUser(db: Db = testDb()): Promise<TestUser> {
  const email = `user-${randomUUID()}@example.com`;
  const password = "correct horse battery";
  const user = await createUser(db.prisma, { email, password });
  const { key } = await createApiKey(db.prisma, user.id, "test key");
  return { id: user.id, email, password, apiKey: key };
}

/** A tRPC caller acting as the user, signed in through a session (not a key). */
export function callerFor(userId: string, db: Db = testDb(), limits: RateLimits = testLimits(undefined, db)) {
  const ctx: Context = { ...db, caller: { kind: "user", userId, via: "session" }, response: { headers: {} }, limits, jobs: testJobs, preferAsync: false };
  const caller = createCaller(ctx);
  // The caller is a proxy that reads every property as a procedure path (Object.assign can't add
  // one), so `ctx` is answered here: `.ctx.response.status` is the REST status a procedure set.
  return new Proxy(caller, { get: (target, prop, receiver) => (prop === "ctx" ? ctx : Reflect.get(target, prop, receiver)) }) as typeof caller & {
    ctx: Context;
  };
}

export type RestServer = { baseUrl: string; origin: string; close: () => Promise<void> };

/**
 * A fetch-style handler behind a real HTTP server on a free loopback port. The handler is
 * given the server's own origin (the app's origin, for the cross-site guard).
 */
export async function startHttpServer(handle: (request: Request, origin: string) => Promise<Response>, basePath: string): Promise<RestServer> {
  let origin = "";
  // Through the production server's bridge (src/server/http/direct-rest.ts): bodies streamed both ways, as there.
  const server = http.createServer(async (req, res) => {
    try {
      const response = await handle(fetchRequestOf(req, res, `http://${req.headers.host}`), origin);
      await sendFetchResponse(req, res, response);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}${basePath}`,
    origin,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export type RestServerOptions = {
  /** Who the request's session cookie signs in (stands in for next-auth); default: nobody, Bearer keys only. */
  sessionUserId?: (req: Request) => Promise<string | null>;
  /** Serve this handler instead of the REST API (e.g. the tRPC endpoint), at the same paths. */
  handler?: (req: Request, deps: { sessionUserId: () => Promise<string | null>; appOrigin: string }) => Promise<Response>;
};

/**
 * The REST handler behind a real HTTP server, with /api/openapi.json served by its own route
 * handler as in Next (static routes win over the catch-all).
 */
export function startRestServer(db: Db = testDb(), limits: RateLimits = testLimits(undefined, db), options: RestServerOptions = {}): Promise<RestServer> {
  return startHttpServer(async (request, origin) => {
    const sessionUserId = () => options.sessionUserId?.(request) ?? Promise.resolve(null);
    if (options.handler !== undefined) return options.handler(request, { sessionUserId, appOrigin: origin });
    if (new URL(request.url).pathname === "/api/openapi.json") return openApiRoute();
    return handleRestRequest(request, { sessionUserId, db, limits, jobs: testJobs, appOrigin: origin });
  }, "/api");
}

/** The MCP endpoint behind a real HTTP server; baseUrl is the endpoint's URL (…/api/mcp). */
export function startMcpServer(db: Db = testDb(), limits: RateLimits = testLimits(undefined, db)): Promise<RestServer> {
  return startHttpServer((request) => handleMcpRequest(request, { db, limits, jobs: testJobs }), "/api/mcp");
}

/**
 * The REST server for one test file: started before its tests, closed with the file's
 * database pool after them. Use it at the top level of a test file.
 */
export function useRestServer(): RestServer {
  let server: RestServer | undefined;
  beforeAll(async () => {
    server = await startRestServer();
  });
  afterAll(async () => {
    await server?.close();
    await closeTestDb();
  });
  return {
    get baseUrl() {
      return server!.baseUrl;
    },
    get origin() {
      return server!.origin;
    },
    close: () => server!.close(),
  };
}

/** fetch with a Bearer key and a JSON body; returns status and parsed body. */
export async function api(
  server: RestServer,
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
