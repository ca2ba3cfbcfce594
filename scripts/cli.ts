// `npm run cli -- <command>`: operations for operators and scripts.
//   user:create     --email E --password P [--name N]
//   apikey:create   --email E [--name N]          (the new key is the last line of output)
//   campaign:import --campaign ID --list ID        (exits non-zero on 206, 422 and 500)
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { appDatabase } from "./lib/database";
import { createDb, type Db } from "../src/server/db";
import { createUser } from "../src/server/domain/users";
import { createApiKey } from "../src/server/auth/api-keys";
import { DomainError, errorMessage } from "../src/server/domain/errors";
import { importList } from "../src/server/domain/import-list/import-list";
import { importHttpStatus } from "../src/server/api/http-status";
import { normalizeEmail } from "../src/server/domain/identity";

const USAGE = `usage:
  npm run cli -- user:create --email E --password P [--name N]
  npm run cli -- apikey:create --email E [--name N]
  npm run cli -- campaign:import --campaign CAMPAIGN_ID --list LIST_ID`;

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

async function campaignImport(db: Db, campaignId: string, listId: string): Promise<number> {
  const campaign = await db.prisma.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw new DomainError("not_found", "campaign not found");
  const startedAt = new Date();
  const bar = new cliProgress.SingleBar(
    { format: "importing |{bar}| {value}/{total} rows read · imported {imported} · duplicates {duplicates} · invalid {invalid} · errors {errors}", hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { imported: 0, duplicates: 0, invalid: 0, errors: 0 });

  // The bar follows the run record, the same one the web dialog follows.
  const follow = setInterval(async () => {
    const run = await db.prisma.importRun.findFirst({
      where: { campaignId, listId, startedAt: { gte: startedAt } },
      orderBy: { startedAt: "desc" },
    });
    if (run) {
      bar.setTotal(Math.max(run.listTotal, run.total, 1));
      bar.update(run.total, { imported: run.imported, duplicates: run.duplicates, invalid: run.invalid, errors: run.errors });
    }
  }, 200);

  try {
    const result = await importList(db, { userId: campaign.userId, campaignId, listId });
    clearInterval(follow);
    bar.setTotal(Math.max(result.total, 1));
    bar.update(result.total, result);
    bar.stop();
    const status = importHttpStatus(result.outcome);
    console.log(
      `${result.outcome} (${status}): imported ${result.imported}, duplicates ${result.duplicates}, invalid ${result.invalid}, errors ${result.errors}, total ${result.total}`,
    );
    if (result.outcome === "partial") console.log("Imported so far. Run the same command again to import the rest; rows already in count as duplicates.");
    return status === 200 ? 0 : 1;
  } finally {
    clearInterval(follow);
    bar.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, campaign: { type: "string" }, list: { type: "string" } },
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
        return await campaignImport(db, required(values.campaign, "campaign"), required(values.list, "list"));
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
