// addCampaignProspects (POST /api/campaigns/{id}/leads) and the prospects page, through real
// HTTP and the tRPC caller: bounds, identity per channel, duplicates within and across calls,
// stats always equal to the prospects table, ownership, every 4xx.
import { beforeAll, describe, expect, it } from "vitest";
import { api, callerFor, makeUser, testDb, type TestUser, useRestServer } from "../helpers/context";
import { campaignCounts, expectErrorBody, expectStatsMatch, expectTrpcError, NOT_UUIDS, unknownId } from "../helpers/foundation-assertions";

const server = useRestServer();
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  [alice, bob] = await Promise.all([makeUser(), makeUser()]);
});

type Channel = "email" | "linkedin";

async function newCampaign(channel: Channel, user: TestUser = alice): Promise<string> {
  const res = await api(server, user.apiKey, "POST", "/campaigns", { name: `${channel} campaign`, channel });
  expect(res.status).toBe(200);
  return res.body.id;
}

const add = (campaignId: string, prospects: unknown[], user: TestUser = alice) =>
  api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads`, { prospects });

async function storedProspects(campaignId: string) {
  return testDb().prisma.prospect.findMany({ where: { campaignId }, orderBy: { id: "asc" } });
}

const emails = (n: number, prefix = "p") => Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com` }));
const profiles = (n: number, prefix = "p") => Array.from({ length: n }, (_, i) => ({ linkedin_url: `https://www.linkedin.com/in/${prefix}-${i}` }));

describe("POST /api/campaigns/{campaignId}/leads: success", () => {
  it("stores every field, normalised identities and a composed name", async () => {
    const campaignId = await newCampaign("email");
    const res = await add(campaignId, [
      {
        email: "  Ada.Lovelace@Example.COM ",
        linkedin_url: "uk.linkedin.com/in/Ada-Lovelace/?trk=x",
        first_name: "Ada",
        last_name: "Lovelace",
        company: "Analytical Engines",
        position: "Programmer",
        headline: "First programmer",
        custom_fields: { tier: 1, tags: ["vip"], nested: { ok: true } },
      },
      { email: "grace@example.com" },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, duplicates: 0 });
    const [ada, grace] = await storedProspects(campaignId);
    expect(ada).toMatchObject({
      dedupeKey: "ada.lovelace@example.com",
      email: "ada.lovelace@example.com",
      linkedinUrl: "https://www.linkedin.com/in/ada-lovelace",
      firstName: "Ada",
      lastName: "Lovelace",
      name: "Ada Lovelace",
      company: "Analytical Engines",
      position: "Programmer",
      headline: "First programmer",
      customFields: { tier: 1, tags: ["vip"], nested: { ok: true } },
      source: "api",
      sourceRef: null,
    });
    expect(grace).toMatchObject({ email: "grace@example.com", linkedinUrl: null, name: null, customFields: {} });
    expect(await expectStatsMatch(campaignId)).toBe(2);
  });

  it("composes the name from whichever of first and last name is given (an empty one counts as not given)", async () => {
    const campaignId = await newCampaign("email");
    const given: Array<{ first_name?: string | null; last_name?: string | null }> = [
      { first_name: "Ada" }, { last_name: "Lovelace" }, { first_name: "", last_name: "Hopper" }, { first_name: "Grace", last_name: "" },
      { first_name: null, last_name: null }, { first_name: "", last_name: "" },
    ];
    const res = await add(campaignId, given.map((names, i) => ({ email: `n${i}@example.com`, ...names })));
    expect(res.status).toBe(200);
    expect((await storedProspects(campaignId)).map((p) => p.name)).toEqual(["Ada", "Lovelace", "Hopper", "Grace", null, null]);
  });

  it("stores text exactly, whatever array-literal syntax it holds (quotes, backslashes, braces, commas, NULL)", async () => {
    const campaignId = await newCampaign("email");
    const awkward = ['say "hi"', "C:\\path\\", "{a,b}", "x, y", "NULL", "", " padded ", "\\\"", "😀 日本語", "line\nbreak"];
    const res = await add(campaignId, awkward.map((text, i) => ({ email: `a${i}@example.com`, first_name: text, company: text, headline: `${text}${text}` })));
    expect(res.body).toMatchObject({ imported: awkward.length, duplicates: 0 });
    const stored = await storedProspects(campaignId);
    expect(stored.map((p) => [p.firstName, p.company, p.headline])).toEqual(awkward.map((text) => [text, text, `${text}${text}`]));
  });

  it("a LinkedIn campaign deduplicates on the canonical URL", async () => {
    const campaignId = await newCampaign("linkedin");
    const res = await add(campaignId, [{ linkedin_url: "http://m.linkedin.com/in/JOSÉ#top", email: "not an email" }]);
    expect(res.body).toMatchObject({ imported: 1, duplicates: 0 });
    const [jose] = await storedProspects(campaignId);
    expect(jose).toMatchObject({ dedupeKey: "https://www.linkedin.com/in/jos%C3%A9", linkedinUrl: "https://www.linkedin.com/in/jos%C3%A9", email: null });
  });

  it.each([
    ["email", 1, emails],
    ["email", 1000, emails],
    ["linkedin", 1, profiles],
    ["linkedin", 1000, profiles],
  ] as const)("a %s campaign accepts %i prospects in one call", async (channel, n, make) => {
    const campaignId = await newCampaign(channel);
    const res = await add(campaignId, make(n));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: n, duplicates: 0 });
    expect(await expectStatsMatch(campaignId)).toBe(n);
  });
});

describe("POST /api/campaigns/{campaignId}/leads: each text field's longest length", () => {
  // The limits the document states (maxLength), checked in ProspectInput's refine.
  const limits = { email: 320, linkedin_url: 2048, first_name: 10_000, last_name: 10_000, company: 10_000, position: 10_000, headline: 10_000 };
  // A value of exactly n characters that is otherwise valid in that field.
  const ofLength = (field: string, n: number) =>
    field === "email" ? `${"a".repeat(n - 12)}@example.com` : field === "linkedin_url" ? `https://www.linkedin.com/in/${"a".repeat(n - 28)}` : "x".repeat(n);

  it.each(Object.entries(limits))("%s: %i characters are stored, one more is a 400 naming the field", async (field, max) => {
    const campaignId = await newCampaign("email");
    const email = field === "email" ? {} : { email: `${field}@example.com` };
    const atLimit = await add(campaignId, [{ ...email, [field]: ofLength(field, max) }]);
    expect(atLimit.status, JSON.stringify(atLimit.body).slice(0, 300)).toBe(200);
    const over = await api(server, alice.apiKey, "POST", `/campaigns/${campaignId}/leads`, { prospects: [{ ...email, [field]: ofLength(field, max + 1) }] });
    expectErrorBody(over, 400, "BAD_REQUEST");
    expect(over.body.issues).toEqual([expect.objectContaining({ path: ["prospects", 0, field], message: `Too big: expected string to have <=${max} characters` })]);
    expect(await campaignCounts(campaignId)).toEqual({ stats: 1, actual: 1 });
  });
});

describe("POST /api/campaigns/{campaignId}/leads: refusals write nothing", () => {
  it.each([
    ["no prospects field", {}],
    ["an empty array", { prospects: [] }],
    ["1001 prospects", { prospects: emails(1001) }],
    ["prospects not an array", { prospects: { email: "a@example.com" } }],
    ["an email that is not a string", { prospects: [{ email: 42 }] }],
    ["an email longer than 320", { prospects: [{ email: `${"a".repeat(320)}@example.com` }] }],
    ["custom_fields that is an array", { prospects: [{ email: "a@example.com", custom_fields: [1, 2] }] }],
    ["custom_fields that is a string", { prospects: [{ email: "a@example.com", custom_fields: "x" }] }],
    ["a first name over 10000 characters", { prospects: [{ email: "a@example.com", first_name: "x".repeat(10_001) }] }],
    ["NUL in a name", { prospects: [{ email: "a@example.com", last_name: "a\u0000" }] }],
    ["NUL in a custom field key", { prospects: [{ email: "a@example.com", custom_fields: { "k\u0000": 1 } }] }],
    ["a lone surrogate in custom_fields", { prospects: [{ email: "a@example.com", custom_fields: { k: "\udfff" } }] }],
    ["a lone surrogate in the email", { prospects: [{ email: "a\ud800@example.com" }] }],
    ["custom_fields nested 40 levels", { prospects: [{ email: "a@example.com", custom_fields: nest(40) }] }],
  ])("400 for %s", async (_label, body) => {
    const campaignId = await newCampaign("email");
    const res = await api(server, alice.apiKey, "POST", `/campaigns/${campaignId}/leads`, body);
    expectErrorBody(res, 400, "BAD_REQUEST");
    expect(await campaignCounts(campaignId)).toEqual({ stats: 0, actual: 0 });
  });

  it.each([
    ["email", "missing", { linkedin_url: "https://www.linkedin.com/in/someone" }],
    ["email", "null", { email: null, linkedin_url: "https://www.linkedin.com/in/someone" }],
    ["email", "empty", { email: "" }],
    ["email", "not an address", { email: "someone at example.com" }],
    ["email", "without a dot in the domain", { email: "someone@localhost" }],
    ["linkedin", "missing", { email: "someone@example.com" }],
    ["linkedin", "an imported- placeholder", { linkedin_url: "imported-8812", email: "someone@example.com" }],
    ["linkedin", "a placeholder slug", { linkedin_url: "https://www.linkedin.com/in/imported-8812" }],
    ["linkedin", "a company page", { linkedin_url: "https://www.linkedin.com/company/acme" }],
    ["linkedin", "another site", { linkedin_url: "https://linkedin.com.evil.com/in/someone" }],
  ] as const)("%s campaign: an identity that is %s is a 400 naming its index, and nothing is written", async (channel, _label, bad) => {
    const campaignId = await newCampaign(channel);
    const good = channel === "email" ? emails(5) : profiles(5);
    const res = await add(campaignId, [...good.slice(0, 3), bad, ...good.slice(3)]);
    expectErrorBody(res, 400, "BAD_REQUEST");
    expect(res.body.message).toContain("prospects[3]");
    expect(res.body.message).not.toContain("prospects[4]");
    expect(await campaignCounts(campaignId)).toEqual({ stats: 0, actual: 0 });
  });

  it("names the first offending index when there are several", async () => {
    const campaignId = await newCampaign("email");
    const res = await add(campaignId, [{ email: "ok@example.com" }, { email: "bad" }, { email: "worse" }]);
    expectErrorBody(res, 400, "BAD_REQUEST");
    expect(res.body.message).toMatch(/prospects\[1\]/);
    expect(await campaignCounts(campaignId)).toEqual({ stats: 0, actual: 0 });
  });

  it.each(NOT_UUIDS)("400 for the campaign id %j", async (id) => {
    expectErrorBody(await api(server, alice.apiKey, "POST", `/campaigns/${encodeURIComponent(id)}/leads`, { prospects: emails(1) }), 400, "BAD_REQUEST");
  });

  it("404 for a missing campaign and for another user's, with the same body; nothing is written", async () => {
    const campaignId = await newCampaign("email");
    const foreign = await add(campaignId, emails(3), bob);
    const missing = await add(unknownId(), emails(3), bob);
    expectErrorBody(foreign, 404, "NOT_FOUND");
    expectErrorBody(missing, 404, "NOT_FOUND");
    expect(foreign.body).toEqual(missing.body);
    expect(await campaignCounts(campaignId)).toEqual({ stats: 0, actual: 0 });
  });

  it("an active campaign is a 400 and nothing is written", async () => {
    const campaignId = await newCampaign("email");
    await api(server, alice.apiKey, "POST", `/campaigns/${campaignId}/launch`, {});
    const res = await add(campaignId, emails(3));
    expectErrorBody(res, 400, "BAD_REQUEST");
    expect(res.body.message).toMatch(/draft/);
    expect(await campaignCounts(campaignId)).toEqual({ stats: 0, actual: 0 });
  });
});

/** { a: { a: … } } nested n objects deep. */
function nest(n: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < n; i++) value = { a: value };
  return value;
}

describe("duplicates", () => {
  it("email: different spellings of one address within a call are duplicates", async () => {
    const campaignId = await newCampaign("email");
    const res = await add(campaignId, [
      { email: "ada@example.com", first_name: "First" },
      { email: "ADA@EXAMPLE.COM", first_name: "Second" },
      { email: "  Ada@Example.com\t", first_name: "Third" },
      { email: "grace@example.com" },
    ]);
    expect(res.body).toMatchObject({ imported: 2, duplicates: 2 });
    const stored = await storedProspects(campaignId);
    expect(stored.map((p) => p.email)).toEqual(["ada@example.com", "grace@example.com"]);
    expect(stored[0]!.firstName).toBe("First"); // the first occurrence wins
    expect(await expectStatsMatch(campaignId)).toBe(2);
  });

  it("email: the same people in a later call, spelled differently, are duplicates; stats don't move", async () => {
    const campaignId = await newCampaign("email");
    await add(campaignId, [{ email: "ada@example.com" }, { email: "grace@example.com" }]);
    const again = await add(campaignId, [{ email: "Ada@Example.com" }, { email: " GRACE@example.COM " }, { email: "alan@example.com" }]);
    expect(again.body).toMatchObject({ imported: 1, duplicates: 2 });
    expect(await expectStatsMatch(campaignId)).toBe(3);
    const repeat = await add(campaignId, [{ email: "alan@example.com" }]);
    expect(repeat.body).toMatchObject({ imported: 0, duplicates: 1 });
    expect(await expectStatsMatch(campaignId)).toBe(3);
  });

  it("linkedin: every spelling of one profile is a duplicate, within and across calls", async () => {
    const campaignId = await newCampaign("linkedin");
    const spellings = [
      "https://www.linkedin.com/in/jos%C3%A9",
      "linkedin.com/in/josé/",
      "http://de.linkedin.com/in/JOS%c3%a9?trk=1",
      "https://m.linkedin.com/in/jose\u0301#about",
    ];
    const first = await add(campaignId, spellings.map((linkedin_url) => ({ linkedin_url })));
    expect(first.body).toMatchObject({ imported: 1, duplicates: 3 });
    const second = await add(campaignId, [{ linkedin_url: "WWW.LINKEDIN.COM/IN/JOSÉ" }, { linkedin_url: "linkedin.com/in/jose" }]);
    expect(second.body).toMatchObject({ imported: 1, duplicates: 1 });
    const stored = await storedProspects(campaignId);
    expect(stored.map((p) => p.linkedinUrl)).toEqual(["https://www.linkedin.com/in/jos%C3%A9", "https://www.linkedin.com/in/jose"]);
    expect(await expectStatsMatch(campaignId)).toBe(2);
  });

  it("a LinkedIn campaign may hold two people who share an email", async () => {
    const campaignId = await newCampaign("linkedin");
    const res = await add(campaignId, [
      { linkedin_url: "linkedin.com/in/twin-a", email: "shared@example.com" },
      { linkedin_url: "linkedin.com/in/twin-b", email: "Shared@Example.com" },
    ]);
    expect(res.body).toMatchObject({ imported: 2, duplicates: 0 });
    const stored = await storedProspects(campaignId);
    expect(stored.map((p) => p.email)).toEqual(["shared@example.com", "shared@example.com"]);
    expect(await expectStatsMatch(campaignId)).toBe(2);
  });

  it("an email campaign may hold two people who share a LinkedIn URL", async () => {
    const campaignId = await newCampaign("email");
    const res = await add(campaignId, [
      { email: "one@example.com", linkedin_url: "linkedin.com/in/shared" },
      { email: "two@example.com", linkedin_url: "https://www.linkedin.com/in/Shared/" },
    ]);
    expect(res.body).toMatchObject({ imported: 2, duplicates: 0 });
    const stored = await storedProspects(campaignId);
    expect(stored.map((p) => p.linkedinUrl)).toEqual(["https://www.linkedin.com/in/shared", "https://www.linkedin.com/in/shared"]);
    expect(await expectStatsMatch(campaignId)).toBe(2);
  });

  it("the same person may be in two campaigns", async () => {
    const [one, two] = [await newCampaign("email"), await newCampaign("email")];
    expect((await add(one, [{ email: "ada@example.com" }])).body).toMatchObject({ imported: 1, duplicates: 0 });
    expect((await add(two, [{ email: "ada@example.com" }])).body).toMatchObject({ imported: 1, duplicates: 0 });
  });

  it("concurrent overlapping calls: each person is stored once and stats equal the real count", async () => {
    const campaignId = await newCampaign("email");
    // Six calls of 300, each overlapping its neighbours by 150: 1050 distinct people.
    const calls = Array.from({ length: 6 }, (_, i) => Array.from({ length: 300 }, (_, j) => ({ email: `c${i * 150 + j}@example.com` })));
    const results = await Promise.all(calls.map((prospects) => add(campaignId, prospects)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const imported = results.reduce((sum, r) => sum + r.body.imported, 0);
    const duplicates = results.reduce((sum, r) => sum + r.body.duplicates, 0);
    expect(imported).toBe(1050);
    expect(imported + duplicates).toBe(1800);
    expect(await expectStatsMatch(campaignId)).toBe(1050);
    const got = await api(server, alice.apiKey, "GET", `/campaigns/${campaignId}`);
    expect(got.body.stats.prospectCount).toBe(1050);
  });
});

describe("GET /api/campaigns/{campaignId}/leads", () => {
  let campaignId: string;
  beforeAll(async () => {
    campaignId = await newCampaign("email");
    await add(campaignId, emails(7, "page"));
  });

  it("pages through the prospects in insertion order; total equals the real count", async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await api(server, alice.apiKey, "GET", `/campaigns/${campaignId}/leads?page=${page}&limit=3`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 7, page, limit: 3 });
      seen.push(...res.body.prospects.map((p: { email: string }) => p.email));
    }
    expect(seen).toEqual(emails(7, "page").map((p) => p.email));
    expect(await expectStatsMatch(campaignId)).toBe(7);
    const beyond = await api(server, alice.apiKey, "GET", `/campaigns/${campaignId}/leads?page=9&limit=3`);
    expect(beyond.body).toMatchObject({ prospects: [], total: 7 });
  });

  it("returns the documented fields, defaulting to page 1, limit 50", async () => {
    const res = await api(server, alice.apiKey, "GET", `/campaigns/${campaignId}/leads`);
    expect(res.body).toMatchObject({ total: 7, page: 1, limit: 50 });
    expect(Object.keys(res.body.prospects[0]).sort()).toEqual(
      ["company", "created_at", "custom_fields", "email", "first_name", "headline", "id", "last_name", "linkedin_url", "name", "position", "source", "source_ref"].sort(),
    );
    expect(res.body.prospects[0]).toMatchObject({ email: "page0@example.com", source: "api", custom_fields: {} });
  });

  it.each(["page=0", "page=x", "limit=0", "limit=201", "limit=-5"])("400 for %s", async (query) => {
    expectErrorBody(await api(server, alice.apiKey, "GET", `/campaigns/${campaignId}/leads?${query}`), 400, "BAD_REQUEST");
  });

  it.each(NOT_UUIDS.slice(0, 6))("400 for the campaign id %j", async (id) => {
    expectErrorBody(await api(server, alice.apiKey, "GET", `/campaigns/${encodeURIComponent(id)}/leads`), 400, "BAD_REQUEST");
  });

  it("404 for another user's campaign, like a missing one", async () => {
    const foreign = await api(server, bob.apiKey, "GET", `/campaigns/${campaignId}/leads`);
    const missing = await api(server, bob.apiKey, "GET", `/campaigns/${unknownId()}/leads`);
    expectErrorBody(foreign, 404, "NOT_FOUND");
    expect(foreign.body).toEqual(missing.body);
  });
});

describe("prospects through the tRPC caller (session)", () => {
  it("addProspects and prospects behave as over REST", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id);
    const campaign = await trpc.campaign.create({ name: "tRPC", channel: "linkedin" });
    const first = await trpc.campaign.addProspects({
      campaignId: campaign.id,
      prospects: [{ linkedin_url: "linkedin.com/in/a" }, { linkedin_url: "https://www.linkedin.com/in/A/" }, { linkedin_url: "linkedin.com/in/b", email: "x@example.com" }],
    });
    expect(first).toMatchObject({ imported: 2, duplicates: 1 });
    const second = await trpc.campaign.addProspects({ campaignId: campaign.id, prospects: [{ linkedin_url: "uk.linkedin.com/in/b" }, { linkedin_url: "linkedin.com/in/c", email: "x@example.com" }] });
    expect(second).toMatchObject({ imported: 1, duplicates: 1 });
    const page = await trpc.campaign.prospects({ campaignId: campaign.id, limit: 2 });
    expect(page).toMatchObject({ total: 3, page: 1, limit: 2 });
    expect(page.prospects.map((p) => p.linkedin_url)).toEqual(["https://www.linkedin.com/in/a", "https://www.linkedin.com/in/b"]);
    expect((await trpc.campaign.get({ campaignId: campaign.id })).stats.prospectCount).toBe(3);
    expect(await expectStatsMatch(campaign.id)).toBe(3);
  });

  it("BAD_REQUEST for bounds, a missing identity (naming the index) and non-UUIDs; nothing written", async () => {
    const user = await makeUser();
    const trpc = callerFor(user.id);
    const campaign = await trpc.campaign.create({ name: "tRPC", channel: "email" });
    await expectTrpcError(trpc.campaign.addProspects({ campaignId: campaign.id, prospects: [] }), "BAD_REQUEST");
    await expectTrpcError(trpc.campaign.addProspects({ campaignId: campaign.id, prospects: emails(1001) }), "BAD_REQUEST");
    await expectTrpcError(
      trpc.campaign.addProspects({ campaignId: campaign.id, prospects: [...emails(2), { linkedin_url: "linkedin.com/in/no-email" }] }),
      "BAD_REQUEST",
      /prospects\[2\]/,
    );
    await expectTrpcError(trpc.campaign.addProspects({ campaignId: "nope", prospects: emails(1) }), "BAD_REQUEST");
    await expectTrpcError(trpc.campaign.prospects({ campaignId: campaign.id, page: 0 }), "BAD_REQUEST");
    expect(await campaignCounts(campaign.id)).toEqual({ stats: 0, actual: 0 });
  });

  it("NOT_FOUND for another user's campaign, which stays empty", async () => {
    const campaignId = await newCampaign("email", alice);
    const trpc = callerFor(bob.id);
    await expectTrpcError(trpc.campaign.addProspects({ campaignId, prospects: emails(2) }), "NOT_FOUND", /campaign not found/);
    await expectTrpcError(trpc.campaign.prospects({ campaignId }), "NOT_FOUND", /campaign not found/);
    expect(await campaignCounts(campaignId)).toEqual({ stats: 0, actual: 0 });
  });
});
