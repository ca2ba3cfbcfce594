// Playwright narrowed to the failing fixture. Its global setup starts an embedded PostgreSQL
// through the same helpers as e2e/global-setup.ts, so the runner's main process loads them as
// in the real e2e run (without building the app).
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: ".",
  testMatch: "failing.pw.ts",
  globalSetup: "./playwright.global-setup.ts",
  outputDir: "../../.test-reports/runner-guard-playwright",
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
});
