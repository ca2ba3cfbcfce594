// Runs once when a Next.js server process starts (instrumentation-node.ts does the work).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./instrumentation-node")).startNodeServer();
}
