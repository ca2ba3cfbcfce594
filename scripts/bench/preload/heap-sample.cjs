// A preload for the bench's server (BENCH_SERVER_NODE_ARGS="--require <this file>"): V8's sampling
// heap profiler, started when a file named "start" appears in $MEMLOG_DIR and written to
// $MEMLOG_DIR/heap-<pid>.json (a .heapprofile) when "stop" appears. HS_MAJOR=1 keeps objects that
// survived a scavenge and died in a full collection, HS_MINOR=1 those a scavenge freed: with
// HS_MAJOR=1 alone the profile is what was promoted (or is still alive), by allocation site.
const fs = require("fs"); const inspector = require("inspector");
const dir = process.env.MEMLOG_DIR || "/tmp";
const session = new inspector.Session(); session.connect();
let state = "idle";
setInterval(() => {
  if (state === "idle" && fs.existsSync(`${dir}/start`)) {
    state = "sampling";
    session.post("HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: process.env.HS_MAJOR === "1", includeObjectsCollectedByMinorGC: process.env.HS_MINOR === "1" }, (e) => e && fs.writeFileSync(`${dir}/hs-error`, String(e.message)));
  } else if (state === "sampling" && fs.existsSync(`${dir}/stop`)) {
    state = "done";
    session.post("HeapProfiler.stopSampling", (e, r) => fs.writeFileSync(`${dir}/heap-${process.pid}.json`, e ? String(e.message) : JSON.stringify(r.profile)));
  }
}, 100).unref();
