// What the kernel says about a process (Linux /proc): resident memory and CPU time. The bench
// reads the server's own numbers, never its own.
import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux the bench runs on

/** Resident set size in bytes, or null when the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) * 1024 : null;
  } catch {
    return null;
  }
}

type Stat = { pid: number; ppid: number; pgid: number; cpuSeconds: number; reapedChildrenCpuSeconds: number; comm: string };

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")"); // comm may hold spaces and parentheses
    const fields = text.slice(close + 2).split(" ");
    return {
      pid,
      comm: text.slice(text.indexOf("(") + 1, close),
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS, // utime + stime
      reapedChildrenCpuSeconds: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS, // cutime + cstime
    };
  } catch {
    return null;
  }
}

function allProcesses(): Stat[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((s): s is Stat => s !== null);
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  return stat(pid)?.cpuSeconds ?? 0;
}

/**
 * CPU seconds of a process and its children, live or ended (a PostgreSQL postmaster and its
 * backends: a pool closing idle connections ends backends, whose time then moves to cutime).
 */
export function treeCpuSeconds(rootPid: number): number {
  const processes = allProcesses();
  const root = processes.find((p) => p.pid === rootPid);
  const live = processes.filter((p) => p.ppid === rootPid).reduce((sum, p) => sum + p.cpuSeconds, 0);
  return (root ? root.cpuSeconds + root.reapedChildrenCpuSeconds : 0) + live;
}

/** The process of a group that serves HTTP: the one titled next-server (next start), else the biggest (server.mjs). */
export function serverProcessOf(groupId: number): number | null {
  const members = allProcesses().filter((p) => p.pgid === groupId);
  const titled = members.find((p) => p.comm.startsWith("next-server"));
  if (titled) return titled.pid;
  const biggest = members.map((p) => ({ pid: p.pid, rss: rssBytes(p.pid) ?? 0 })).sort((a, b) => b.rss - a.rss)[0];
  return biggest?.pid ?? null;
}

/** Samples a process's RSS every intervalMs until stopped; reports the peak. */
export function sampleRss(pid: number, intervalMs = 25) {
  let peak = rssBytes(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid) ?? 0);
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pid) ?? 0);
    },
  };
}

export const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
