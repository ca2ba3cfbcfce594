// The Node.js server's start-up (src/instrumentation.ts loads it only in the Node.js runtime, so
// the Edge build never sees process.exit): configuration is checked before any request, and the
// process starts working the background-import queue, so every `npm start` / `npm run dev`
// process can run (and take over) background imports.
import { env } from "./env";
import { recordPeerAddresses } from "./server/auth/client-address";

export async function startNodeServer() {
  // Limits per client address need the TCP peer's address, which route handlers can't see.
  recordPeerAddresses();
  try {
    const config = env();
    if (config.IMPORT_FAIL_PAGE) {
      const line = "!".repeat(78);
      console.warn(
        `${line}\n!! FAULT INJECTION ON: IMPORT_FAIL_PAGE=${config.IMPORT_FAIL_PAGE} — page read ${config.IMPORT_FAIL_PAGE} of EVERY import fails.\n!! For end-to-end tests only. Unset IMPORT_FAIL_PAGE for normal use.\n${line}`,
      );
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  // The production server (server.mjs) answers API-key REST calls with this, without Next.js's pipeline.
  (await import("./server/http/direct-rest")).registerDirectRest();
  const { appJobs } = await import("./server/jobs/app-jobs");
  // A database that is not there yet must not stop the web server: the API starts it on first use.
  await appJobs().catch(() => undefined);
}
