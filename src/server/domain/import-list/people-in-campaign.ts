import type { Queryable } from "../prospects/insert-prospects";

/** Who brought a person into a campaign: the list import's run and list row (both null for the API). */
export type Holder = { runId: string | null; listRowId: string | null };

/**
 * Which of these people (dedupe keys) the campaign holds, and who brought each in: one lookup
 * on the (campaign_id, dedupe_key) unique index for a whole page of rows.
 */
export async function peopleInCampaign(db: Queryable, campaignId: string, keys: string[]): Promise<Map<string, Holder>> {
  if (keys.length === 0) return new Map();
  // The campaign's id as a sub-select, which the planner can't see into: given the value, it
  // estimates a campaign its statistics have not met yet as nearly empty and may walk the
  // (campaign_id, id) index, reading the whole campaign for every page (insert-prospects.ts).
  const { rows } = await db.query<{ key: string; runId: string | null; listRowId: string | null }>({
    text: `SELECT dedupe_key AS key, import_run_id::text AS "runId", CASE WHEN source = 'list' THEN source_ref END AS "listRowId"
           FROM prospects WHERE campaign_id = (SELECT $1::uuid) AND dedupe_key = ANY($2::text[])`,
    values: [campaignId, keys],
  });
  return new Map(rows.map((r) => [r.key, { runId: r.runId, listRowId: r.listRowId }]));
}
