import type pg from "pg";

/** A prospect ready for the database: identities already normalised by domain/identity.ts. */
export type NewProspect = {
  dedupeKey: string;
  email: string | null;
  linkedinUrl: string | null;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  company: string | null;
  position: string | null;
  headline: string | null;
  customFields: string | null; // JSON text
  source: "list" | "api";
  sourceRef: string | null;
};

export type InsertResult =
  // The campaign had left draft when the batch arrived: nothing was written.
  | { campaignOpen: false; inserted: 0 }
  | { campaignOpen: true; inserted: number };

export type Queryable = Pick<pg.Pool, "query">;

// One statement, so one implicit transaction: it locks the campaign row (only while it is
// a draft), inserts with ON CONFLICT DO NOTHING and adds what it inserted to the stats.
// Either all of that commits or none of it does.
const INSERT_SQL = `
WITH campaign AS (
  SELECT id FROM campaigns WHERE id = $1 AND status = 'draft' FOR UPDATE
), inserted AS (
  INSERT INTO prospects (campaign_id, dedupe_key, email, linkedin_url, first_name, last_name, name,
                         company, position, headline, custom_fields, source, source_ref)
  SELECT campaign.id, t.k, t.e, t.l, t.fn, t.ln, t.n, t.c, t.p, t.h, COALESCE(t.cf::jsonb, '{}'::jsonb), t.s, t.r
  FROM campaign, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
       WITH ORDINALITY AS t(k, e, l, fn, ln, n, c, p, h, cf, s, r, ord)
  ORDER BY t.ord
  ON CONFLICT DO NOTHING
  RETURNING 1
), stats AS (
  UPDATE campaigns SET prospect_count = prospect_count + (SELECT count(*) FROM inserted), updated_at = now()
  WHERE id = (SELECT id FROM campaign)
  RETURNING 1
)
SELECT (SELECT count(*) FROM campaign)::int AS open, (SELECT count(*) FROM inserted)::int AS inserted`;

/** Inserts prospects in one statement, skipping those whose identity the campaign already holds. */
export async function insertProspects(db: Queryable, campaignId: string, prospects: NewProspect[]): Promise<InsertResult> {
  const column = <K extends keyof NewProspect>(key: K) => prospects.map((p) => p[key]);
  const { rows } = await db.query<{ open: number; inserted: number }>(INSERT_SQL, [
    campaignId,
    column("dedupeKey"),
    column("email"),
    column("linkedinUrl"),
    column("firstName"),
    column("lastName"),
    column("name"),
    column("company"),
    column("position"),
    column("headline"),
    column("customFields"),
    column("source"),
    column("sourceRef"),
  ]);
  const row = rows[0]!;
  return row.open ? { campaignOpen: true, inserted: row.inserted } : { campaignOpen: false, inserted: 0 };
}
