// Cross-site request forgery: a page on another site (or a sibling subdomain, which is the same
// "site" for SameSite=Lax cookies) makes the browser POST to the API with the user's session
// cookie, with no body, a form body or JSON. Every such change is refused with 403 and nothing
// in the database moves; the app's own pages and API keys go through. Every mutation in the
// OpenAPI document is tried, and the tRPC mutations the web app uses.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleTrpcRequest } from "@/server/api/trpc-handler";
import { closeTestDb, makeUser, startRestServer, testDb, testLimits, type RestServer, type TestUser } from "../helpers/context";
import { apiFixture, exampleRequest, operationsOf, type Ids, type Json } from "../helpers/openapi-doc";

const COOKIE = "next-auth.session-token";

let rest: RestServer;
let trpc: RestServer;
let user: TestUser;
let sessionToken: string;
let served: Json;

// Stands in for next-auth: the session cookie names the signed-in user.
const sessions = new Map<string, string>();
async function sessionOf(req: Request): Promise<string | null> {
  const cookie = req.headers.get("cookie") ?? "";
  const token = new RegExp(`(?:^|; )${COOKIE}=([^;]+)`).exec(cookie)?.[1];
  return (token && sessions.get(token)) ?? null;
}

beforeAll(async () => {
  rest = await startRestServer(testDb(), testLimits(), { sessionUserId: sessionOf });
  trpc = await startRestServer(testDb(), testLimits(), {
    sessionUserId: sessionOf,
    handler: (req, deps) => handleTrpcRequest(req, { ...deps, db: testDb(), limits: testLimits() }),
  });
  user = await makeUser();
  sessionToken = randomUUID();
  sessions.set(sessionToken, user.id);
  served = (await (await fetch(`${rest.baseUrl}/openapi.json`)).json()) as Json;
});
afterAll(async () => {
  await rest.close();
  await trpc.close();
  await closeTestDb();
});

/** Everything the user owns, as rows: any change a request made shows up here. */
async function footprint(userId: string) {
  const { rows } = await testDb().pool.query(
    `SELECT
       (SELECT coalesce(json_agg(c ORDER BY c.id), '[]') FROM campaigns c WHERE c.user_id = $1) AS campaigns,
       (SELECT coalesce(json_agg(l ORDER BY l.id), '[]') FROM lists l WHERE l.user_id = $1) AS lists,
       (SELECT coalesce(json_agg(r ORDER BY r.id), '[]') FROM import_runs r WHERE r.user_id = $1) AS import_runs,
       (SELECT coalesce(json_agg(k ORDER BY k.id), '[]') FROM api_keys k WHERE k.user_id = $1) AS api_keys,
       (SELECT count(*) FROM list_rows r JOIN lists l ON l.id = r.list_id WHERE l.user_id = $1) AS list_rows,
       (SELECT count(*) FROM prospects p JOIN campaigns c ON c.id = p.campaign_id WHERE c.user_id = $1) AS prospects`,
    [userId],
  );
  return rows[0];
}

// What browsers send from elsewhere. Sec-Fetch-Site can't be set by a page; Origin "null" comes
// from sandboxed frames and some redirects; nothing at all from old browsers and scripts.
const FOREIGN: Record<string, Record<string, string>> = {
  "another site": { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  "a sibling subdomain": { origin: "https://evil.app.example", "sec-fetch-site": "same-site" },
  "another site, old browser": { origin: "https://evil.example" },
  "an opaque origin": { origin: "null" },
  "no origin at all": {},
};

type Body = { label: string; headers: Record<string, string>; body?: string };

function bodies(json: unknown): Body[] {
  return [
    { label: "no body", headers: {} },
    { label: "a form body", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=x&channel=email" },
    { label: "a text/plain JSON body", headers: { "content-type": "text/plain" }, body: JSON.stringify(json ?? {}) },
    { label: "a JSON body", headers: { "content-type": "application/json" }, body: JSON.stringify(json ?? {}) },
  ];
}

function pathWith(template: string, params: Json): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => params.path[name]);
}

const withCookie = (headers: Record<string, string>) => ({ cookie: `${COOKIE}=${sessionToken}`, ...headers });

describe("REST: cookie-carrying changes from elsewhere", () => {
  it("every mutation in the document is refused with 403, whatever the body, and nothing changes", async () => {
    const mutations = operationsOf(served).filter(({ method }) => method !== "get");
    expect(mutations.length).toBeGreaterThan(0);
    const ids = await apiFixture(rest, user);
    const before = await footprint(user.id);
    for (const { path, method, op } of mutations) {
      const { params, body } = exampleRequest(served, op, ids);
      for (const [from, origin] of Object.entries(FOREIGN)) {
        for (const variant of bodies(body)) {
          const res = await fetch(`${rest.baseUrl}${pathWith(path, params)}`, { method: method.toUpperCase(), headers: withCookie({ ...origin, ...variant.headers }), body: variant.body });
          const where = `${method.toUpperCase()} ${path} from ${from} with ${variant.label}`;
          expect(res.status, where).toBe(403);
          expect(await res.json(), where).toMatchObject({ code: "FORBIDDEN" });
        }
      }
    }
    expect(await footprint(user.id)).toEqual(before);
  });

  it("the same requests from the app's own pages go through (the guard is not a wall)", async () => {
    const ids = await apiFixture(rest, user);
    const launch = (campaignId: string, headers: Record<string, string>) =>
      fetch(`${rest.baseUrl}/campaigns/${campaignId}/launch`, { method: "POST", headers: withCookie(headers) });
    // The browser says so (Sec-Fetch-Site), or an older one sends the app's Origin.
    expect((await launch(ids.campaignId!, { origin: rest.origin, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await launch((await apiFixture(rest, user)).campaignId!, { origin: rest.origin })).status).toBe(200);
    const campaign = await fetch(`${rest.baseUrl}/campaigns/${ids.campaignId}`, { headers: withCookie({}) });
    expect(((await campaign.json()) as Json).status).toBe("active");
  });

  it("API keys are not cookies: a Bearer call from anywhere goes through", async () => {
    const ids = await apiFixture(rest, user);
    const res = await fetch(`${rest.baseUrl}/campaigns/${ids.campaignId}/launch`, {
      method: "POST",
      headers: withCookie({ authorization: `Bearer ${user.apiKey}`, origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
    });
    expect(res.status).toBe(200);
  });

  it("reads are not refused, and a request without a session is still a 401", async () => {
    const read = await fetch(`${rest.baseUrl}/campaigns`, { headers: withCookie({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }) });
    expect(read.status).toBe(200);
    const anonymous = await fetch(`${rest.baseUrl}/campaigns`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: "{}" });
    expect(anonymous.status).toBe(401);
  });
});

describe("tRPC (the web app's endpoint): cookie-carrying mutations from elsewhere", () => {
  const mutations = (ids: Ids): Array<[string, unknown]> => [
    ["campaign.launch", { campaignId: ids.campaignId }],
    ["campaign.create", { name: "Forged", channel: "email" }],
    ["campaign.importList", { campaignId: ids.campaignId, listId: ids.listId }],
    ["list.create", { name: "Forged" }],
    ["apiKey.create", { name: "Forged" }],
  ];

  it("are refused with 403 and nothing changes; the app's own mutation goes through", async () => {
    const ids = await apiFixture(rest, user);
    const before = await footprint(user.id);
    for (const [procedure, input] of mutations(ids)) {
      for (const [from, origin] of Object.entries(FOREIGN)) {
        for (const variant of bodies(input)) {
          const res = await fetch(`${trpc.baseUrl}/trpc/${procedure}`, { method: "POST", headers: withCookie({ ...origin, ...variant.headers }), body: variant.body });
          const where = `${procedure} from ${from} with ${variant.label}`;
          expect(res.status, where).toBe(403);
          expect(((await res.json()) as Json).error, where).toMatchObject({ data: { code: "FORBIDDEN", httpStatus: 403 } });
        }
      }
    }
    expect(await footprint(user.id)).toEqual(before);

    const own = await fetch(`${trpc.baseUrl}/trpc/campaign.launch`, {
      method: "POST",
      headers: withCookie({ origin: trpc.origin, "sec-fetch-site": "same-origin", "content-type": "application/json" }),
      body: JSON.stringify({ campaignId: ids.campaignId }),
    });
    expect(own.status).toBe(200);
    expect(((await own.json()) as Json).result.data).toMatchObject({ id: ids.campaignId, status: "active" });
  });
});
