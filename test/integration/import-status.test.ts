// campaign.importList through both doors: real HTTP (POST /api/campaigns/{id}/leads/import-from-list)
// and the tRPC caller (ctx.response.status carries the REST status). Each status with its exact
// counts; afterwards the database holds exactly what the counts say.
import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { api, callerFor, makeUser, testDb, type TestUser, useRestServer } from "../helpers/context";
import {
  expectImportLanded,
  expectUntouched,
  makeKindedRows,
  makeRows,
  prospectsOf,
  refuseProspectInserts,
  respelled,
  ROW_KINDS,
  seedCampaign,
  seedList,
  type Counts,
} from "../helpers/import-fixtures";
import type { Channel } from "@/server/domain/identity";

const server = useRestServer();

type Via = "http" | "trpc";
type Reply = { status: number; body: any };
// Status and body only: headers such as Date may differ between two otherwise equal answers.
const pickReply = ({ status, body }: Reply): Reply => ({ status, body });

async function importVia(via: Via, user: TestUser, campaignId: string, listId: string): Promise<Reply> {
  if (via === "http") return pickReply(await api(server, user.apiKey, "POST", `/campaigns/${encodeURIComponent(campaignId)}/leads/import-from-list`, { listId }));
  const caller = callerFor(user.id);
  try {
    const body = await caller.campaign.importList({ campaignId, listId });
    return { status: caller.ctx.response.status ?? 200, body };
  } catch (error) {
    if (error instanceof TRPCError) return { status: getHTTPStatusCodeFromError(error), body: { code: error.code, message: error.message } };
    throw error;
  }
}

async function addProspectsVia(via: Via, user: TestUser, campaignId: string, prospects: { email?: string; linkedin_url?: string; first_name?: string }[]) {
  if (via === "http") {
    const res = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads`, { prospects });
    expect(res.status).toBe(200);
    return res.body as { imported: number; duplicates: number };
  }
  return callerFor(user.id).campaign.addProspects({ campaignId, prospects });
}

async function launchVia(via: Via, user: TestUser, campaignId: string) {
  if (via === "http") expect((await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/launch`, {})).status).toBe(200);
  else await callerFor(user.id).campaign.launch({ campaignId });
}

/** The procedure reads IMPORT_FAIL_PAGE on every call: the end-to-end fault switch, on for one call. */
async function withFaultPage<T>(page: number, fn: () => Promise<T>): Promise<T> {
  process.env.IMPORT_FAIL_PAGE = String(page);
  try {
    return await fn();
  } finally {
    delete process.env.IMPORT_FAIL_PAGE;
  }
}

/** Status, exact counts, `partial` only on 206; then the database agrees with the counts. */
async function expectImport(reply: Reply, status: number, counts: Counts, campaignId: string, before = 0) {
  expect(reply.status).toBe(status);
  const { imported, duplicates, invalid, errors, total } = reply.body;
  expect({ imported, duplicates, invalid, errors, total }).toEqual(counts);
  if (status === 206) expect(reply.body.partial).toBe(true);
  else expect(reply.body).not.toHaveProperty("partial");
  const outcome = { 200: "complete", 206: "partial", 422: "nothing_imported", 500: "failed" }[status];
  expect(reply.body.outcome).toBe(outcome);
  await expectImportLanded(testDb(), { campaignId, before, result: { ...reply.body, outcome } });
}

async function runsOf(campaignId: string) {
  return testDb().prisma.importRun.findMany({ where: { campaignId }, orderBy: { startedAt: "asc" } });
}

describe.each<Via>(["http", "trpc"])("import over %s", (via) => {
  let user: TestUser;
  beforeAll(async () => {
    user = await makeUser();
  });

  it("200: a LinkedIn campaign takes the rows with a real profile URL; the fields land in their columns", async () => {
    const kinded = makeKindedRows({ complete: 5, linkedinOnly: 2, wrongTypes: 1, noProfile: 1, placeholder: 2, otherSite: 1 });
    const rows = [...kinded.map((k) => k.row), respelled(kinded[0]!.row)];
    const list = await seedList(testDb(), user.id, rows);
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");

    const reply = await importVia(via, user, campaignId, list.id);
    await expectImport(reply, 200, { imported: 9, duplicates: 1, invalid: 3, errors: 0, total: 13 }, campaignId);

    const prospects = await prospectsOf(testDb(), campaignId);
    const validRowIds = kinded.flatMap((k, i) => (ROW_KINDS[k.kind].linkedin ? [list.rowIds[i]] : []));
    expect(prospects.map((p) => p.sourceRef).sort()).toEqual(validRowIds.sort());
    expect(prospects.every((p) => p.source === "list")).toBe(true);

    const first = kinded[0]!.row;
    const data = first.profile_data as any;
    const kept = prospects.find((p) => p.sourceRef === list.rowIds[0])!;
    expect(kept).toMatchObject({
      linkedinUrl: first.linkedin_url,
      dedupeKey: first.linkedin_url,
      email: data.enrichment.work_email,
      firstName: data.firstName,
      lastName: data.lastName,
      name: data.fullName,
      company: data.currentCompany,
      position: data.currentRole,
      headline: data.headline,
      source: "list",
    });
  });

  it("200: an email campaign takes the rows with a work email, whatever their URL", async () => {
    const kinded = makeKindedRows({ complete: 3, emailOnly: 2, linkedinOnly: 2, placeholder: 1, wrongTypes: 1 });
    const rows = [...kinded.map((k) => k.row), respelled(kinded[1]!.row)];
    const list = await seedList(testDb(), user.id, rows);
    const campaignId = await seedCampaign(testDb(), user.id, "email");

    const reply = await importVia(via, user, campaignId, list.id);
    await expectImport(reply, 200, { imported: 5, duplicates: 1, invalid: 4, errors: 0, total: 10 }, campaignId);

    const prospects = await prospectsOf(testDb(), campaignId);
    const emails = kinded.filter((k) => ROW_KINDS[k.kind].email).map((k) => (k.row.profile_data as any).enrichment.work_email);
    expect(prospects.map((p) => p.email).sort()).toEqual(emails.sort());
    expect(prospects.map((p) => p.dedupeKey).sort()).toEqual(emails.sort());
    // An emailOnly row's placeholder URL is not kept as a LinkedIn URL.
    const emailOnly = prospects.find((p) => p.sourceRef === list.rowIds[kinded.findIndex((k) => k.kind === "emailOnly")])!;
    expect(emailOnly.linkedinUrl).toBeNull();
  });

  it("206 with partial: true when page 2 fails; a retry completes it with the earlier rows as duplicates", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 1500 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");

    const partial = await withFaultPage(2, () => importVia(via, user, campaignId, list.id));
    await expectImport(partial, 206, { imported: 1000, duplicates: 0, invalid: 0, errors: 0, total: 1000 }, campaignId);

    const retry = await importVia(via, user, campaignId, list.id);
    await expectImport(retry, 200, { imported: 500, duplicates: 1000, invalid: 0, errors: 0, total: 1500 }, campaignId, 1000);

    expect((await runsOf(campaignId)).map((r) => r.status)).toEqual(["partial", "complete"]);
    expect(new Set((await prospectsOf(testDb(), campaignId)).map((p) => p.sourceRef))).toEqual(new Set(list.rowIds));
  });

  it("422: every row invalid", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ placeholder: 3, otherSite: 2 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const reply = await importVia(via, user, campaignId, list.id);
    await expectImport(reply, 422, { imported: 0, duplicates: 0, invalid: 5, errors: 0, total: 5 }, campaignId);
  });

  it("422: every row a duplicate of a prospect added earlier through addCampaignProspects", async () => {
    const rows = makeRows({ complete: 4 });
    const list = await seedList(testDb(), user.id, rows);
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    // The same people, added by hand with their emails spelled differently.
    const added = await addProspectsVia(
      via,
      user,
      campaignId,
      rows.map((r) => ({ email: ` ${(r.profile_data as any).enrichment.work_email.toUpperCase()}`, first_name: "Manual" })),
    );
    expect(added).toMatchObject({ imported: 4, duplicates: 0 });

    const reply = await importVia(via, user, campaignId, list.id);
    await expectImport(reply, 422, { imported: 0, duplicates: 4, invalid: 0, errors: 0, total: 4 }, campaignId, 4);
    expect((await prospectsOf(testDb(), campaignId)).map((p) => [p.source, p.firstName])).toEqual(Array(4).fill(["api", "Manual"]));
  });

  it("422: a mix of invalid rows and duplicates (the same list imported twice)", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 3, placeholder: 2 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const first = await importVia(via, user, campaignId, list.id);
    await expectImport(first, 200, { imported: 3, duplicates: 0, invalid: 2, errors: 0, total: 5 }, campaignId);
    const again = await importVia(via, user, campaignId, list.id);
    await expectImport(again, 422, { imported: 0, duplicates: 3, invalid: 2, errors: 0, total: 5 }, campaignId, 3);
  });

  it("422: an empty list", async () => {
    const list = await seedList(testDb(), user.id, []);
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    const reply = await importVia(via, user, campaignId, list.id);
    await expectImport(reply, 422, { imported: 0, duplicates: 0, invalid: 0, errors: 0, total: 0 }, campaignId);
  });

  it("500 when the first page read fails: nothing read, nothing written", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 20 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const reply = await withFaultPage(1, () => importVia(via, user, campaignId, list.id));
    await expectImport(reply, 500, { imported: 0, duplicates: 0, invalid: 0, errors: 0, total: 0 }, campaignId);
    expect((await runsOf(campaignId)).map((r) => r.status)).toEqual(["failed"]);
  });

  it("500 when every insert batch fails (the database refuses the inserts); the counts still add up", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 3, placeholder: 1 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const undo = await refuseProspectInserts(testDb(), campaignId);
    let reply: Reply;
    try {
      reply = await importVia(via, user, campaignId, list.id);
    } finally {
      await undo();
    }
    await expectImport(reply, 500, { imported: 0, duplicates: 0, invalid: 1, errors: 3, total: 4 }, campaignId);
    expect(JSON.stringify(reply.body)).not.toMatch(/No space left|prospects|INSERT/);
  });

  it("404, the same for a missing and for another user's list or campaign; nothing is written", async () => {
    const other = await makeUser();
    const myList = await seedList(testDb(), user.id, makeRows({ complete: 2 }));
    const myCampaign = await seedCampaign(testDb(), user.id, "linkedin");
    const theirList = await seedList(testDb(), other.id, makeRows({ complete: 2 }));
    const theirCampaign = await seedCampaign(testDb(), other.id, "linkedin");
    const missing = "6f1c2b9e-4a7d-4c3e-9b1a-2d5e8f0a1b2c";
    const nil = "00000000-0000-0000-0000-000000000000";

    const missingList = await importVia(via, user, myCampaign, missing);
    const nilList = await importVia(via, user, myCampaign, nil);
    const foreignList = await importVia(via, user, myCampaign, theirList.id);
    expect(missingList.status).toBe(404);
    expect(foreignList).toEqual(missingList);
    expect(nilList).toEqual(missingList);

    const missingCampaign = await importVia(via, user, missing, myList.id);
    const foreignCampaign = await importVia(via, user, theirCampaign, myList.id);
    const foreignBoth = await importVia(via, user, theirCampaign, theirList.id);
    expect(missingCampaign.status).toBe(404);
    expect(foreignCampaign).toEqual(missingCampaign);
    expect(foreignBoth.status).toBe(404);
    expect(JSON.stringify([missingList.body, missingCampaign.body])).not.toContain(other.id);

    await expectUntouched(testDb(), myCampaign);
    await expectUntouched(testDb(), theirCampaign);
    expect(await runsOf(myCampaign)).toEqual([]);
    expect(await runsOf(theirCampaign)).toEqual([]);
  });

  it.each<Channel>(["linkedin", "email"])("400 for a launched %s campaign; its prospects are untouched", async (channel) => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 3 }));
    const campaignId = await seedCampaign(testDb(), user.id, channel);
    await addProspectsVia(via, user, campaignId, [{ email: "kept@acme.io", linkedin_url: "https://www.linkedin.com/in/kept" }]);
    await launchVia(via, user, campaignId);

    const reply = await importVia(via, user, campaignId, list.id);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/draft/);
    expect(reply.body).not.toHaveProperty("imported");
    await expectUntouched(testDb(), campaignId, 1);
    expect(await runsOf(campaignId)).toEqual([]);
  });

  it("400 for ids failing the UUID pattern", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 1 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const bad = [
      "not-a-uuid",
      "12345",
      "6f1c2b9e4a7d4c3e9b1a2d5e8f0a1b2c", // no dashes
      "6f1c2b9e-4a7d-0c3e-9b1a-2d5e8f0a1b2c", // version 0
      "6f1c2b9e-4a7d-9c3e-9b1a-2d5e8f0a1b2c", // version 9
      "6f1c2b9e-4a7d-4c3e-cb1a-2d5e8f0a1b2c", // variant c
      "6f1c2b9e-4a7d-4c3e-9b1a-2d5e8f0a1b2", // one digit short
      "{6f1c2b9e-4a7d-4c3e-9b1a-2d5e8f0a1b2c}",
    ];
    for (const id of bad) {
      const badList = await importVia(via, user, campaignId, id);
      expect(badList.status, `listId ${id}`).toBe(400);
      const badCampaign = await importVia(via, user, id, list.id);
      expect(badCampaign.status, `campaignId ${id}`).toBe(400);
    }
    await expectUntouched(testDb(), campaignId);
    expect(await runsOf(campaignId)).toEqual([]);
  });

  it("ids in capitals match the pattern and name the same list and campaign", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 2 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const reply = await importVia(via, user, campaignId.toUpperCase(), list.id.toUpperCase());
    await expectImport(reply, 200, { imported: 2, duplicates: 0, invalid: 0, errors: 0, total: 2 }, campaignId);
  });
});

describe("import over http only", () => {
  it("401 without a key, and with an unknown key; nothing is written", async () => {
    const user = await makeUser();
    const list = await seedList(testDb(), user.id, makeRows({ complete: 2 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const path = `/campaigns/${campaignId}/leads/import-from-list`;
    expect((await api(server, null, "POST", path, { listId: list.id })).status).toBe(401);
    expect((await api(server, "oc_not_a_real_key", "POST", path, { listId: list.id })).status).toBe(401);
    await expectUntouched(testDb(), campaignId);
  });

  it("400 when the body has no listId, or a listId of the wrong type", async () => {
    const user = await makeUser();
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const path = `/campaigns/${campaignId}/leads/import-from-list`;
    expect((await api(server, user.apiKey, "POST", path, {})).status).toBe(400);
    expect((await api(server, user.apiKey, "POST", path, { listId: 42 })).status).toBe(400);
    await expectUntouched(testDb(), campaignId);
  });
});
