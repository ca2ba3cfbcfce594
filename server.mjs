// The production server (npm start; the end-to-end tests, the benches and the page audit start it
// too): Next.js for everything, except REST calls made with an API key, which go straight to the
// REST handler without Next.js's request pipeline (about 2 ms a call less; see
// src/server/http/direct-rest.ts, which Next.js's start-up registers). `npm run dev` runs `next dev`.
// Reads PORT (default 3000) and HOSTNAME (default: every interface).
import http from "node:http";
import path from "node:path";

// As `next start` does, before Next.js is loaded.
process.env.NODE_ENV ??= "production";
const { default: next } = await import("next");

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;
const app = next({ dev: false, dir: path.dirname(new URL(import.meta.url).pathname), hostname, port });
const handleNext = app.getRequestHandler();
await app.prepare();

// Registered by src/instrumentation-node.ts during Next.js's start-up, which prepare() does not wait
// for (measured: about 250 ms after it); until then, and if it never is, calls go through Next.js.
const DIRECT_REST = Symbol.for("outreach.directRest");

const server = http.createServer((req, res) => {
  const directRest = globalThis[DIRECT_REST];
  if (directRest?.accepts(req)) void directRest.serve(req, res);
  else void handleNext(req, res);
});
server.listen(port, hostname, () => console.log(`  ▲ Ready on http://${hostname ?? "localhost"}:${port}`));

const stop = () => {
  server.close();
  void app.close().finally(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
