// `npm run cli -- <command>`: operations for operators and scripts.
//   user:create     --email E --password P [--name N]
//   apikey:create   --email E [--name N]          (the new key is the last line of output)
//   campaign:import --campaign ID --list ID [--async]
//                   (exits non-zero on 206, 422 and 500; --async starts a background run, prints
//                   its id and follows it; Ctrl-C stops following, not the import; the end says
//                   why rows were skipped and where their report is)
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { appDatabase } from "./lib/database";
import { createDb, type Db } from "../src/server/db";
import { createUser } from "../src/server/domain/users";
import { createApiKey } from "../src/server/auth/api-keys";
import { DomainError, errorMessage } from "../src/server/domain/errors";
import { importList } from "../src/server/domain/import-list/import-list";
import { importHttpStatus, runHttpStatus } from "../src/server/api/http-status";
import { startBackgroundImport } from "../src/server/domain/import-list/background";
import { getRun } from "../src/server/domain/import-list/import-runs";
import { startJobs } from "../src/server/jobs/app-jobs";
import { setTimeout as sleep } from "node:timers/promises";
import { normalizeEmail, type Channel } from "../src/server/domain/identity";
import { duplicateReasons } from "../src/server/domain/skip-reasons";
import { describeSkipped, type ReasonCounts } from "../src/components/import/run-summary";

const USAGE = `usage:
  npm run cli -- user:create --email E --password P [--name N]
  npm run cli -- apikey:create --email E [--name N]
  npm run cli -- campaign:import --campaign CAMPAIGN_ID --list LIST_ID [--async]`;

async function userIdFor(db: Db, email: string) {
  const user = await db.prisma.user.findUnique({ where: { email: normalizeEmail(email) ?? email } });
  if (!user) throw new DomainError("not_found", `no user with email ${email}`);
  return user.id;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`missing --${flag}`);
  return value;
}

class UsageError extends Error {}

type RunCounts = { total: number; listTotal: number; imported: number; duplicates: number; invalid: number; errors: number };

function progressBar() {
  const bar = new cliProgress.SingleBar(
    { format: "importing |{bar}| {value}/{total} rows read · imported {imported} · duplicates {duplicates} · invalid {invalid} · errors {errors}", hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { imported: 0, duplicates: 0, invalid: 0, errors: 0 });
  return {
    show: (run: RunCounts) => {
      bar.setTotal(Math.max(run.listTotal, run.total, 1));
      bar.update(run.total, { imported: run.imported, duplicates: run.duplicates, invalid: run.invalid, errors: run.errors });
    },
    stop: () => bar.stop(),
  };
}

function printEnd(outcome: string, status: number, channel: Channel, runId: string, counts: Omit<RunCounts, "listTotal"> & ReasonCounts) {
  console.log(`${outcome} (${status}): imported ${counts.imported}, duplicates ${counts.duplicates}, invalid ${counts.invalid}, errors ${counts.errors}, total ${counts.total}`);
  const skipped = describeSkipped(counts, channel);
  if (skipped) console.log(`Skipped: ${skipped}. Every skipped row with its reason: GET /api/imports/${runId}/skipped.csv`);
  if (status === 206) console.log("Imported so far. Run the same command again to import the rest; rows already in count as duplicates.");
}

async function campaignImport(db: Db, campaignId: string, listId: string): Promise<number> {
  const campaign = await db.prisma.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw new DomainError("not_found", "campaign not found");
  const startedAt = new Date();
  const bar = progressBar();

  // The bar follows the run record, the same one the web dialog follows.
  const follow = setInterval(async () => {
    const run = await db.prisma.importRun.findFirst({
      where: { campaignId, listId, startedAt: { gte: startedAt } },
      orderBy: { startedAt: "desc" },
    });
    if (run) bar.show(run);
  }, 200);

  try {
    const result = await importList(db, { userId: campaign.userId, campaignId, listId });
    clearInterval(follow);
    bar.show({ ...result, listTotal: result.total });
    bar.stop();
    const status = importHttpStatus(result.outcome);
    printEnd(result.outcome, status, campaign.channel, result.runId, { ...result, duplicateReasons: duplicateReasons(result.duplicates, result.repeated) });
    return status === 200 ? 0 : 1;
  } finally {
    clearInterval(follow);
    bar.stop();
  }
}

/**
 * A background run: enqueued here, run by an app or worker process (any of them), followed
 * here through its run record. Ctrl-C stops following; the run goes on.
 */
async function campaignImportAsync(db: Db, databaseUrl: string, campaignId: string, listId: string): Promise<number> {
  const campaign = await db.prisma.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw new DomainError("not_found", "campaign not found");
  const jobs = await startJobs(db, databaseUrl, { work: false });
  let run;
  try {
    run = await startBackgroundImport(db, { userId: campaign.userId, campaignId, listId }, jobs.enqueueImport);
  } finally {
    await jobs.stop();
  }
  console.log(`run ${run.id} (${run.status}); follow it with GET /api/imports/${run.id}`);

  const bar = progressBar();
  let following = true;
  const stopFollowing = () => {
    following = false;
  };
  process.once("SIGINT", stopFollowing);
  const since = Date.now();
  let hinted = false;
  try {
    while (following) {
      run = await getRun(db, campaign.userId, run.id);
      bar.show(run);
      const status = runHttpStatus(run.status);
      if (status !== null) {
        bar.stop();
        printEnd(run.status, status, campaign.channel, run.id, { ...run, duplicateReasons: duplicateReasons(run.duplicates, run.repeated) });
        return status === 200 ? 0 : 1;
      }
      if (!hinted && run.status === "queued" && Date.now() - since > 5_000) {
        hinted = true;
        bar.stop();
        console.log("Still queued: no worker has taken it yet. Background runs are worked by `npm start`, `npm run dev` and `npm run worker` processes.");
      }
      await sleep(500);
    }
    bar.stop();
    console.log(`\nStopped following. The import goes on: run ${run.id}, GET /api/imports/${run.id}`);
    return 130;
  } finally {
    process.off("SIGINT", stopFollowing);
    bar.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      campaign: { type: "string" },
      list: { type: "string" },
      async: { type: "boolean" },
    },
  });
  if (!["user:create", "apikey:create", "campaign:import"].includes(command ?? "")) throw new UsageError(`unknown command ${command ?? "(none)"}`);

  const database = await appDatabase({ share: true });
  const db = createDb(database.url, 4);
  try {
    switch (command) {
      case "user:create": {
        const user = await createUser(db.prisma, { email: required(values.email, "email"), password: required(values.password, "password"), name: values.name });
        console.log(`created user ${user.email} (${user.id})`);
        return 0;
      }
      case "apikey:create": {
        const userId = await userIdFor(db, required(values.email, "email"));
        const key = await createApiKey(db.prisma, userId, values.name ?? "cli");
        console.log(`created API key "${key.name}" (${key.prefix}…); it is shown only once:`);
        console.log(key.key);
        return 0;
      }
      default:
        return values.async
          ? await campaignImportAsync(db, database.url, required(values.campaign, "campaign"), required(values.list, "list"))
          : await campaignImport(db, required(values.campaign, "campaign"), required(values.list, "list"));
    }
  } finally {
    await db.prisma.$disconnect();
    await db.pool.end();
    await database.stop();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error) => {
    if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
    else console.error(`error: ${errorMessage(error)}`);
    process.exit(2);
  });
