import path from "node:path";

// Node/V8 flags for the Next.js server process: npm start, npm run dev, the bench's server and
// the end-to-end tests' servers, so what is measured and tested is what runs.
//
// --max-semi-space-size=32 (MB; V8's default is 16): an import keeps a page of list rows and its
// mapped prospects alive across database round trips. With the default young generation those
// objects were often promoted to the old generation, so the heap grew in steps of ~40 MB per
// 100,000 rows until a full collection (on this kind of VM the first touch of each new page of
// memory is also slow, which cost CPU). With 32 MB they die young: flat memory in every run
// measured. docs/performance.md ("The server's young generation") has the numbers.
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32"];

/**
 * The arguments (after node itself) that start the production server of the checkout in dir:
 * server.mjs (Next.js, and API-key REST calls without its pipeline) with these flags; it reads
 * PORT and HOSTNAME.
 */
export function productionServerArgs(dir: string, extraNodeArgs: string[] = []): string[] {
  return [...SERVER_NODE_FLAGS, ...extraNodeArgs, path.join(dir, "server.mjs")];
}
