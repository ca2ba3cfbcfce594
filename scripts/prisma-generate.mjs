// `prisma generate` never runs the schema engine, but the CLI tries to download it
// unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file. Offline machines can't
// download, so point it at this Node binary: it is never executed.
import { spawnSync } from "node:child_process";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath };
const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
