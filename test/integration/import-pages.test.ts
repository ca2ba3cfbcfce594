// The import over many pages and batches, with failures injected through importList's seams
// (its row reader and its batch writer) and, once, by the database itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, callerFor, closeTestDb, makeUser, startRestServer, testDb, type RestServer, type TestUser } from "../helpers/context";
import {
  expectImportLanded,
  makeKindedRows,
  makeRows,
  personFor,
  prospectsOf,
  refuseProspectInserts,
  respelled,
  ROW_KINDS,
  seedCampaign,
  seedList,
  newTag,
} from "../helpers/import-fixtures";
import { importList, type ImportListDeps } from "@/server/domain/import-list/import-list";
import { listRowReader, PAGE_SIZE } from "@/server/domain/import-list/read-pages";
import { BATCH_SIZE } from "@/server/domain/import-list/write-batch";
import { launchCampaign } from "@/server/domain/campaigns";
import type { ImportCounts } from "@/server/domain/import-list/outcome";

let user: TestUser;
beforeAll(async () => {
  user = await makeUser();
});
afterAll(async () => {
  await closeTestDb();
});

const db = () => testDb();
const run = (campaignId: string, listId: string, deps?: ImportListDeps) => importList(db(), { userId: user.id, campaignId, listId }, deps);
const countsOf = ({ imported, duplicates, invalid, errors, total }: ImportCounts) => ({ imported, duplicates, invalid, errors, total });

/** A reader whose Nth read (1-based) throws, as a dropped connection would. */
const readFailingOn =
  (n: number): ImportListDeps["readPage"] =>
  (base) => {
    let reads = 0;
    return async (afterId) => {
      if (++reads === n) throw new Error(`connection terminated unexpectedly (injected on read ${n})`);
      return base(afterId);
    };
  };

describe("a list of 2,700 rows: several pages and batches", () => {
  it("reads pages of at most 1000 in key order, writes batches of at most 500, and every valid row lands with its fields", async () => {
    const tag = newTag();
    const kinded = makeKindedRows({ complete: 2300, linkedinOnly: 150, placeholder: 100, otherSite: 50 }, tag);
    // 100 people a second time, spelled differently, spread over the list: later pages and batches meet earlier ones.
    const repeats = Array.from({ length: 100 }, (_, i) => respelled(kinded[i * 24]!.row));
    const rows = [...kinded.map((k) => k.row), ...repeats];
    // Row ids that cross a power of ten inside the list (…9999 → 10000): text order and number
    // order differ there, so a page sorted by the text form of the id would skip rows.
    await db().pool.query(
      `SELECT setval('list_rows_id_seq', (10 ^ ceil(log(GREATEST(last_value, 10) + 3000)))::bigint - 1500) FROM list_rows_id_seq`,
    );
    const list = await seedList(db(), user.id, rows);
    expect(list.rowIds[0]!.length).toBeLessThan(list.rowIds.at(-1)!.length);
    const campaignId = await seedCampaign(db(), user.id, "linkedin");

    const pages: string[][] = [];
    const batches: number[] = [];
    const progress: ImportCounts[] = [];
    const runRecordAfterBatch: ({ imported: number; duplicatesAndImported: number } | null)[] = [];
    const expectedAfterBatch: { imported: number; duplicatesAndImported: number }[] = [];
    let insertedSoFar = 0;
    const result = await run(campaignId, list.id, {
      readPage: (base) => async (afterId) => {
        const page = await base(afterId);
        pages.push(page.map((r) => r.id));
        return page;
      },
      writeBatch: (base) => async (batch) => {
        batches.push(batch.length);
        const result = await base(batch);
        // Once a batch has committed, the run record holds it (and every batch before it).
        const record = await db().prisma.importRun.findFirst({ where: { campaignId, status: "running" } });
        insertedSoFar += result.inserted;
        runRecordAfterBatch.push(record && { imported: record.imported, duplicatesAndImported: record.imported + record.duplicates });
        expectedAfterBatch.push({ imported: insertedSoFar, duplicatesAndImported: batches.slice(0, runRecordAfterBatch.length).reduce((a, b) => a + b, 0) });
        return result;
      },
      onProgress: (counts) => progress.push(counts),
    });

    expect(countsOf(result)).toMatchObject({ imported: 2450, duplicates: 100, invalid: 150, errors: 0, total: 2700 });
    expect(result.outcome).toBe("complete");
    await expectImportLanded(db(), { campaignId, result });

    // Pages: full pages of 1000 but the last, each in key order, following on from the one before.
    expect(pages.every((p) => p.length <= PAGE_SIZE)).toBe(true);
    expect(pages.filter((p) => p.length > 0).map((p) => p.length)).toEqual([1000, 1000, 700]);
    expect(pages.flat()).toEqual(list.rowIds);

    // Batches: none above 500, together every valid row.
    expect(Math.max(...batches)).toBeLessThanOrEqual(BATCH_SIZE);
    expect(batches.length).toBeGreaterThanOrEqual(6);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(2450 + 100);

    // Progress after every batch, and the run record holding each batch as soon as it committed
    // (the next batch may already have moved it further by the time it is read: never less).
    expect(progress.length).toBeGreaterThanOrEqual(batches.length);
    expect(runRecordAfterBatch).toHaveLength(batches.length);
    runRecordAfterBatch.forEach((record, i) => {
      expect(record!.imported).toBeGreaterThanOrEqual(expectedAfterBatch[i]!.imported);
      expect(record!.duplicatesAndImported).toBeGreaterThanOrEqual(expectedAfterBatch[i]!.duplicatesAndImported);
    });
    expect(progress.at(-1)).toEqual(expect.objectContaining(countsOf(result)));

    // Every prospect is the first spelling of its row's person, its fields in their columns.
    const prospects = await prospectsOf(db(), campaignId);
    const indexOf = new Map(list.rowIds.map((id, i) => [id, i]));
    const expected = kinded.flatMap((k, i) => (ROW_KINDS[k.kind].linkedin ? [i] : []));
    expect(prospects.map((p) => indexOf.get(p.sourceRef!)!).sort((a, b) => a - b)).toEqual(expected);
    const columns = prospects.map((p) => ({
      i: indexOf.get(p.sourceRef!)!,
      linkedinUrl: p.linkedinUrl,
      dedupeKey: p.dedupeKey,
      email: p.email,
      firstName: p.firstName,
      lastName: p.lastName,
      name: p.name,
      company: p.company,
      position: p.position,
      headline: p.headline,
      source: p.source,
    }));
    const wanted = expected.map((i) => {
      const person = personFor(i, tag);
      return {
        i,
        linkedinUrl: person.linkedinUrl,
        dedupeKey: person.linkedinUrl,
        email: kinded[i]!.kind === "complete" ? person.workEmail : null,
        firstName: person.firstName,
        lastName: person.lastName,
        name: person.fullName,
        company: person.company,
        position: person.role,
        headline: person.headline,
        source: "list",
      };
    });
    expect(columns.sort((a, b) => a.i - b.i)).toEqual(wanted);
  });

  it("the reader refuses pages larger than 1000", () => {
    expect(() => listRowReader(db().pool, "6f1c2b9e-4a7d-4c3e-9b1a-2d5e8f0a1b2c", PAGE_SIZE + 1)).toThrow();
  });

  it("page 2 fails: 206-partial with exactly what was committed; a retry completes the import with the earlier rows as duplicates", async () => {
    const kinded = makeKindedRows({ complete: 2400, placeholder: 100 });
    const list = await seedList(db(), user.id, kinded.map((k) => k.row));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    const validOnPage1 = kinded.slice(0, PAGE_SIZE).filter((k) => k.kind === "complete").length;

    const partial = await run(campaignId, list.id, { readPage: readFailingOn(2) });
    expect(partial.outcome).toBe("partial");
    expect(countsOf(partial)).toMatchObject({ imported: validOnPage1, duplicates: 0, invalid: PAGE_SIZE - validOnPage1, errors: 0, total: PAGE_SIZE });
    await expectImportLanded(db(), { campaignId, result: partial });

    const retry = await run(campaignId, list.id);
    expect(retry.outcome).toBe("complete");
    expect(countsOf(retry)).toMatchObject({ imported: 2400 - validOnPage1, duplicates: validOnPage1, invalid: 100, errors: 0, total: 2500 });
    await expectImportLanded(db(), { campaignId, before: validOnPage1, result: retry });
  });

  it("page 3 fails after two full pages: 206 with both pages committed", async () => {
    const list = await seedList(db(), user.id, makeRows({ complete: 2500 }));
    const campaignId = await seedCampaign(db(), user.id, "email");
    const result = await run(campaignId, list.id, { readPage: readFailingOn(3) });
    expect(result.outcome).toBe("partial");
    expect(countsOf(result)).toMatchObject({ imported: 2000, duplicates: 0, invalid: 0, errors: 0, total: 2000 });
    await expectImportLanded(db(), { campaignId, result });
  });

  it("the first page read fails: failed (500), nothing read, nothing written", async () => {
    const list = await seedList(db(), user.id, makeRows({ complete: 1200 }));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    const result = await run(campaignId, list.id, { readPage: readFailingOn(1) });
    expect(result.outcome).toBe("failed");
    expect(countsOf(result)).toMatchObject({ imported: 0, duplicates: 0, invalid: 0, errors: 0, total: 0 });
    await expectImportLanded(db(), { campaignId, result });
  });

  it("the 2nd batch fails: its rows are errors, the batches before and after it land", async () => {
    const list = await seedList(db(), user.id, makeRows({ complete: 2000 }));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    const failedRefs: string[] = [];
    let calls = 0;
    const result = await run(campaignId, list.id, {
      writeBatch: (base) => async (batch) => {
        if (++calls === 2) {
          failedRefs.push(...batch.map((p) => p.sourceRef!));
          throw new Error("deadlock detected (injected)");
        }
        return base(batch);
      },
    });
    expect(calls).toBe(4);
    expect(result.outcome).toBe("complete");
    expect(countsOf(result)).toMatchObject({ imported: 1500, duplicates: 0, invalid: 0, errors: 500, total: 2000 });
    await expectImportLanded(db(), { campaignId, result });

    const stored = new Set((await prospectsOf(db(), campaignId)).map((p) => p.sourceRef));
    expect(failedRefs).toHaveLength(500);
    expect(failedRefs.some((ref) => stored.has(ref))).toBe(false);
    expect(list.rowIds.filter((id) => !failedRefs.includes(id)).every((id) => stored.has(id))).toBe(true);
  });

  it("a batch commits but its answer is lost (a network cut): its rows count as imported, not errors", async () => {
    const list = await seedList(db(), user.id, makeRows({ complete: 1500 }));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    let calls = 0;
    const result = await run(campaignId, list.id, {
      writeBatch: (base) => async (batch) => {
        const written = await base(batch);
        if (++calls === 2) throw new Error("Connection terminated unexpectedly (injected after the commit)");
        return written;
      },
    });
    expect(calls).toBe(3);
    expect(result.outcome).toBe("complete");
    expect(countsOf(result)).toMatchObject({ imported: 1500, duplicates: 0, invalid: 0, errors: 0, total: 1500 });
    await expectImportLanded(db(), { campaignId, result });
  });

  it("the only batch commits but its answer is lost: still imported (200), not a failed import", async () => {
    const list = await seedList(db(), user.id, makeRows({ complete: 40, placeholder: 2 }));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    const result = await run(campaignId, list.id, {
      writeBatch: (base) => async (batch) => {
        await base(batch);
        throw new Error("Connection terminated unexpectedly (injected after the commit)");
      },
    });
    expect(result.outcome).toBe("complete");
    expect(countsOf(result)).toMatchObject({ imported: 40, duplicates: 0, invalid: 2, errors: 0, total: 42 });
    await expectImportLanded(db(), { campaignId, result });
  });

  it("every batch fails: failed (500), the rows are errors, invalid rows still counted", async () => {
    const list = await seedList(db(), user.id, makeRows({ complete: 1200, placeholder: 30 }));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    const result = await run(campaignId, list.id, {
      writeBatch: () => async () => {
        throw new Error("could not write block (injected)");
      },
    });
    expect(result.outcome).toBe("failed");
    expect(countsOf(result)).toMatchObject({ imported: 0, duplicates: 0, invalid: 30, errors: 1200, total: 1230 });
    await expectImportLanded(db(), { campaignId, result });
  });

  it("the campaign is launched mid-run: what went in stays, the rest counts as errors, 206-partial", async () => {
    const list = await seedList(db(), user.id, makeRows({ complete: 1500 }));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    let calls = 0;
    let chain: Promise<unknown> = Promise.resolve();
    const result = await run(campaignId, list.id, {
      // Each batch goes to the writer once the one before has finished, and the launch happens
      // between batch 1 (committed) and batch 2: the launch runs on another connection, so
      // otherwise batch 1's statement or a later batch's could take the campaign's row first.
      writeBatch: (base) => (batch) => {
        const n = ++calls;
        const written = chain.then(async () => {
          if (n === 2) await launchCampaign(db(), user.id, campaignId);
          return base(batch);
        });
        chain = written.catch(() => undefined);
        return written;
      },
    });
    expect(result.outcome).toBe("partial");
    // Batch 3 is on page 2, read ahead on another connection. Whether page 2 had arrived (and
    // batch 3 been handed to the writer) before batch 2 found the campaign closed is a race:
    // either batch 3 found it closed too (1000 errors, all rows read), or the run stopped after
    // page 1 (500 errors, page 2 never counted). Either way only batch 1 went in.
    expect([2, 3]).toContain(calls);
    expect(countsOf(result)).toMatchObject({ imported: 500, duplicates: 0, invalid: 0, errors: 500 * (calls - 1), total: 500 * calls });
    await expectImportLanded(db(), { campaignId, result });
    expect((await db().prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("active");
  });
});

describe("a batch the database refuses, over http and tRPC", () => {
  let server: RestServer;
  beforeAll(async () => {
    server = await startRestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(["http", "trpc"] as const)("%s: 200 with the refused batch as errors, the other batches in", async (via) => {
    const list = await seedList(db(), user.id, makeRows({ complete: 1500 }));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    // Row 700 sits in the second batch of page 1 (rows 500-999).
    const undo = await refuseProspectInserts(db(), campaignId, [list.rowIds[700]!]);
    let reply: { status: number; body: any };
    try {
      if (via === "http") {
        reply = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/leads/import-from-list`, { listId: list.id });
      } else {
        const caller = callerFor(user.id);
        const body = await caller.campaign.importList({ campaignId, listId: list.id });
        reply = { status: caller.ctx.response.status ?? 200, body };
      }
    } finally {
      await undo();
    }
    expect(reply.status).toBe(200);
    expect(countsOf(reply.body)).toMatchObject({ imported: 1000, duplicates: 0, invalid: 0, errors: 500, total: 1500 });
    expect(reply.body).not.toHaveProperty("partial");
    await expectImportLanded(db(), { campaignId, result: reply.body });
    const stored = new Set((await prospectsOf(db(), campaignId)).map((p) => p.sourceRef));
    expect(list.rowIds.slice(500, 1000).some((id) => stored.has(id))).toBe(false);
  });
});

describe("one import of a list into a campaign at a time", () => {
  it("a second import of the same list, its ids in capitals, waits for the first (and gives up with a conflict)", async () => {
    const list = await seedList(db(), user.id, makeRows({ complete: 30 }));
    const campaignId = await seedCampaign(db(), user.id, "linkedin");
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const firstIsWriting = new Promise<void>((resolve) => (entered = resolve));
    const first = run(campaignId, list.id, {
      writeBatch: (base) => async (batch) => {
        entered();
        await released;
        return base(batch);
      },
    });
    await firstIsWriting;
    const second = importList(db(), { userId: user.id, campaignId: campaignId.toUpperCase(), listId: list.id.toUpperCase() }, { lockWaitMs: 200 });
    try {
      await expect(second).rejects.toMatchObject({ kind: "conflict" });
    } finally {
      release();
    }
    const result = await first;
    expect(countsOf(result)).toMatchObject({ imported: 30, duplicates: 0, invalid: 0, errors: 0, total: 30 });
    await expectImportLanded(db(), { campaignId, result });
  });
});
