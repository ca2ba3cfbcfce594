import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError, type z } from "zod";
import { db, sendStartedQueries, type Db } from "../db";
import { resolveCaller, SIGN_IN_REQUIRED, type Caller } from "../auth/caller";
import { RateLimiter } from "../domain/rate-limit";
import { env } from "../../env";
import type { EnqueueImport } from "../domain/import-list/background";
import { domainErrorOf, retryAfterHeader, toTRPCError } from "./http-status";

/** What a procedure may say about the HTTP response beyond its body (read by the REST handler). */
export type ResponseHints = { status?: number; headers: Record<string, string> };

export type RateLimits = { imports: RateLimiter; writes: RateLimiter };

/** How an API call reaches the job queue (background imports): this process's pg-boss unless given. */
export type Jobs = () => Promise<{ enqueueImport: EnqueueImport }>;

export type Context = Db & {
  caller: Caller;
  response: ResponseHints;
  limits: RateLimits;
  jobs: Jobs;
  /** The REST request said `Prefer: respond-async`: start the import in the background (202). */
  preferAsync: boolean;
};

const limitsByPool = new WeakMap<Db["pool"], RateLimits>();
/** The app's limits: counted in the database, so they hold across every server process on it. */
function appLimits(database: Db): RateLimits {
  let limits = limitsByPool.get(database.pool);
  if (!limits) {
    limits = {
      imports: new RateLimiter(database.pool, { name: "imports", points: env().RATE_LIMIT_IMPORTS_PER_MINUTE, windowSeconds: 60 }),
      writes: new RateLimiter(database.pool, { name: "writes", points: env().RATE_LIMIT_WRITES_PER_MINUTE, windowSeconds: 60 }),
    };
    limitsByPool.set(database.pool, limits);
  }
  return limits;
}

/**
 * Starts working out who is calling (resolveCaller). The HTTP handlers start it before they read
 * the body, so the key's lookup in the database overlaps the upload and its parsing; the
 * context awaits it. A request that ends before that (413, 403) leaves it unawaited, harmlessly.
 */
export function lookUpCaller(database: Db, authorization: string | null, sessionUserId: () => Promise<string | null>): Promise<Caller> {
  const lookup = resolveCaller(database, authorization, sessionUserId).catch((error: unknown) => {
    // Checking a key needs the database: when it is down, say so (503), not "internal error".
    const domain = domainErrorOf(error);
    throw domain ? toTRPCError(domain) : error;
  });
  lookup.catch(() => undefined); // not an unhandled rejection if nobody awaits it
  return lookup;
}

export async function createContext(opts: {
  authorization: string | null;
  sessionUserId: () => Promise<string | null>;
  /** The caller's lookup, when the handler started it early (lookUpCaller); otherwise started here. */
  caller?: Promise<Caller>;
  db?: Db;
  limits?: RateLimits;
  jobs?: Jobs;
  prefer?: string | null;
}): Promise<Context> {
  const database = opts.db ?? db();
  const caller = await (opts.caller ?? lookUpCaller(database, opts.authorization, opts.sessionUserId));
  return {
    ...database,
    caller,
    response: { headers: {} },
    limits: opts.limits ?? appLimits(database),
    jobs: opts.jobs ?? (async () => (await import("../jobs/app-jobs")).appJobs()),
    preferAsync: /(^|[,;\s])respond-async([,;\s]|$)/i.test(opts.prefer ?? ""),
  };
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error }) {
      // Unexpected errors can carry SQL or internals: clients get a plain message, never a stack.
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      if (internal) console.error("tRPC internal error:", error.cause ?? error);
      const { stack: _stack, ...data } = shape.data;
      return {
        ...shape,
        message: internal ? "Internal server error" : shape.message,
        data: { ...data, zodIssues: error.cause instanceof ZodError ? error.cause.issues : undefined },
      };
    },
  });

const domainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) return result;
  const domain = domainErrorOf(result.error.cause ?? result.error);
  if (!domain) return result;
  Object.assign(ctx.response.headers, retryAfterHeader(domain));
  throw toTRPCError(domain);
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(domainErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.caller.kind === "rejected") throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.caller.reason });
  if (ctx.caller.kind !== "user") throw new TRPCError({ code: "UNAUTHORIZED", message: SIGN_IN_REQUIRED });
  return next({ ctx: { ...ctx, userId: ctx.caller.userId } });
});

/** For actions a person takes in the app (managing API keys): a key can't mint or revoke keys. */
export const sessionProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.caller.kind === "user" && ctx.caller.via !== "session") {
    throw new TRPCError({ code: "FORBIDDEN", message: "API keys are managed from a signed-in session" });
  }
  return next();
});

// A limited procedure takes one call from the caller's limit in the database. The round trip is
// started before the input is validated and awaited after (limitedProcedure): for a bulk input the
// validation takes longer than the round trip, so the limit costs no time; the procedure runs only
// once the call is granted. A call refused for its input has still been counted, as before.
const startTake = (bucket: keyof RateLimits) =>
  t.middleware(async ({ ctx, next }) => {
    let limitTaken: Promise<void> = Promise.resolve();
    if (ctx.caller.kind === "user") {
      const key = ctx.caller.via === "api_key" ? `key:${ctx.caller.keyId}` : `user:${ctx.caller.userId}`;
      // rate_limited: domainErrors answers 429 with Retry-After; the database away: 503, as for any query.
      limitTaken = ctx.limits[bucket].take(key);
      limitTaken.catch(() => undefined); // unawaited only when the input was refused (400)
      await sendStartedQueries(); // on the wire before the validation takes the CPU
    }
    return next({ ctx: { limitTaken } });
  });

const limitedProcedure =
  (bucket: keyof RateLimits) =>
  <T extends z.ZodType>(input: T) =>
    protectedProcedure
      .use(startTake(bucket))
      .input(input)
      .use(async ({ ctx, next }) => {
        await ctx.limitTaken;
        return next();
      });

/** Mutations that write, limited per API key (or per signed-in user): writeProcedure(input).meta(…).output(…).mutation(…). */
export const writeProcedure = limitedProcedure("writes");
/** The import, limited separately (it is the expensive one): importProcedure(input)…. */
export const importProcedure = limitedProcedure("imports");
