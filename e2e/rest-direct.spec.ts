import { randomBytes } from "node:crypto";
import { people, toListRow } from "./support/people";
import { apiKeyFor, expect, postAsApp, test } from "./support/fixtures";

// The production server (server.mjs) answers REST calls made with an API key itself, without
// Next.js; calls with the session cookie still go through Next.js's route. Both must be the same
// API: the same statuses, bodies and headers, large bodies in, streamed CSV out.

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

test("API-key calls and session calls get the same answers from the production server", async ({ user, signedIn: page, baseURL }) => {
  const key = await apiKeyFor(user.email, "e2e direct");
  const bearer = { authorization: `Bearer ${key}` };
  const tag = randomBytes(4).toString("hex");

  // A large body in (1000 prospects, about 150 kB), with the headers Next.js puts on every response.
  const campaign = await fetch(`${baseURL}/api/campaigns`, {
    method: "POST",
    headers: { ...bearer, "content-type": "application/json" },
    body: JSON.stringify({ name: `Direct ${tag}`, channel: "linkedin" }),
  });
  expect(campaign.status).toBe(200);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(campaign.headers.get(name)).toBe(value);
  const campaignId = ((await campaign.json()) as { id: string }).id;
  const prospects = people(1000, tag).map((p) => ({ linkedin_url: p.linkedin_url, first_name: p.firstName, company: p.company }));
  const added = await fetch(`${baseURL}/api/campaigns/${campaignId}/leads`, {
    method: "POST",
    headers: { ...bearer, "content-type": "application/json" },
    body: JSON.stringify({ prospects }),
  });
  expect(await added.json()).toMatchObject({ imported: 1000, duplicates: 0 });

  // The same reads, with the key and with the session: identical status and body. The key's
  // call did not go through Next.js (whose answers vary on its router headers). A large answer is
  // gzipped on both paths (Next.js also gzips small ones; the direct path only from 1 kB).
  for (const path of [`/api/campaigns/${campaignId}`, `/api/campaigns/${campaignId}/leads?page=2&limit=200`, "/api/no/such/route", `/api/campaigns/not-a-uuid`]) {
    const withKey = await fetch(`${baseURL}${path}`, { headers: { ...bearer, "accept-encoding": "gzip" } });
    const withSession = await page.request.get(`${baseURL}${path}`, { headers: { "accept-encoding": "gzip" } });
    expect(withKey.status, path).toBe(withSession.status());
    expect(withKey.headers.get("vary") ?? "", path).not.toMatch(/rsc/);
    expect(withSession.headers()["vary"], path).toMatch(/rsc/);
    expect(await withKey.json(), path).toEqual(await withSession.json());
  }
  const page2 = `${baseURL}/api/campaigns/${campaignId}/leads?page=2&limit=200`;
  expect((await fetch(page2, { headers: { ...bearer, "accept-encoding": "gzip" } })).headers.get("content-encoding")).toBe("gzip");
  expect((await page.request.get(page2, { headers: { "accept-encoding": "gzip" } })).headers()["content-encoding"]).toBe("gzip");

  // A body over 10 MB sent without Content-Length: 413 while it streams, the server unharmed.
  const oversized = new ReadableStream<Uint8Array>({
    start(controller) {
      const chunk = new TextEncoder().encode(`{"prospects":[${'{"first_name":"x"},'.repeat(50_000)}`);
      for (let i = 0; i < 12; i++) controller.enqueue(chunk);
      controller.close();
    },
  });
  const refused = await fetch(`${baseURL}/api/campaigns/${campaignId}/leads`, {
    method: "POST",
    headers: { ...bearer, "content-type": "application/json" },
    body: oversized,
    duplex: "half",
  } as RequestInit);
  expect(refused.status).toBe(413);
  expect(await refused.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  expect(((await (await fetch(`${baseURL}/api/campaigns/${campaignId}`, { headers: bearer })).json()) as { stats: { prospectCount: number } }).stats.prospectCount).toBe(1000);

  // A streamed CSV out: an import that skips rows, then its report.
  const list = await postAsApp(page.request, `${baseURL}/api/lists`, { name: `Direct list ${tag}`, rows: [...people(3, tag).map(toListRow), { linkedin_url: "imported-x", profile_data: {} }] });
  const listId = ((await list.json()) as { id: string }).id;
  const run = await fetch(`${baseURL}/api/campaigns/${campaignId}/leads/import-from-list`, {
    method: "POST",
    headers: { ...bearer, "content-type": "application/json" },
    body: JSON.stringify({ listId }),
  });
  const runId = ((await run.json()) as { runId: string }).runId;
  const csv = await fetch(`${baseURL}/api/imports/${runId}/skipped.csv`, { headers: bearer });
  expect(csv.status).toBe(200);
  expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
  expect((await csv.text()).trim().split("\n")).toHaveLength(1 + 4); // header + 3 already in the campaign + 1 invalid
  const head = await fetch(`${baseURL}/api/imports/${runId}/skipped.csv`, { method: "HEAD", headers: bearer });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe("");
});
