// Node's HTTP request and response, as the fetch API's Request and Response the handlers take and
// give (direct-rest.ts hands API-key calls to the REST handler this way, without Next.js).
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createGzip, gzipSync } from "node:zlib";

/** As Next.js's compression of its own answers: gzip when the client takes it, from 1 kB. */
const COMPRESS_FROM_BYTES = 1024;
const takesGzip = (req: IncomingMessage) => /\bgzip\b/i.test(String(req.headers["accept-encoding"] ?? ""));

/** The request as a fetch Request; its body is streamed, and its signal aborts if the client goes away. */
export function fetchRequestOf(req: IncomingMessage, res: ServerResponse, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (value) for (const item of value) headers.append(name, item);
  }
  const aborted = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) aborted.abort();
  });
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? bodyStream(req) : undefined,
    signal: aborted.signal,
    duplex: "half",
  } as RequestInit);
}

// The body's chunks as they arrive, without copying them and without pausing the socket between
// them (Readable.toWeb reads one chunk at a time, which made a 288 kB body slower to arrive).
// The reader decides how much it takes: the REST handler cancels past its limit, and the rest of
// the upload is then read and dropped, so that the client gets the 413 rather than a reset
// connection (as Next.js's route does).
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (open) controller.enqueue(chunk);
      });
      req.on("end", () => {
        if (open) controller.close();
        open = false;
      });
      req.on("error", (error) => {
        if (open) controller.error(error);
        open = false;
      });
    },
    cancel() {
      open = false;
    },
  });
}

/** Writes a fetch Response to res, streaming its body; extraHeaders are added where it has none of its own. */
export async function sendFetchResponse(req: IncomingMessage, res: ServerResponse, response: Response, extraHeaders: ReadonlyArray<{ key: string; value: string }> = []) {
  for (const { key, value } of extraHeaders) if (!response.headers.has(key)) res.setHeader(key, value);
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.statusCode = response.status;
  if (!response.body || req.method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    // A body of one chunk (every JSON answer) goes out whole, with its Content-Length.
    const first = await reader.read();
    const next = first.done ? first : await reader.read();
    const gzip = takesGzip(req) && (!next.done || (first.value?.byteLength ?? 0) >= COMPRESS_FROM_BYTES);
    if (gzip) {
      res.setHeader("content-encoding", "gzip");
      res.setHeader("vary", "Accept-Encoding");
    }
    if (next.done) {
      const body = gzip && first.value ? gzipSync(first.value) : first.value;
      if (body) res.setHeader("content-length", body.byteLength);
      res.end(body);
      return;
    }
    const sink = gzip ? createGzip() : res;
    if (sink !== res) sink.pipe(res);
    // The two chunks already read, then the rest as they come.
    const chunks = async function* () {
      yield first.value!;
      yield next.value;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield chunk.value;
    };
    for await (const chunk of chunks()) {
      // The client went away: stop reading the body (a CSV query stops with it).
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      // Respect the client's pace (a large CSV): wait for the socket to drain, or for it to close.
      if (!sink.write(chunk)) await Promise.race([once(sink, "drain"), once(res, "close")]);
    }
    sink.end();
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    res.destroy();
    throw error;
  }
}
