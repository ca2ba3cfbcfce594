// A preload for the bench's server (BENCH_SERVER_NODE_ARGS="--require <this file>"): appends
// process.memoryUsage(), the V8 heap spaces' sizes and CPU seconds, every second, as JSON lines to
// $MEMLOG_DIR/mem-<pid>.log (default /tmp). Used to tell JS heap from external and native growth.
const fs = require("fs"); const v8 = require("v8");
const dir = process.env.MEMLOG_DIR || "/tmp";
const file = `${dir}/mem-${process.pid}.log`;
const t0 = Date.now();
const MB = (n) => Math.round(n / 1048576 * 10) / 10;
function line() {
  const m = process.memoryUsage();
  const sp = {}; for (const s of v8.getHeapSpaceStatistics()) sp[s.space_name.replace("_space","")] = MB(s.space_size);
  const cpu = process.cpuUsage();
  fs.appendFileSync(file, JSON.stringify({ t: ((Date.now()-t0)/1000).toFixed(1), rss: MB(m.rss), heapTotal: MB(m.heapTotal), heapUsed: MB(m.heapUsed), external: MB(m.external), ab: MB(m.arrayBuffers), cpu: ((cpu.user+cpu.system)/1e6).toFixed(2), sp }) + "\n");
}
fs.appendFileSync(file, JSON.stringify({ argv: process.argv.slice(1,3), execArgv: process.execArgv, node: process.version }) + "\n");
setInterval(line, 1000).unref();
