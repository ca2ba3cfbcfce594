// Runs once when a Next.js server process starts: it works the background-import queue, so
// every `npm start` / `npm run dev` process can run (and take over) background imports.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { appJobs } = await import("./server/jobs/app-jobs");
  // A database that is not there yet must not stop the web server: the API starts it on first use.
  await appJobs().catch(() => undefined);
}
