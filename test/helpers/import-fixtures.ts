// Builders for the list import's tests: list rows with realistic profile_data in a chosen mix,
// lists and campaigns seeded straight through the domain, and the check every import test ends
// with: the database holds exactly what the counts say.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Db } from "@/server/db";
import { createList, type ListRowInput } from "@/server/domain/lists";
import { createCampaign } from "@/server/domain/campaigns";
import type { Channel } from "@/server/domain/identity";

/**
 * The kinds of rows a real list holds, and whether each is importable per channel:
 * - complete: real LinkedIn URL, work email, full profile
 * - linkedinOnly: real LinkedIn URL, enrichment without a work email
 * - emailOnly: imported-* placeholder URL (list came from a non-LinkedIn source) with a work email
 * - placeholder: imported-* placeholder URL and no work email
 * - otherSite: a non-LinkedIn URL (a company site) and no work email
 * - wrongTypes: real LinkedIn URL, but every profile field, the work email included, has the wrong JSON type
 * - noProfile: real LinkedIn URL and profile_data null
 */
export const ROW_KINDS = {
  complete: { linkedin: true, email: true },
  linkedinOnly: { linkedin: true, email: false },
  emailOnly: { linkedin: false, email: true },
  placeholder: { linkedin: false, email: false },
  otherSite: { linkedin: false, email: false },
  wrongTypes: { linkedin: true, email: false },
  noProfile: { linkedin: true, email: false },
} as const satisfies Record<string, Record<Channel, boolean>>;

export type RowKind = keyof typeof ROW_KINDS;
export type RowMix = Partial<Record<RowKind, number>>;

const FIRST = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Radia", "Edsger", "Frances"];
const LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Perlman", "Dijkstra", "Allen"];
const COMPANIES = [
  { name: "Acme Analytics", domain: "acme-analytics.io" },
  { name: "Northwind Traders", domain: "northwind.com" },
  { name: "Globex", domain: "globex.co" },
  { name: "Initech", domain: "initech.dev" },
  { name: "Umbrella Health", domain: "umbrella-health.org" },
];
const ROLES = ["VP Engineering", "Head of Sales", "CTO", "Growth Lead", "Staff Engineer", "Procurement Manager"];

/** The person behind row `i` of a fixture set; `tag` keeps identities unique across tests. */
export function personFor(i: number, tag: string) {
  const firstName = FIRST[i % FIRST.length]!;
  const lastName = LAST[(i * 7 + 3) % LAST.length]!;
  const company = COMPANIES[i % COMPANIES.length]!;
  const role = ROLES[i % ROLES.length]!;
  const slug = `${firstName}-${lastName}-${tag}-${i}`.toLowerCase();
  return {
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`,
    company: company.name,
    role,
    headline: `${role} at ${company.name}`,
    slug,
    linkedinUrl: `https://www.linkedin.com/in/${slug}`,
    workEmail: `${firstName}.${lastName}.${tag}${i}@${company.domain}`.toLowerCase(),
  };
}

function profile(p: ReturnType<typeof personFor>, enrichment: Record<string, unknown>) {
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    fullName: p.fullName,
    currentCompany: p.company,
    currentRole: p.role,
    headline: p.headline,
    location: "Berlin, Germany",
    connections: 500,
    experience: [{ company: p.company, title: p.role, startedOn: "2021-03" }],
    enrichment: { provider: "enrichly", confidence: 0.92, ...enrichment },
  };
}

/** One list row of the given kind for person `i`. */
export function rowOf(kind: RowKind, i: number, tag: string): ListRowInput {
  const p = personFor(i, tag);
  switch (kind) {
    case "complete":
      return { linkedin_url: p.linkedinUrl, profile_data: profile(p, { work_email: p.workEmail, personal_email: `${p.slug}@gmail.com` }) };
    case "linkedinOnly":
      return { linkedin_url: p.linkedinUrl, profile_data: profile(p, { personal_email: `${p.slug}@gmail.com` }) };
    case "emailOnly":
      return { linkedin_url: `imported-${tag}-${i}`, profile_data: profile(p, { work_email: p.workEmail }) };
    case "placeholder":
      return { linkedin_url: `imported-${tag}-${i}`, profile_data: profile(p, {}) };
    case "otherSite":
      return { linkedin_url: `https://${p.slug}.example.com/about`, profile_data: profile(p, {}) };
    case "wrongTypes":
      return {
        linkedin_url: p.linkedinUrl,
        profile_data: {
          firstName: 42,
          lastName: { value: p.lastName },
          fullName: null,
          currentCompany: [p.company],
          currentRole: true,
          headline: 3.14,
          enrichment: { work_email: { address: p.workEmail } },
        },
      };
    case "noProfile":
      return { linkedin_url: p.linkedinUrl, profile_data: null };
  }
}

/**
 * Rows in the given mix, interleaved round-robin so every kind is spread over the pages,
 * each a different person (unique within the call and, through `tag`, across tests).
 */
export function makeRows(mix: RowMix, tag = newTag()): ListRowInput[] {
  return makeKindedRows(mix, tag).map((r) => r.row);
}

/** As makeRows, each row with its kind, so a test can tell which rows a channel accepts. */
export function makeKindedRows(mix: RowMix, tag = newTag()): { kind: RowKind; row: ListRowInput }[] {
  const queues = (Object.entries(mix) as [RowKind, number][]).map(([kind, count]) => ({ kind, left: count }));
  const rows: { kind: RowKind; row: ListRowInput }[] = [];
  while (queues.some((q) => q.left > 0)) {
    for (const q of queues) {
      if (q.left === 0) continue;
      q.left--;
      rows.push({ kind: q.kind, row: rowOf(q.kind, rows.length, tag) });
    }
  }
  return rows;
}

/** How many rows of the mix a campaign of this channel can import. */
export function validCount(channel: Channel, mix: RowMix) {
  return (Object.entries(mix) as [RowKind, number][]).reduce((sum, [kind, n]) => sum + (ROW_KINDS[kind][channel] ? n : 0), 0);
}

export const newTag = () => randomUUID().slice(0, 8);

/** A list owned by the user, holding the rows (no 1000-row API limit here), with its row ids in order. */
export async function seedList(db: Db, userId: string, rows: ListRowInput[], name = "Fixture list") {
  const list = await createList(db, userId, { name, rows });
  const { rows: ids } = await db.pool.query<{ id: string }>(`SELECT id::text AS id FROM list_rows WHERE list_id = $1 ORDER BY list_rows.id`, [list.id]);
  return { id: list.id, rowIds: ids.map((r) => r.id) };
}

export async function seedCampaign(db: Db, userId: string, channel: Channel, name = "Fixture campaign") {
  return (await createCampaign(db, userId, { name, channel })).id;
}

export type Counts = { imported: number; duplicates: number; invalid: number; errors: number; total: number };

export async function prospectsOf(db: Db, campaignId: string) {
  return db.prisma.prospect.findMany({ where: { campaignId }, orderBy: { id: "asc" } });
}

export async function prospectCount(db: Db, campaignId: string) {
  return db.prisma.prospect.count({ where: { campaignId } });
}

/**
 * The check every import test ends with: the counts add up, the campaign now holds exactly
 * `before + imported` prospects, its stats equal that real number, and the run record (when
 * there is one) holds the same counts and the final status.
 */
export async function expectImportLanded(
  db: Db,
  opts: { campaignId: string; before?: number; result: Counts & { runId?: string; outcome?: string } },
) {
  const { result } = opts;
  expect(result.imported + result.duplicates + result.invalid + result.errors).toBe(result.total);
  const real = await prospectCount(db, opts.campaignId);
  expect(real).toBe((opts.before ?? 0) + result.imported);
  const campaign = await db.prisma.campaign.findUniqueOrThrow({ where: { id: opts.campaignId } });
  expect(campaign.prospectCount).toBe(real);
  if (result.runId) {
    const run = await db.prisma.importRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect({ imported: run.imported, duplicates: run.duplicates, invalid: run.invalid, errors: run.errors, total: run.total }).toEqual({
      imported: result.imported,
      duplicates: result.duplicates,
      invalid: result.invalid,
      errors: result.errors,
      total: result.total,
    });
    if (result.outcome) expect(run.status).toBe(result.outcome);
    expect(run.finishedAt).not.toBeNull();
  }
  return real;
}

/** Nothing changed: no prospect, stats at zero... or at `before`. */
export async function expectUntouched(db: Db, campaignId: string, before = 0) {
  expect(await prospectCount(db, campaignId)).toBe(before);
  const campaign = await db.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  expect(campaign.prospectCount).toBe(before);
}

/**
 * Makes PostgreSQL itself refuse this campaign's prospect inserts (all of them, or only the rows
 * whose source_ref is listed), as a broken disk or a failing constraint would: a trigger that
 * raises, so a whole insert statement fails. No test-only branch in the code under test.
 * Returns the undo; always call it.
 */
export async function refuseProspectInserts(db: Db, campaignId: string, sourceRefs?: string[]): Promise<() => Promise<void>> {
  if (!/^[0-9a-f-]{36}$/.test(campaignId)) throw new Error("campaign id must be a UUID");
  if (sourceRefs?.some((ref) => !/^\d+$/.test(ref))) throw new Error("source refs must be list row ids");
  const name = `test_refuse_${randomUUID().replaceAll("-", "")}`;
  const onlyRows = sourceRefs ? ` AND NEW.source_ref IN (${sourceRefs.map((ref) => `'${ref}'`).join(", ")})` : "";
  await db.pool.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'could not extend file: No space left on device (injected)'; END $$`);
  await db.pool.query(`CREATE TRIGGER ${name} BEFORE INSERT ON prospects FOR EACH ROW
    WHEN (NEW.campaign_id = '${campaignId}'::uuid${onlyRows}) EXECUTE FUNCTION ${name}()`);
  return async () => {
    await db.pool.query(`DROP TRIGGER IF EXISTS ${name} ON prospects`);
    await db.pool.query(`DROP FUNCTION IF EXISTS ${name}()`);
  };
}

/**
 * The same person as `row`, spelled the other way: http, no www, capitals, a trailing slash and a
 * query on the URL; the work email padded and upper-cased. The names differ, so a test can tell
 * which of the two rows was kept.
 */
export function respelled(row: ListRowInput): ListRowInput {
  const slug = /\/in\/([^/?#]+)/.exec(row.linkedin_url ?? "")?.[1];
  const data = structuredClone((row.profile_data ?? {}) as Record<string, any>);
  data.firstName = "Respelled";
  if (typeof data.enrichment?.work_email === "string") data.enrichment.work_email = ` ${data.enrichment.work_email.toUpperCase()}`;
  return { linkedin_url: slug ? `http://linkedin.com/in/${slug.toUpperCase()}/?utm_source=export` : row.linkedin_url, profile_data: data };
}
