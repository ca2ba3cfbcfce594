import { TRPCError, type AnyTRPCRouter } from "@trpc/server";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { parseJsonChunks } from "./json-body";

// trpc-to-openapi's createOpenApiFetchHandler builds its whole handler on every request: it
// copies the router, compiles a regular expression for every procedure's path and, outside
// production, generates the full OpenAPI document to validate the router (about 30 ms a request
// in tests and `npm run dev`). This is the same adapter with the handler built once, when the
// module that serves the router loads (openApiFetchHandler(router)); what differs per request (the
// context, the status and headers) is looked up by the request. Built there and not lazily on the
// first request: the build inlines functions, and a handler made inside a request's call would
// keep that request (its whole body) alive through the closures' scope, for good.
// Same options and behaviour as createOpenApiFetchHandler (trpc-to-openapi 3.3, adapters/fetch).

type ResponseMetaArgs = { ctx: unknown; errors: TRPCError[] };
type ResponseMeta = { status?: number; headers?: Record<string, string | undefined> };

export type OpenApiFetchOptions = {
  endpoint: string;
  req: Request;
  /** req's body, already read and parsed (parseBody); null when it has none (GET, HEAD). */
  body: ParsedBody | null;
  createContext: () => Promise<unknown>;
  responseMeta: (args: ResponseMetaArgs) => ResponseMeta;
};

type RequestState = { createContext: () => Promise<unknown>; ctx?: unknown; errors: TRPCError[] };

const states = new WeakMap<object, RequestState>();

const contextOfRequest = async ({ req }: { req: object }) => {
  const state = states.get(req)!;
  state.ctx = await state.createContext();
  return state.ctx;
};
const recordError = ({ req, error }: { req: object; error: TRPCError }) => {
  states.get(req)?.errors.push(error);
};

/** A request body as the library's fetch adapter parses it; ok: false when it is not valid JSON. */
export type ParsedBody = { ok: true; data: unknown } | { ok: false; cause: unknown };

/** As the library's fetch adapter: JSON and form bodies parsed, anything else left out (the adapter answers 415). */
export function parseBody(contentType: string | null, chunks: Uint8Array[], size: number): ParsedBody {
  try {
    if (contentType?.includes("application/json")) return { ok: true, data: parseJsonChunks(chunks, size) };
    if (contentType?.includes("application/x-www-form-urlencoded")) {
      const params = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      return { ok: true, data: Object.fromEntries([...params.keys()].map((key) => [key, params.getAll(key)])) };
    }
    return { ok: true, data: undefined };
  } catch (cause) {
    return { ok: false, cause };
  }
}

/** The REST adapter for router: build it once (at module load), then call it for each request. */
export function openApiFetchHandler(router: AnyTRPCRouter): (opts: OpenApiFetchOptions) => Promise<Response> {
  const handler = createOpenApiNodeHttpHandler({ router, createContext: contextOfRequest, onError: recordError } as Parameters<
    typeof createOpenApiNodeHttpHandler
  >[0]);
  return (opts) => handleRequest(handler, opts);
}

async function handleRequest(handler: ReturnType<typeof createOpenApiNodeHttpHandler>, opts: OpenApiFetchOptions): Promise<Response> {
  const url = new URL(opts.req.url.replace(opts.endpoint, "")).toString();
  const body = opts.body;
  const req = new Proxy(opts.req, {
    get: (target, prop) => {
      if (prop === "url") return url;
      if (prop === "body" && body !== null) {
        if (!body.ok) throw new TRPCError({ code: "PARSE_ERROR", message: "Failed to parse request body", cause: body.cause });
        return body.data;
      }
      return Reflect.get(target, prop, target);
    },
  });
  const state: RequestState = { createContext: opts.createContext, errors: [] };
  states.set(req, state);

  return new Promise<Response>((resolve, reject) => {
    const headers = new Headers();
    let statusCode = 200;
    const res = {
      setHeader: (key: string, value: string | string[]) => {
        if (typeof value === "string") headers.set(key, value);
        else for (const v of value) headers.append(key, v);
      },
      get statusCode() {
        return statusCode;
      },
      set statusCode(code: number) {
        statusCode = code;
      },
      end: (payload?: string) => {
        const meta = opts.responseMeta({ ctx: state.ctx, errors: state.errors });
        for (const [key, value] of Object.entries(meta.headers ?? {})) if (value !== undefined) headers.set(key, value);
        resolve(new Response(payload, { status: meta.status ?? statusCode, headers }));
      },
    };
    handler(req as never, res as never).catch(reject);
  });
}
