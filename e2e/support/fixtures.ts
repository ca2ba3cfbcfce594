import { randomBytes } from "node:crypto";
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { createDb } from "../../src/server/db";
import { createUser } from "../../src/server/domain/users";
import { createApiKey } from "../../src/server/auth/api-keys";
import { e2eDatabaseUrl, serverUrl, type ServerName } from "./env";
import { closeTestPool } from "./db";
import { toListRow, type Person } from "./people";

export type TestUser = { email: string; password: string };

type WorkerFixtures = { closesPool: void };

type Fixtures = {
  /** Fails the test on an uncaught page error or a Content-Security-Policy violation. */
  cleanConsole: void;
  /** A fresh user per test (through the domain's createUser), so tests share no data or rate limits. */
  user: TestUser;
  /** Signs the page in as `user` through the sign-in form. */
  signedIn: Page;
  urls: Record<ServerName, string>;
};

export const test = base.extend<Fixtures, WorkerFixtures>({
  closesPool: [
    async ({}, use) => {
      await use();
      await closeTestPool();
    },
    { scope: "worker", auto: true },
  ],
  baseURL: async ({}, use) => {
    await use(serverUrl("app"));
  },
  cleanConsole: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" && /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
      });
      await use();
      expect(problems).toEqual([]);
    },
    { auto: true },
  ],
  urls: async ({}, use) => {
    await use({ app: serverUrl("app"), faultPage2: serverUrl("faultPage2"), faultPage1: serverUrl("faultPage1") });
  },
  user: async ({}, use) => {
    const db = createDb(e2eDatabaseUrl(), 1);
    const user = { email: `e2e-${randomBytes(5).toString("hex")}@example.com`, password: `pw-${randomBytes(8).toString("hex")}` };
    try {
      await createUser(db.prisma, user);
    } finally {
      await db.pool.end();
    }
    await use(user);
  },
  signedIn: async ({ page, user }, use) => {
    await signIn(page, user);
    await use(page);
  },
});

export { expect };

export async function signIn(page: Page, user: TestUser, path = "/campaigns") {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("textbox", { name: "Password" }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/** A new API key of the user with this email, made through the domain (as the settings page would). */
export async function apiKeyFor(email: string, name = "e2e"): Promise<string> {
  const db = createDb(e2eDatabaseUrl(), 1);
  try {
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    return (await createApiKey(db.prisma, user.id, name)).key;
  } finally {
    await db.pool.end();
  }
}

/**
 * POST JSON to an absolute URL with the page's session cookie, as the app's own pages send it:
 * with the app's Origin, which the cross-site guard requires of changes made with a session.
 */
export function postAsApp(request: APIRequestContext, url: string, data: unknown) {
  return request.post(url, { data, headers: { origin: new URL(url).origin } });
}

/**
 * Creates a list through the REST API with the page's session cookie (REST accepts a session
 * as well as a Bearer key), 1000 rows a call as the API requires.
 */
export async function createListViaApi(request: APIRequestContext, baseURL: string, name: string, rows: Person[]): Promise<string> {
  const created = await postAsApp(request, `${baseURL}/api/lists`, { name });
  expect(created.status(), await created.text()).toBe(200);
  const listId = ((await created.json()) as { id: string }).id;
  for (let i = 0; i < rows.length; i += 1000) {
    const appended = await postAsApp(request, `${baseURL}/api/lists/${listId}/rows`, { rows: rows.slice(i, i + 1000).map(toListRow) });
    expect(appended.status(), await appended.text()).toBe(200);
  }
  return listId;
}

/** Creates a campaign through the campaigns page and returns its id (from the URL it lands on). */
export async function createCampaignViaUi(page: Page, name: string, channel: "LinkedIn" | "Email"): Promise<string> {
  await page.goto("/campaigns");
  await page.getByLabel("Campaign name").fill(name);
  await page.getByRole("radio", { name: channel }).check();
  await page.getByRole("button", { name: "Create campaign" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return page.url().split("/").pop()!;
}
