import { z } from "zod";

// Read once, at start-up. A bad or missing value stops the process with one line naming it.
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters"),
  NEXTAUTH_URL: z.url().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  // Per API key (or signed-in user): imports, and other writes, allowed a minute.
  RATE_LIMIT_IMPORTS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // Background imports (src/server/jobs): whether this process works the queue (npm run worker
  // always does), how many runs at once, and how soon a dead process's run is taken over: a
  // worker that misses its heartbeat for JOBS_HEARTBEAT_SECONDS is found by the next check,
  // every JOBS_MONITOR_SECONDS, and its job handed to a live worker.
  JOBS_WORKER: z.enum(["on", "off"]).default("on"),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  JOBS_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).default(10),
  JOBS_MONITOR_SECONDS: z.coerce.number().int().min(1).default(10),
  // Fault injection for end-to-end tests: a background run's worker stops still (holds the run)
  // once this many of its batches have committed, until the process is killed. Off when unset.
  IMPORT_HOLD_AFTER_BATCH: z.coerce.number().int().min(1).optional(),
  // Failed sign-ins allowed per account (any address) and per client address (any account) in
  // each window; past either, sign-in answers 429 until the window ends.
  RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_SIGNIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  // How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default): the
  // header is ignored and the client address is the TCP peer's, since any client can write the header.
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  // Fault injection for end-to-end tests: the 1-based page read of every import that fails. Off when unset.
  IMPORT_FAIL_PAGE: z.coerce.number().int().min(1).optional(),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable (FOO= in a .env file) means unset: optional values take their default
  // instead of failing a number or URL check, and required ones are reported as missing.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const result = schema.safeParse(present);
  if (!result.success) {
    // Every bad name on one line, so a fresh set-up is fixed in one go. Values are never echoed: they may be secrets.
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return `${name} ${present[name] === undefined ? "is missing" : issue.message}`;
    });
    throw new Error(`Configuration error: ${[...new Set(problems)].join("; ")}`);
  }
  return result.data;
}

/**
 * The app's public origin, e.g. https://app.example.com: NEXTAUTH_URL, else http://localhost:$PORT
 * (what `npm run dev` and `npm start` give NEXTAUTH_URL when it is unset). The OpenAPI document's
 * server URL and the cross-site request guard use it. Read on its own so that it also works where
 * the rest of the configuration is absent (a build, a unit test).
 */
export function publicOrigin(source: Record<string, string | undefined> = process.env): string {
  const configured = source.NEXTAUTH_URL?.trim();
  const url = configured ? schema.shape.NEXTAUTH_URL.parse(configured) : undefined;
  return new URL(url ?? `http://localhost:${source.PORT?.trim() || "3000"}`).origin;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * The fault-injection switches alone (testing only), read on every use rather than cached, so
 * an end-to-end run can turn them on and off, and by processes that have no full configuration
 * (the CLI, a worker).
 */
export function faultEnv(source: Record<string, string | undefined> = process.env) {
  return schema
    .pick({ IMPORT_FAIL_PAGE: true, IMPORT_HOLD_AFTER_BATCH: true })
    .parse({ IMPORT_FAIL_PAGE: source.IMPORT_FAIL_PAGE || undefined, IMPORT_HOLD_AFTER_BATCH: source.IMPORT_HOLD_AFTER_BATCH || undefined });
}
