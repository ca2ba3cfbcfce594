// Why rows were not imported (issue 12): the preview before an import, the counts by reason in
// every answer, and the skipped-rows report (JSON pages and CSV) after it. Everything is checked
// against real imports on a real database: the preview equals the import that follows, and the
// report's rows by reason equal the run's counts for 200, 206 and 422, before and after later
// writes to the campaign.
import { describe, expect, it } from "vitest";
import Papa from "papaparse";
import { api, callerFor, makeUser, testDb, type TestUser, useRestServer } from "../helpers/context";
import { makeRows, refuseProspectInserts, respelled, rowOf, seedCampaign, seedList, newTag } from "../helpers/import-fixtures";
import { importList } from "@/server/domain/import-list/import-list";
import { failOnPage } from "@/server/domain/import-list/fault-injection";
import type { Channel } from "@/server/domain/identity";
import type { ListRowInput } from "@/server/domain/lists";
import { INVALID_REASONS, type SkipReason } from "@/server/domain/skip-reasons";

const server = useRestServer();

type Item = { listRowId: string; linkedinUrl: string | null; name: string | null; reason: SkipReason; repeatsRowId: string | null; errorClass: string | null };

/** A list with every reason of the channel, and the people the campaign already holds. */
function mixedList(channel: Channel) {
  const tag = newTag();
  const fresh = [0, 1, 2, 3].map((i) => rowOf("complete", i, tag));
  const held = rowOf("complete", 10, tag);
  const rows: ListRowInput[] = [
    ...fresh,
    respelled(fresh[0]!), // repeated_in_list, of row 0
    held, // already_in_campaign
    respelled(held), // already_in_campaign too: the person was in before this import
    fresh[1]!, // repeated_in_list, of row 1
  ];
  if (channel === "linkedin") {
    rows.push(
      { linkedin_url: null, profile_data: { firstName: "No", enrichment: { work_email: "no.url@acme.io" } } }, // missing_linkedin_url
      { linkedin_url: "  ", profile_data: null }, // missing_linkedin_url
      rowOf("placeholder", 20, tag), // placeholder_url
      { linkedin_url: "https://www.linkedin.com/company/acme", profile_data: null }, // not_a_profile_url
      rowOf("otherSite", 21, tag), // not_a_profile_url
    );
  } else {
    rows.push(
      rowOf("linkedinOnly", 20, tag), // missing_email
      { linkedin_url: "imported-x", profile_data: { enrichment: { work_email: "not-an-address" } } }, // malformed_email
      { linkedin_url: "imported-y", profile_data: { enrichment: { work_email: "two@at@acme.io" } } }, // malformed_email
    );
  }
  const expected =
    channel === "linkedin"
      ? { invalidReasons: { missing_linkedin_url: 2, placeholder_url: 1, not_a_profile_url: 2, missing_email: 0, malformed_email: 0 } }
      : { invalidReasons: { missing_linkedin_url: 0, placeholder_url: 0, not_a_profile_url: 0, missing_email: 1, malformed_email: 2 } };
  return { rows, held, expected: { ...expected, duplicateReasons: { already_in_campaign: 2, repeated_in_list: 2 }, imported: 4 } };
}

async function skippedAll(user: TestUser, runId: string, query = "", limit = 1000): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const res = await api(server, user.apiKey, "GET", `/imports/${runId}/skipped?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}${query}`);
    expect(res.status).toBe(200);
    items.push(...(res.body.items as Item[]));
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** The report's rows added up as the run counts them. */
function countsOf(items: Item[]) {
  const by = (reason: SkipReason) => items.filter((i) => i.reason === reason).length;
  return {
    invalidReasons: Object.fromEntries(INVALID_REASONS.map((r) => [r, by(r)])),
    duplicateReasons: { already_in_campaign: by("already_in_campaign"), repeated_in_list: by("repeated_in_list") },
    errors: by("batch_failed"),
  };
}

const runCountsOf = (run: { invalidReasons: unknown; duplicateReasons: unknown; errors: number }) => ({
  invalidReasons: run.invalidReasons,
  duplicateReasons: run.duplicateReasons,
  errors: run.errors,
});

async function csvOf(user: TestUser, runId: string) {
  const res = await fetch(`${server.baseUrl}/imports/${runId}/skipped.csv`, { headers: { authorization: `Bearer ${user.apiKey}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="skipped-rows-[0-9a-f-]+\.csv"$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte order mark: Excel reads the file as UTF-8
  const text = new TextDecoder().decode(bytes); // drops the mark
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe.each(["linkedin", "email"] as const)("a %s campaign and a list with every reason", (channel) => {
  it("preview = the import after it (200); the report and the CSV give each skipped row its reason, adding up to the run's counts", async () => {
    const user = await makeUser();
    const { rows, held, expected } = mixedList(channel);
    const list = await seedList(testDb(), user.id, rows);
    const campaignId = await seedCampaign(testDb(), user.id, channel);
    const heldIdentity = channel === "linkedin" ? { linkedin_url: held.linkedin_url! } : { email: (held.profile_data as any).enrichment.work_email };
    expect((await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads`, { prospects: [heldIdentity] })).status).toBe(200);

    const preview = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list/preview`, { listId: list.id });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ ...expected, duplicates: 4, invalid: rows.length - 8, total: rows.length });
    expect(await testDb().prisma.prospect.count({ where: { campaignId } })).toBe(1); // wrote nothing

    const imported = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id });
    expect(imported.status).toBe(200);
    const { imported: n, duplicates, invalid, total, invalidReasons, duplicateReasons } = imported.body;
    expect({ imported: n, duplicates, invalid, total, invalidReasons, duplicateReasons }).toEqual(preview.body);

    const runId = imported.body.runId as string;
    const run = await api(server, user.apiKey, "GET", `/imports/${runId}`);
    expect(run.body).toMatchObject({ invalidReasons, duplicateReasons });

    const items = await skippedAll(user, runId);
    expect(countsOf(items)).toEqual(runCountsOf(imported.body));
    expect(items).toHaveLength(duplicates + invalid);
    // Repeats name the earlier row with the same person.
    const repeats = items.filter((i) => i.reason === "repeated_in_list");
    expect(repeats.map((r) => [r.listRowId, r.repeatsRowId])).toEqual([
      [list.rowIds[4], list.rowIds[0]],
      [list.rowIds[7], list.rowIds[1]],
    ]);
    expect(items.find((i) => i.listRowId === list.rowIds[5])).toMatchObject({ reason: "already_in_campaign", linkedinUrl: held.linkedin_url, name: (held.profile_data as any).fullName });

    // One reason only, in pages of two.
    const invalidOnly = await skippedAll(user, runId, `&reason=${channel === "linkedin" ? "not_a_profile_url" : "malformed_email"}`, 1);
    expect(invalidOnly).toHaveLength(2);

    const csv = await csvOf(user, runId);
    expect(csv.map((r) => [r.list_row_id, r.reason, r.repeats_row_id])).toEqual(items.map((i) => [i.listRowId, i.reason, i.repeatsRowId ?? ""]));

    // Later writes to the campaign change nothing the earlier run's report says.
    const again = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id });
    expect(again.status).toBe(422);
    expect(again.body.duplicateReasons).toEqual({ already_in_campaign: 8, repeated_in_list: 0 });
    const fresh = channel === "linkedin" ? { linkedin_url: `https://www.linkedin.com/in/later-${newTag()}` } : { email: `later-${newTag()}@acme.io` };
    expect((await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads`, { prospects: [fresh] })).status).toBe(200);
    expect((await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/launch`)).status).toBe(200);
    expect(await skippedAll(user, runId)).toEqual(items);
    expect(await csvOf(user, runId)).toEqual(csv);
    // And the 422 run's report adds up to its own counts.
    expect(countsOf(await skippedAll(user, again.body.runId))).toEqual(runCountsOf(again.body));
  });
});

describe("repeats across batches and pages", () => {
  it("a person met again on a later page is repeated_in_list, naming the earlier row; the preview says so first", async () => {
    const user = await makeUser();
    const rows = makeRows({ complete: 1200 });
    rows.push(respelled(rows[3]!), rows[700]!, rows[5]!); // page 2 repeats batch 1, batch 2, and a person already in
    const list = await seedList(testDb(), user.id, rows);
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    expect((await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads`, { prospects: [{ linkedin_url: rows[5]!.linkedin_url! }] })).status).toBe(200);

    const preview = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list/preview`, { listId: list.id });
    expect(preview.body.duplicateReasons).toEqual({ already_in_campaign: 2, repeated_in_list: 2 });
    const result = await importList(testDb(), { userId: user.id, campaignId, listId: list.id });
    expect({ imported: result.imported, duplicates: result.duplicates, invalid: result.invalid }).toEqual({
      imported: preview.body.imported,
      duplicates: preview.body.duplicates,
      invalid: preview.body.invalid,
    });
    const run = await api(server, user.apiKey, "GET", `/imports/${result.runId}`);
    expect(run.body.duplicateReasons).toEqual(preview.body.duplicateReasons);
    const items = await skippedAll(user, result.runId, "&reason=repeated_in_list");
    expect(items.map((i) => [i.listRowId, i.repeatsRowId])).toEqual([
      [list.rowIds[1200], list.rowIds[3]],
      [list.rowIds[1201], list.rowIds[700]],
    ]);
    expect(countsOf(await skippedAll(user, result.runId))).toEqual(runCountsOf(run.body));
  });
});

describe("the report of runs that stopped or failed part-way", () => {
  it("206 (page 2 could not be read): the report covers the rows read, exactly as counted", async () => {
    const user = await makeUser();
    const tag = newTag();
    const base = makeRows({ complete: 1100, placeholder: 60 }, tag);
    const rows = [...base, respelled(base[0]!), respelled(base[1200 % base.length]!)];
    const list = await seedList(testDb(), user.id, rows);
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const result = await importList(testDb(), { userId: user.id, campaignId, listId: list.id }, { readPage: failOnPage(2) });
    expect(result.outcome).toBe("partial");
    expect(result.total).toBe(1000);
    const run = await api(server, user.apiKey, "GET", `/imports/${result.runId}`);
    expect(run.body.httpStatus).toBe(206);
    const items = await skippedAll(user, result.runId);
    expect(countsOf(items)).toEqual(runCountsOf(run.body));
    expect(Math.max(...items.map((i) => Number(i.listRowId)))).toBeLessThanOrEqual(Number(list.rowIds[999]));
  });

  it("a failed batch: its rows are batch_failed with the error's class (no SQL), also after the campaign gains those people later", async () => {
    const user = await makeUser();
    const rows = makeRows({ complete: 1200, otherSite: 10 });
    const list = await seedList(testDb(), user.id, rows);
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    // The trigger refuses the rows of the second batch only.
    const release = await refuseProspectInserts(testDb(), campaignId, [list.rowIds[600]!]);
    const result = await importList(testDb(), { userId: user.id, campaignId, listId: list.id });
    await release();
    expect(result.outcome).toBe("complete");
    expect(result.errors).toBe(490); // page 1's second batch: its 1000 rows hold 10 invalid ones

    const items = await skippedAll(user, result.runId);
    const run = await api(server, user.apiKey, "GET", `/imports/${result.runId}`);
    expect(countsOf(items)).toEqual(runCountsOf(run.body));
    const failed = items.filter((i) => i.reason === "batch_failed");
    expect(failed).toHaveLength(490);
    expect(new Set(failed.map((f) => f.errorClass))).toEqual(new Set(["DatabaseError P0001"]));
    expect(JSON.stringify(failed)).not.toMatch(/No space|INSERT|prospects/);

    // A later import brings those rows in: the first run's report still says they failed.
    const again = await importList(testDb(), { userId: user.id, campaignId, listId: list.id });
    expect(again.imported).toBe(490);
    expect(await skippedAll(user, result.runId)).toEqual(items);
  });
});

describe("the CSV file", () => {
  it("round-trips awkward values through papaparse, and neutralises formulas", async () => {
    const user = await makeUser();
    const awkward = [
      "Comma, Inc.",
      'Quote "the" company',
      "Line\nbreak\r\nand CRLF",
      "Emoji 🚀👩🏽‍💻",
      "עברית مرحبا right-to-left",
      '=HYPERLINK("https://evil.example","click")',
      "+1 555 0100",
      "-2+3",
      "@SUM(A1:A2)",
    ];
    const rows: ListRowInput[] = awkward.map((value, i) => ({
      linkedin_url: `imported-${i}`, // placeholder_url: every row is in the report
      profile_data: { fullName: value, currentCompany: value, headline: `${value} ${i}` },
    }));
    const list = await seedList(testDb(), user.id, rows);
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const result = await importList(testDb(), { userId: user.id, campaignId, listId: list.id });
    expect(result.outcome).toBe("nothing_imported");

    const csv = await csvOf(user, result.runId);
    expect(csv).toHaveLength(awkward.length);
    const formula = /^[=+\-@]/;
    csv.forEach((record, i) => {
      const value = awkward[i]!;
      const shown = formula.test(value) ? `'${value}` : value;
      expect(record).toMatchObject({ list_row_id: list.rowIds[i], reason: "placeholder_url", full_name: shown, company: shown, linkedin_url: `imported-${i}` });
      expect(record.headline).toBe(formula.test(value) ? `'${value} ${i}` : `${value} ${i}`);
    });
    // No cell starts with a formula character.
    for (const record of csv) for (const cell of Object.values(record)) expect(cell).not.toMatch(formula);
  });
});

describe("ownership", () => {
  it("someone else's run: 404 for the report, the CSV and the preview; no key: 401", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const list = await seedList(testDb(), alice.id, makeRows({ placeholder: 3 }));
    const campaignId = await seedCampaign(testDb(), alice.id, "linkedin");
    const { runId } = await importList(testDb(), { userId: alice.id, campaignId, listId: list.id });

    expect((await api(server, bob.apiKey, "GET", `/imports/${runId}/skipped`)).status).toBe(404);
    const csv = await fetch(`${server.baseUrl}/imports/${runId}/skipped.csv`, { headers: { authorization: `Bearer ${bob.apiKey}` } });
    expect(csv.status).toBe(404);
    expect(await csv.json()).toEqual({ message: "import run not found", code: "NOT_FOUND" });
    expect((await api(server, bob.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list/preview`, { listId: list.id })).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/imports/${runId}/skipped.csv`)).status).toBe(401);
    expect((await fetch(`${server.baseUrl}/imports/not-a-uuid/skipped.csv`, { headers: { authorization: `Bearer ${alice.apiKey}` } })).status).toBe(400);
    expect((await api(server, alice.apiKey, "GET", `/imports/${runId}/skipped`)).body.items).toHaveLength(3);
  });
});

describe("addCampaignProspects speaks the same reasons", () => {
  const cases: { channel: Channel; prospect: { email?: string; linkedin_url?: string }; reason: string }[] = [
    { channel: "linkedin", prospect: { email: "a@acme.io" }, reason: "missing_linkedin_url" },
    { channel: "linkedin", prospect: { linkedin_url: "imported-7" }, reason: "placeholder_url" },
    { channel: "linkedin", prospect: { linkedin_url: "https://www.linkedin.com/company/acme" }, reason: "not_a_profile_url" },
    { channel: "email", prospect: { linkedin_url: "https://www.linkedin.com/in/ada" }, reason: "missing_email" },
    { channel: "email", prospect: { email: "ada@localhost" }, reason: "malformed_email" },
  ];
  it.each(cases)("$channel: $reason", async ({ channel, prospect, reason }) => {
    const user = await makeUser();
    const campaignId = await seedCampaign(testDb(), user.id, channel);
    const res = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads`, { prospects: [prospect] });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(new RegExp(`^prospects\\[0\\]: ${reason}\\. `));
  });

  it("duplicates by reason: repeated in the call, or already in the campaign", async () => {
    const user = await makeUser();
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    const caller = callerFor(user.id);
    expect(await caller.campaign.addProspects({ campaignId, prospects: [{ email: "a@acme.io" }] })).toMatchObject({ imported: 1 });
    const second = await caller.campaign.addProspects({
      campaignId,
      prospects: [{ email: "A@acme.io" }, { email: "b@acme.io" }, { email: " B@ACME.io" }, { email: "b@acme.io" }, { email: "a@acme.io" }],
    });
    expect(second).toEqual({ imported: 1, duplicates: 4, duplicateReasons: { already_in_campaign: 2, repeated_in_list: 2 } });
  });

  it("every person of the call new, some of them twice: each refused row repeats one of the call", async () => {
    const user = await makeUser();
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    const result = await callerFor(user.id).campaign.addProspects({
      campaignId,
      prospects: [{ email: "c@acme.io" }, { email: "C@acme.io" }, { email: "d@acme.io" }, { email: "c@acme.io" }, { email: "e@acme.io" }],
    });
    expect(result).toEqual({ imported: 3, duplicates: 2, duplicateReasons: { already_in_campaign: 0, repeated_in_list: 2 } });
  });
});
