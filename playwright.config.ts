import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// End-to-end tests against a production build (`next build` + `next start`) on a fresh
// embedded PostgreSQL; e2e/global-setup.ts starts everything and stops it afterwards.
// Debian's Chromium when it is installed, Playwright's own browser otherwise.
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const systemChromium = existsSync(SYSTEM_CHROMIUM);

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results",
  // One worker: the servers and the database share two cores, and the flows are long.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: systemChromium
      ? {
          executablePath: SYSTEM_CHROMIUM,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        }
      : {},
  },
  projects: [{ name: "chromium" }],
});
