// Who is a duplicate, and what a row's profile_data becomes, through the real list rows and the
// real SQL extraction, over HTTP and the tRPC caller.
import { beforeAll, describe, expect, it } from "vitest";
import { api, callerFor, makeUser, testDb, type TestUser, useRestServer } from "../helpers/context";
import { expectImportLanded, makeRows, newTag, prospectsOf, seedCampaign, type Counts } from "../helpers/import-fixtures";
import type { ListRowInput } from "@/server/domain/lists";
import type { Channel } from "@/server/domain/identity";

const server = useRestServer();

type Via = "http" | "trpc";
type Prospect = { email?: string; linkedin_url?: string; first_name?: string };

/** The whole user journey through one door: create the list and the campaign, add prospects, import. */
function door(via: Via, user: TestUser) {
  const caller = () => callerFor(user.id);
  return {
    async list(rows: ListRowInput[]) {
      if (via === "trpc") {
        const list = await caller().list.create({ name: "Rows", rows });
        return list.id;
      }
      const res = await api(server, user.apiKey, "POST", "/lists", { name: "Rows", rows });
      expect(res.status).toBe(200);
      return res.body.id as string;
    },
    async listRowIds(listId: string) {
      const { rows } = await testDb().pool.query<{ id: string }>(`SELECT id::text AS id FROM list_rows WHERE list_id = $1 ORDER BY list_rows.id`, [listId]);
      return rows.map((r) => r.id);
    },
    async campaign(channel: Channel) {
      if (via === "trpc") return (await caller().campaign.create({ name: "Rows", channel })).id;
      const res = await api(server, user.apiKey, "POST", "/campaigns", { name: "Rows", channel });
      expect(res.status).toBe(200);
      return res.body.id as string;
    },
    async add(campaignId: string, prospects: Prospect[]) {
      if (via === "trpc") return caller().campaign.addProspects({ campaignId, prospects });
      const res = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads`, { prospects });
      expect(res.status).toBe(200);
      return res.body as { imported: number; duplicates: number };
    },
    async import(campaignId: string, listId: string): Promise<{ status: number; body: any }> {
      if (via === "http") return api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId });
      const c = caller();
      const body = await c.campaign.importList({ campaignId, listId });
      return { status: c.ctx.response.status ?? 200, body };
    },
  };
}

async function expectImport(reply: { status: number; body: any }, status: number, counts: Counts, campaignId: string, before = 0) {
  expect(reply.status).toBe(status);
  const { imported, duplicates, invalid, errors, total } = reply.body;
  expect({ imported, duplicates, invalid, errors, total }).toEqual(counts);
  await expectImportLanded(testDb(), { campaignId, before, result: reply.body });
}

describe.each<Via>(["http", "trpc"])("duplicates over %s", (via) => {
  let user: TestUser;
  let d: ReturnType<typeof door>;
  beforeAll(async () => {
    user = await makeUser();
    d = door(via, user);
  });

  it("LinkedIn: one person under several URL spellings in the list is imported once, the first row kept", async () => {
    const t = newTag();
    const rows: ListRowInput[] = [
      { linkedin_url: `http://linkedin.com/in/Foo-${t}/`, profile_data: { firstName: "First" } },
      { linkedin_url: `https://www.linkedin.com/in/foo-${t}?x=1`, profile_data: { firstName: "Second" } },
      { linkedin_url: `linkedin.com/in/FOO-${t}`, profile_data: { firstName: "Third" } },
      { linkedin_url: `https://de.linkedin.com/in/foo-${t}/#about`, profile_data: { firstName: "Fourth" } },
      { linkedin_url: `https://www.linkedin.com/in/bar-${t}`, profile_data: { firstName: "Bar" } },
      { linkedin_url: `HTTPS://WWW.LINKEDIN.COM/in/bar-${t}/`, profile_data: { firstName: "Bar again" } },
    ];
    const listId = await d.list(rows);
    const ids = await d.listRowIds(listId);
    const campaignId = await d.campaign("linkedin");

    await expectImport(await d.import(campaignId, listId), 200, { imported: 2, duplicates: 4, invalid: 0, errors: 0, total: 6 }, campaignId);
    const prospects = await prospectsOf(testDb(), campaignId);
    expect(prospects.map((p) => [p.linkedinUrl, p.firstName, p.sourceRef])).toEqual([
      [`https://www.linkedin.com/in/foo-${t}`, "First", ids[0]],
      [`https://www.linkedin.com/in/bar-${t}`, "Bar", ids[4]],
    ]);
  });

  it("email: one address under several spellings in the list is imported once, the first row kept", async () => {
    const t = newTag();
    const email = (address: string) => ({ enrichment: { work_email: address } });
    const rows: ListRowInput[] = [
      { linkedin_url: "imported-1", profile_data: { ...email(` Foo@X-${t}.io`), firstName: "First" } },
      { linkedin_url: "imported-2", profile_data: { ...email(`foo@x-${t}.io`), firstName: "Second" } },
      { linkedin_url: null, profile_data: { ...email(`FOO@X-${t}.IO `), firstName: "Third" } },
      { linkedin_url: "imported-3", profile_data: { ...email(`bar@x-${t}.io`), firstName: "Bar" } },
    ];
    const listId = await d.list(rows);
    const ids = await d.listRowIds(listId);
    const campaignId = await d.campaign("email");

    await expectImport(await d.import(campaignId, listId), 200, { imported: 2, duplicates: 2, invalid: 0, errors: 0, total: 4 }, campaignId);
    const prospects = await prospectsOf(testDb(), campaignId);
    expect(prospects.map((p) => [p.email, p.firstName, p.sourceRef, p.linkedinUrl])).toEqual([
      [`foo@x-${t}.io`, "First", ids[0], null],
      [`bar@x-${t}.io`, "Bar", ids[3], null],
    ]);
  });

  it("LinkedIn: rows whose people were added earlier through addCampaignProspects are duplicates, and the other way round", async () => {
    const t = newTag();
    const campaignId = await d.campaign("linkedin");
    expect(
      await d.add(campaignId, [
        { linkedin_url: `https://www.linkedin.com/in/foo-${t}`, first_name: "Manual" },
        { linkedin_url: `linkedin.com/in/Baz-${t}`, first_name: "Manual" },
      ]),
    ).toMatchObject({ imported: 2, duplicates: 0 });
    const listId = await d.list([
      { linkedin_url: `http://linkedin.com/in/Foo-${t}/`, profile_data: { firstName: "Listed" } },
      { linkedin_url: `https://www.linkedin.com/in/baz-${t}?x=1`, profile_data: { firstName: "Listed" } },
      { linkedin_url: `https://www.linkedin.com/in/new-${t}`, profile_data: { firstName: "Listed" } },
    ]);

    await expectImport(await d.import(campaignId, listId), 200, { imported: 1, duplicates: 2, invalid: 0, errors: 0, total: 3 }, campaignId, 2);
    const prospects = await prospectsOf(testDb(), campaignId);
    expect(prospects.map((p) => [p.linkedinUrl, p.source, p.firstName])).toEqual([
      [`https://www.linkedin.com/in/foo-${t}`, "api", "Manual"],
      [`https://www.linkedin.com/in/baz-${t}`, "api", "Manual"],
      [`https://www.linkedin.com/in/new-${t}`, "list", "Listed"],
    ]);

    // addCampaignProspects agrees: the imported person, spelled another way, is a duplicate.
    expect(await d.add(campaignId, [{ linkedin_url: `HTTP://LinkedIn.com/in/NEW-${t}/?trk=x` }])).toMatchObject({ imported: 0, duplicates: 1 });
    const campaign = await testDb().prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(campaign.prospectCount).toBe(3);
  });

  it("email: rows whose addresses were added earlier through addCampaignProspects are duplicates, and the other way round", async () => {
    const t = newTag();
    const campaignId = await d.campaign("email");
    expect(await d.add(campaignId, [{ email: ` Foo@X-${t}.io`, first_name: "Manual" }])).toMatchObject({ imported: 1, duplicates: 0 });
    const listId = await d.list([
      { linkedin_url: "imported-1", profile_data: { firstName: "Listed", enrichment: { work_email: `foo@x-${t}.io` } } },
      { linkedin_url: "imported-2", profile_data: { firstName: "Listed", enrichment: { work_email: `new@x-${t}.io` } } },
      { linkedin_url: "imported-3", profile_data: { firstName: "No email", enrichment: {} } },
    ]);

    await expectImport(await d.import(campaignId, listId), 200, { imported: 1, duplicates: 1, invalid: 1, errors: 0, total: 3 }, campaignId, 1);
    const prospects = await prospectsOf(testDb(), campaignId);
    expect(prospects.map((p) => [p.email, p.source, p.firstName])).toEqual([
      [`foo@x-${t}.io`, "api", "Manual"],
      [`new@x-${t}.io`, "list", "Listed"],
    ]);
    expect(await d.add(campaignId, [{ email: `NEW@X-${t}.IO` }])).toMatchObject({ imported: 0, duplicates: 1 });
  });

  it("duplicates are per campaign: the same list goes whole into a second campaign", async () => {
    const listId = await d.list(makeRows({ complete: 5 }));
    const first = await d.campaign("linkedin");
    const second = await d.campaign("linkedin");
    await expectImport(await d.import(first, listId), 200, { imported: 5, duplicates: 0, invalid: 0, errors: 0, total: 5 }, first);
    await expectImport(await d.import(second, listId), 200, { imported: 5, duplicates: 0, invalid: 0, errors: 0, total: 5 }, second);
  });
});

describe.each<Via>(["http", "trpc"])("profile_data of the wrong type, through the real SQL extraction, over %s", (via) => {
  let user: TestUser;
  let d: ReturnType<typeof door>;
  beforeAll(async () => {
    user = await makeUser();
    d = door(via, user);
  });

  // Every row has a real LinkedIn URL; profile_data and its fields take every JSON type.
  const t = newTag();
  const url = (n: number) => `https://www.linkedin.com/in/person-${t}-${n}`;
  const nulls = { email: null, firstName: null, lastName: null, name: null, company: null, position: null, headline: null };
  const cases: { profile_data?: unknown; expected: typeof nulls | Record<string, string | null> }[] = [
    { profile_data: 42, expected: nulls },
    { profile_data: "Ada Lovelace, ada@acme.io", expected: nulls },
    { profile_data: [{ firstName: "Ada", enrichment: { work_email: "ada@acme.io" } }], expected: nulls },
    { profile_data: null, expected: nulls },
    { profile_data: true, expected: nulls },
    { expected: nulls }, // no profile_data at all
    { profile_data: {}, expected: nulls },
    {
      profile_data: { firstName: 42, lastName: { text: "Lovelace" }, fullName: null, currentCompany: ["Acme"], currentRole: false, headline: 1.5, enrichment: "ada@acme.io" },
      expected: nulls,
    },
    { profile_data: { enrichment: ["ada@acme.io"] }, expected: nulls },
    { profile_data: { enrichment: { work_email: 7 } }, expected: nulls },
    { profile_data: { enrichment: { work_email: ["ada@acme.io"] } }, expected: nulls },
    { profile_data: { enrichment: { work_email: { address: "ada@acme.io" } } }, expected: nulls },
    { profile_data: { enrichment: { work_email: null } }, expected: nulls },
    { profile_data: { enrichment: { work_email: "not an address" } }, expected: nulls },
    {
      profile_data: { firstName: "Ada", lastName: 1815, enrichment: { work_email: `  Ada@Acme-${t}.io `, phone: 123 } },
      expected: { ...nulls, email: `ada@acme-${t}.io`, firstName: "Ada", name: "Ada" },
    },
    {
      profile_data: {
        firstName: "José",
        lastName: "Ñúñez-O'Brien",
        fullName: 'José "Pepe" Ñúñez-O\'Brien',
        currentCompany: "Café & Co. \\ Ltd",
        currentRole: "'); DROP TABLE prospects; --",
        headline: "🚀 Growth — 10x {\"json\": true}",
      },
      expected: {
        email: null,
        firstName: "José",
        lastName: "Ñúñez-O'Brien",
        name: 'José "Pepe" Ñúñez-O\'Brien',
        company: "Café & Co. \\ Ltd",
        position: "'); DROP TABLE prospects; --",
        headline: "🚀 Growth — 10x {\"json\": true}",
      },
    },
  ];
  const rows = (): ListRowInput[] =>
    cases.map((c, n) => (c.profile_data === undefined ? { linkedin_url: url(n) } : { linkedin_url: url(n), profile_data: c.profile_data }));

  it("a LinkedIn campaign imports every row, the wrong-typed fields absent", async () => {
    const listId = await d.list(rows());
    const campaignId = await d.campaign("linkedin");
    await expectImport(await d.import(campaignId, listId), 200, { imported: cases.length, duplicates: 0, invalid: 0, errors: 0, total: cases.length }, campaignId);
    const prospects = await prospectsOf(testDb(), campaignId);
    expect(
      prospects.map((p) => ({ email: p.email, firstName: p.firstName, lastName: p.lastName, name: p.name, company: p.company, position: p.position, headline: p.headline })),
    ).toEqual(cases.map((c) => c.expected));
    expect(prospects.map((p) => p.linkedinUrl)).toEqual(cases.map((_, n) => url(n)));
  });

  it("an email campaign imports only the row with a string work email; the rest are invalid", async () => {
    const listId = await d.list(rows());
    const campaignId = await d.campaign("email");
    await expectImport(await d.import(campaignId, listId), 200, { imported: 1, duplicates: 0, invalid: cases.length - 1, errors: 0, total: cases.length }, campaignId);
    expect((await prospectsOf(testDb(), campaignId)).map((p) => p.email)).toEqual([`ada@acme-${t}.io`]);
  });
});
