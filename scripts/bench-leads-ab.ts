// npm run bench:leads-ab -- <dir A> [<dir B> …]
// addCampaignProspects over HTTP (POST /campaigns/{id}/leads, the bench's 1000 prospects) against
// two or more production builds at once, and the bench's reference INSERT … ON CONFLICT, in
// rounds with the order rotated: a change to the web layer compared with the code before it in
// the same run, on a machine whose load comes and goes. Each directory is a checkout with its
// own `next build` (e.g. `git worktree add /tmp/before <commit>`, node_modules hard-linked, then
// build there). Prints each build's median and its ratio to the reference's median, and the
// server's CPU time per call. One database (embedded unless DATABASE_URL is set).
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb } from "../src/server/db";
import { createApiKey } from "../src/server/auth/api-keys";
import { createCampaign } from "../src/server/domain/campaigns";
import { createUser } from "../src/server/domain/users";
import { benchDatabase } from "./bench/database";
import { leadsBody } from "./bench/data";
import { median } from "./bench/median";
import { cpuSeconds, loadAverage } from "./bench/proc";
import { runLeadsReference } from "./bench/reference";
import { ensureBuilt, httpRequest, startServer, type BenchServer } from "./bench/server";

const { values: opts, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: "string", default: "100" } } });
if (positionals.length === 0) throw new Error("usage: npm run bench:leads-ab -- <dir A> [<dir B> …] [--rounds N]");
const ROUNDS = Number(opts.rounds);

const database = await benchDatabase();
const db = createDb(database.url);
const servers = new Map<string, BenchServer>();
try {
  const user = await createUser(db.prisma, { email: `leads-ab-${Date.now()}@bench.test`, password: "bench-password" });
  const { key } = await createApiKey(db.prisma, user.id, "leads-ab");
  const leads = leadsBody();
  const payload = Buffer.from(JSON.stringify({ prospects: leads }));
  for (const dir of positionals) {
    ensureBuilt(path.resolve(dir));
    servers.set(dir, await startServer(path.resolve(dir), database.url));
  }
  const names = [...servers.keys(), "reference"];
  const times = new Map(names.map((n) => [n, [] as number[]]));
  const cpu = new Map(names.map((n) => [n, 0]));

  async function call(name: string, record: boolean) {
    const campaignId = (await createCampaign(db, user.id, { name: `leads-ab ${name}`, channel: "linkedin" })).id;
    const server = servers.get(name);
    const cpuBefore = server?.pid ? cpuSeconds(server.pid) : 0;
    const started = performance.now();
    if (!server) await runLeadsReference(db, campaignId, leads);
    else {
      const res = await httpRequest(server.baseUrl, "POST", `/api/campaigns/${campaignId}/leads`, payload, key);
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const ms = performance.now() - started;
    if (record) {
      times.get(name)!.push(ms);
      if (server?.pid) cpu.set(name, cpu.get(name)! + cpuSeconds(server.pid) - cpuBefore);
    }
    await db.pool.query("DELETE FROM prospects WHERE campaign_id = $1", [campaignId]);
    await db.pool.query("DELETE FROM campaigns WHERE id = $1", [campaignId]);
  }

  // Warm-up: compiled hot paths and warmed pooled connections on every side.
  for (let i = 0; i < 15; i++) for (const name of names) await call(name, false);
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) await call(name, true);
  }
  const reference = median(times.get("reference")!);
  console.log(`POST /leads, 1000 prospects, ${ROUNDS} rounds; reference INSERT … ON CONFLICT median ${reference.toFixed(1)} ms`);
  for (const name of servers.keys()) {
    const ms = median(times.get(name)!);
    console.log(`  ${name}: median ${ms.toFixed(1)} ms, ratio ${(ms / reference).toFixed(2)}, server CPU ${((cpu.get(name)! * 1000) / ROUNDS).toFixed(1)} ms a call`);
  }
  console.log(`load average at the end: ${loadAverage().join(" ")}`);
} finally {
  for (const server of servers.values()) await server.stop();
  await db.pool.end();
  await database.stop();
}
