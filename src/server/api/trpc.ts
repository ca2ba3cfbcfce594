import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import { db, type Db } from "../db";
import { resolveCaller, type Caller } from "../auth/caller";
import { DomainError } from "../domain/errors";
import { toTRPCError } from "./http-status";

/** What a procedure may say about the HTTP response beyond its body (read by the REST handler). */
export type ResponseHints = { status?: number; headers: Record<string, string> };

export type Context = Db & { caller: Caller; response: ResponseHints };

export async function createContext(opts: {
  authorization: string | null;
  sessionUserId: () => Promise<string | null>;
  db?: Db;
}): Promise<Context> {
  const database = opts.db ?? db();
  const caller = await resolveCaller(database.prisma, opts.authorization, opts.sessionUserId);
  return { ...database, caller, response: { headers: {} } };
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

const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) throw toTRPCError(result.error.cause);
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(domainErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.caller.kind === "rejected") throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.caller.reason });
  if (ctx.caller.kind !== "user") throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in or send Authorization: Bearer <API key>" });
  return next({ ctx: { ...ctx, userId: ctx.caller.userId } });
});

/** For actions a person takes in the app (managing API keys): a key can't mint or revoke keys. */
export const sessionProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.caller.kind === "user" && ctx.caller.via !== "session") {
    throw new TRPCError({ code: "FORBIDDEN", message: "API keys are managed from a signed-in session" });
  }
  return next();
});
