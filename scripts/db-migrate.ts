// `npm run db:migrate`: applies db/migrations to DATABASE_URL (or the embedded database).
import { appDatabase, migrate } from "./lib/database";

const database = await appDatabase({ share: true });
try {
  await migrate(database.url);
  console.log("migrations applied");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.stop();
}
