// Imports at the same time as each other and as a launch, over real HTTP against a real
// PostgreSQL: every campaign ends with exactly the right people, the counts add up, stats agree.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { api, closeTestDb, makeUser, startRestServer, testDb, type RestServer, type TestUser } from "../helpers/context";
import {
  expectImportLanded,
  makeRows,
  newTag,
  prospectCount,
  respelled,
  rowOf,
  seedCampaign,
  seedList,
  validCount,
  type RowMix,
} from "../helpers/import-fixtures";
import { appDb, leftovers, pauseInsertOf, waitFor, waitUntilBlocked, type AppDb } from "../helpers/reliability";
import { importList } from "@/server/domain/import-list/import-list";
import { DomainError } from "@/server/domain/errors";
import { importHttpStatus, toTRPCError } from "@/server/api/http-status";
import type { Channel } from "@/server/domain/identity";

const admin = () => testDb().pool;

let app: AppDb;
let server: RestServer;
let user: TestUser;
beforeAll(async () => {
  app = appDb(undefined, { max: 10 });
  server = await startRestServer(app.db);
  user = await makeUser();
});
afterAll(async () => {
  await server.close();
  await app.close();
  await closeTestDb();
});

type Reply = { status: number; body: any };
const importPath = (campaignId: string) => `/campaigns/${campaignId}/leads/import-from-list`;
const importOver = (s: RestServer, campaignId: string, listId: string): Promise<Reply> =>
  api(s, user.apiKey, "POST", importPath(campaignId), { listId });

/** Each reply's counts add up to the list, its run record agrees, and the replies' imported add up to `expected`. */
async function expectReplies(replies: Reply[], campaignId: string, expected: number) {
  for (const reply of replies) {
    expect([200, 422]).toContain(reply.status);
    const { imported, duplicates, invalid, errors, total } = reply.body;
    expect(imported + duplicates + invalid + errors).toBe(total);
    expect(errors).toBe(0);
    const run = await testDb().prisma.importRun.findUniqueOrThrow({ where: { id: reply.body.runId } });
    expect({ imported: run.imported, duplicates: run.duplicates, invalid: run.invalid, errors: run.errors, total: run.total, status: run.status }).toEqual({
      imported,
      duplicates,
      invalid,
      errors,
      total,
      status: reply.body.outcome,
    });
  }
  expect(replies.reduce((sum, r) => sum + r.body.imported, 0)).toBe(expected);
  expect(await prospectCount(testDb(), campaignId)).toBe(expected);
  const campaign = await testDb().prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  expect(campaign.prospectCount).toBe(expected);
}

describe("imports at the same time", () => {
  it("four imports of the same list into the same campaign: exactly the list's unique valid people, imported once", async () => {
    const mix: RowMix = { complete: 700, linkedinOnly: 200, placeholder: 100, emailOnly: 100 };
    const rows = makeRows(mix);
    // 100 people appear twice in the list, spelled differently: one person each.
    const withRepeats = [...rows, ...rows.slice(0, 100).map(respelled)];
    const list = await seedList(testDb(), user.id, withRepeats);
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");

    const replies = await Promise.all([1, 2, 3, 4].map(() => importOver(server, campaignId, list.id)));

    await expectReplies(replies, campaignId, validCount("linkedin", mix));
    // One after the other (the lock): one imports, three find everyone a duplicate.
    expect(replies.map((r) => r.status).sort()).toEqual([200, 422, 422, 422]);
    for (const reply of replies) expect(reply.body.total).toBe(withRepeats.length);
    expect(await leftovers(admin(), app.appName)).toMatchObject({ idle_in_tx: 0, advisory_locks: 0 });
  });

  it("three overlapping lists into one campaign at once: the union, each person once", async () => {
    const tag = newTag();
    const people = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => rowOf("complete", from + i, tag));
    const lists = await Promise.all([people(0, 1_500), people(1_000, 2_500), people(2_000, 3_500)].map((r) => seedList(testDb(), user.id, r)));
    const campaignId = await seedCampaign(testDb(), user.id, "email");

    const replies = await Promise.all(lists.map((l) => importOver(server, campaignId, l.id)));

    await expectReplies(replies, campaignId, 3_500);
    for (const reply of replies) expect(reply.body.total).toBe(1_500);
    const { rows } = await testDb().pool.query<{ n: number }>(`SELECT count(DISTINCT email)::int AS n FROM prospects WHERE campaign_id = $1`, [campaignId]);
    expect(rows[0]!.n).toBe(3_500);
  });

  it("one list into four campaigns of both channels at once: each gets its channel's valid people", async () => {
    const mix: RowMix = { complete: 800, linkedinOnly: 300, emailOnly: 250, placeholder: 100, otherSite: 50 };
    const list = await seedList(testDb(), user.id, makeRows(mix));
    const channels: Channel[] = ["linkedin", "email", "linkedin", "email"];
    const campaigns = await Promise.all(channels.map((c) => seedCampaign(testDb(), user.id, c)));

    const replies = await Promise.all(campaigns.map((c) => importOver(server, c, list.id)));

    for (const [i, reply] of replies.entries()) {
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ imported: validCount(channels[i]!, mix), duplicates: 0, errors: 0, total: 1_500 });
      await expectImportLanded(testDb(), { campaignId: campaigns[i]!, result: reply.body });
    }
  });

  it("more imports at once than the server's pool has connections: each still completes (no pool starvation)", async () => {
    const small = appDb(undefined, { max: 4 });
    const smallServer = await startRestServer(small.db);
    try {
      const lists = await Promise.all([1, 2, 3, 4, 5, 6].map(() => seedList(testDb(), user.id, makeRows({ complete: 300 }))));
      const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
      const sameList = await seedCampaign(testDb(), user.id, "linkedin");
      const replies = await Promise.all([
        ...lists.map((l) => importOver(smallServer, campaignId, l.id)),
        ...[1, 2, 3, 4, 5, 6].map(() => importOver(smallServer, sameList, lists[0]!.id)),
      ]);
      const [distinct, same] = [replies.slice(0, 6), replies.slice(6)];
      for (const reply of distinct) expect(reply.status).toBe(200);
      await expectReplies(distinct, campaignId, 1_800);
      expect(same.map((r) => r.status).sort()).toEqual([200, 422, 422, 422, 422, 422]);
      await expectReplies(same, sameList, 300);
    } finally {
      await smallServer.close();
      await small.close();
    }
  });
});

describe("imports while the campaign is launched", () => {
  it("an import held between batches, the launch commits: not one prospect is added after it (206, the rest are errors)", async () => {
    const mix: RowMix = { complete: 2_500, placeholder: 500 };
    const list = await seedList(testDb(), user.id, makeRows(mix));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");

    // The third batch waits (before it reaches the database) until the launch has committed.
    let atThirdBatch!: () => void;
    const reached = new Promise<void>((resolve) => (atThirdBatch = resolve));
    let goOn!: () => void;
    const launched = new Promise<void>((resolve) => (goOn = resolve));
    const pending = importList(
      testDb(),
      { userId: user.id, campaignId, listId: list.id },
      {
        writeBatch: (base) => {
          let calls = 0;
          return async (batch) => {
            if (++calls === 3) {
              atThirdBatch();
              await launched;
            }
            return base(batch);
          };
        },
      },
    );
    await reached;
    const launch = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/launch`, {});
    expect(launch.status).toBe(200);
    expect(launch.body.status).toBe("active");
    // The launch's own UPDATE returns the count it saw under the campaign's row lock, which
    // every batch takes too: the number of prospects committed before the launch committed.
    // Timestamps can't order commits (created_at is a batch's start time), this count can.
    const atLaunch: number = launch.body.stats.prospectCount;
    expect(atLaunch).toBeGreaterThan(0);
    expect(await prospectCount(testDb(), campaignId)).toBe(atLaunch);
    goOn();
    const result = await pending;

    expect(importHttpStatus(result.outcome)).toBe(206);
    expect(result).toMatchObject({ outcome: "partial", imported: atLaunch });
    expect(result.errors).toBeGreaterThan(0); // read and valid, but the campaign had left draft
    await expectImportLanded(testDb(), { campaignId, result });
    expect(await prospectCount(testDb(), campaignId)).toBe(atLaunch);
  });

  it("imports racing a launch: the count when the launch answers is the final count", async () => {
    const lists = await Promise.all([1, 2].map(() => seedList(testDb(), user.id, makeRows({ complete: 2_000 }))));
    const campaignId = await seedCampaign(testDb(), user.id, "email");
    const pending = lists.map((l) => importOver(server, campaignId, l.id));
    await waitFor("a committed batch", async () => ((await prospectCount(testDb(), campaignId)) > 0 ? true : undefined));
    const launch = await api(server, user.apiKey, "POST", `/campaigns/${campaignId}/launch`, {});
    expect(launch.status).toBe(200);
    const atLaunch: number = launch.body.stats.prospectCount; // counted at the launch's commit
    const replies = await Promise.all(pending);

    expect(await prospectCount(testDb(), campaignId)).toBe(atLaunch);
    expect(replies.reduce((sum, r) => sum + (r.body.imported ?? 0), 0)).toBe(atLaunch);
    for (const reply of replies) {
      expect([200, 206, 400]).toContain(reply.status); // finished before, cut by, or refused after the launch
      if (reply.status !== 400) expect(reply.body.imported + reply.body.duplicates + reply.body.invalid + reply.body.errors).toBe(reply.body.total);
    }
    const campaign = await testDb().prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(campaign.prospectCount).toBe(atLaunch);
  });
});

describe("one import of a list into a campaign at a time", () => {
  it("a second import waits its turn, then runs and finds the first one's rows as duplicates", async () => {
    const mix: RowMix = { complete: 2_000, placeholder: 200 };
    const list = await seedList(testDb(), user.id, makeRows(mix));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");

    const pause = await pauseInsertOf(admin(), campaignId, list.rowIds[1_500]!);
    onTestFinished(() => pause.drop());
    const first = importOver(server, campaignId, list.id);
    await pause.reached();
    const second = importOver(server, campaignId, list.id);
    await waitUntilBlocked(admin(), app.appName, "advisory", 2); // the paused batch, and the second import at the lock
    // While it waits it has not started: the first run is the only one.
    expect(await testDb().prisma.importRun.count({ where: { campaignId } })).toBe(1);
    await pause.release();

    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ imported: 2_000, duplicates: 0, invalid: 200 });
    expect(b.status).toBe(422);
    expect(b.body).toMatchObject({ imported: 0, duplicates: 2_000, invalid: 200, errors: 0, total: 2_200 });
    await expectReplies([a, b], campaignId, 2_000);
    const runs = await testDb().prisma.importRun.findMany({ where: { campaignId }, orderBy: { startedAt: "asc" } });
    expect(runs[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(runs[1]!.startedAt.getTime());
  });

  it("a second import that waits longer than lockWaitMs is a conflict (409) that says why, and writes nothing", async () => {
    const list = await seedList(testDb(), user.id, makeRows({ complete: 2_000 }));
    const campaignId = await seedCampaign(testDb(), user.id, "linkedin");
    const pause = await pauseInsertOf(admin(), campaignId, list.rowIds[1_500]!);
    onTestFinished(() => pause.drop());
    const first = importOver(server, campaignId, list.id);
    await pause.reached();

    const error = await importList(testDb(), { userId: user.id, campaignId, listId: list.id }, { lockWaitMs: 50 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe("conflict");
    // It names the run it waited for, so the caller can follow that one instead.
    const running = await testDb().prisma.importRun.findFirstOrThrow({ where: { campaignId } });
    expect((error as DomainError).message).toBe(
      `another import of this list into this campaign is still running (run ${running.id}); try again when it has finished, or follow it with GET /api/imports/${running.id}`,
    );
    expect(getHTTPStatusCodeFromError(toTRPCError(error as DomainError))).toBe(409);
    expect(await testDb().prisma.importRun.count({ where: { campaignId } })).toBe(1);

    await pause.release();
    const reply = await first;
    expect(reply.status).toBe(200);
    await expectImportLanded(testDb(), { campaignId, result: reply.body });
    expect(reply.body.imported).toBe(2_000);
  });
});
