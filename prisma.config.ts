import { defineConfig } from "prisma/config";

// Prisma 7 reads no .env. The fallback keeps `prisma generate` (which needs no
// database) working where DATABASE_URL is unset, as in CI and on fresh clones.
export default defineConfig({
  schema: "prisma/schema.prisma",
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
