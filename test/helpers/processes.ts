import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const SCRIPT = path.resolve(import.meta.dirname, "limiter-process.ts");

type Started = { child: ChildProcess; ready: Promise<void>; result: Promise<string[]> };

function start(job: object): Started {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, JSON.stringify(job)], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  let readyResolve: () => void;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  const result = new Promise<string[]>((resolve, reject) => {
    lines.on("line", (line) => (line === "ready" ? readyResolve() : resolve(JSON.parse(line) as string[])));
    child.on("exit", (code) => (code === 0 ? undefined : reject(new Error(`limiter process exited with ${code}`))));
  });
  return { child, ready, result };
}

/**
 * Runs each job in its own Node process (test/helpers/limiter-process.ts) at the same time:
 * all are started and connected first, then told to go together. Returns each one's outcomes.
 */
export async function inSeparateProcesses(jobs: object[]): Promise<string[][]> {
  const started = jobs.map(start);
  try {
    await Promise.race([Promise.all(started.map((s) => s.ready)), Promise.all(started.map((s) => s.result))]);
    for (const s of started) s.child.stdin!.write("go\n");
    return await Promise.all(started.map((s) => s.result));
  } finally {
    for (const s of started) if (s.child.exitCode === null) s.child.kill();
  }
}
