// What the import is measured against: PostgreSQL doing the same job in one set-based statement
// (the reference), the same for addCampaignProspects, and the spec's shape taken
// literally with Prisma's own API (for the record).
import type { Db } from "../../src/server/db";
import { dedupeKey, normalizeEmail, normalizeLinkedinUrl } from "../../src/server/domain/identity";
import { mapRow } from "../../src/server/domain/import-list/map-row";
import type { SourceRow } from "../../src/server/domain/import-list/read-pages";
import type { ProspectInput } from "../../src/server/domain/prospects/add-campaign-prospects";

/**
 * The reference from the issue: one INSERT … SELECT that maps the JSON in SQL and lowercases the
 * URL, with no canonicalisation beyond that ($1 list, $2 campaign).
 */
export const REFERENCE_SQL = `
INSERT INTO prospects (campaign_id, dedupe_key, email, linkedin_url, first_name, last_name, name,
                       company, position, headline, source, source_ref)
SELECT $2, lower(linkedin_url), lower(profile_data->'enrichment'->>'work_email'), lower(linkedin_url),
       profile_data->>'firstName', profile_data->>'lastName', profile_data->>'fullName',
       profile_data->>'currentCompany', profile_data->>'currentRole', profile_data->>'headline', 'list', id::text
FROM list_rows
WHERE list_id = $1 AND linkedin_url NOT LIKE 'imported-%'
ON CONFLICT DO NOTHING`;

export async function runReference(db: Db, listId: string, campaignId: string) {
  const started = performance.now();
  const { rowCount } = await db.pool.query(REFERENCE_SQL, [listId, campaignId]);
  return { ms: performance.now() - started, inserted: rowCount ?? 0 };
}

/** addCampaignProspects' equivalent: the call's prospects, already normalised, in one INSERT … ON CONFLICT DO NOTHING. */
export async function runLeadsReference(db: Db, campaignId: string, prospects: ProspectInput[]) {
  const rows = prospects.map((p) => {
    const email = p.email ? normalizeEmail(p.email) : null;
    const linkedinUrl = p.linkedin_url ? normalizeLinkedinUrl(p.linkedin_url) : null;
    return [dedupeKey("linkedin", { email, linkedinUrl }), email, linkedinUrl, p.first_name ?? null, p.last_name ?? null,
      [p.first_name, p.last_name].filter(Boolean).join(" ") || null, p.company ?? null, p.position ?? null, p.headline ?? null];
  });
  const columns = Array.from({ length: 9 }, (_, c) => rows.map((r) => r[c]));
  const started = performance.now();
  const { rowCount } = await db.pool.query(
    `INSERT INTO prospects (campaign_id, dedupe_key, email, linkedin_url, first_name, last_name, name, company, position, headline, source)
     SELECT $1, k, e, l, fn, ln, n, c, p, h, 'api'
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
          AS t(k, e, l, fn, ln, n, c, p, h)
     ON CONFLICT DO NOTHING`,
    [campaignId, ...columns],
  );
  return { ms: performance.now() - started, inserted: rowCount ?? 0 };
}

const asText = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * The spec's shape with Prisma's API, literally: findMany pages of 1000 (whole profile_data,
 * mapped in Node), createMany({ skipDuplicates }) batches of 500, the stats moved per batch.
 * Stops after maxRows rows (it is slow); the caller extrapolates.
 */
export async function runPrismaLiteral(db: Db, listId: string, campaignId: string, maxRows: number) {
  const started = performance.now();
  let cursor: bigint | undefined;
  let read = 0;
  let inserted = 0;
  while (read < maxRows) {
    const page = await db.prisma.listRow.findMany({
      where: { listId },
      orderBy: { id: "asc" },
      take: Math.min(1000, maxRows - read),
      ...(cursor === undefined ? {} : { cursor: { id: cursor }, skip: 1 }),
      select: { id: true, linkedinUrl: true, profileData: true },
    });
    if (page.length === 0) break;
    read += page.length;
    cursor = page[page.length - 1]!.id;
    const valid = page.flatMap((row) => {
      const profile = (row.profileData ?? {}) as Record<string, unknown>;
      const enrichment = (profile.enrichment ?? {}) as Record<string, unknown>;
      const source: SourceRow = {
        id: row.id.toString(),
        linkedinUrl: row.linkedinUrl,
        workEmail: asText(enrichment.work_email),
        firstName: asText(profile.firstName),
        lastName: asText(profile.lastName),
        fullName: asText(profile.fullName),
        company: asText(profile.currentCompany),
        role: asText(profile.currentRole),
        headline: asText(profile.headline),
      };
      const mapped = mapRow("linkedin", source);
      return mapped.ok ? [mapped.prospect] : [];
    });
    for (let i = 0; i < valid.length; i += 500) {
      const batch = valid.slice(i, i + 500);
      const { count } = await db.prisma.prospect.createMany({
        data: batch.map((p) => ({
          campaignId, dedupeKey: p.dedupeKey, email: p.email, linkedinUrl: p.linkedinUrl, firstName: p.firstName,
          lastName: p.lastName, name: p.name, company: p.company, position: p.position, headline: p.headline,
          source: p.source, sourceRef: p.sourceRef,
        })),
        skipDuplicates: true,
      });
      await db.prisma.campaign.update({ where: { id: campaignId }, data: { prospectCount: { increment: count } } });
      inserted += count;
    }
  }
  return { ms: performance.now() - started, rows: read, inserted };
}
