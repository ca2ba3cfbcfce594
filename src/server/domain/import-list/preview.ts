import type { Db } from "../../db";
import { requireOwnedCampaign } from "../campaigns";
import { requireOwnedList } from "../lists";
import { duplicateReasons, emptyInvalidReasons, type DuplicateReasonCounts, type InvalidReasonCounts } from "../skip-reasons";
import { mapRow } from "./map-row";
import { peopleInCampaign } from "./people-in-campaign";
import { listRowReader } from "./read-pages";

export type ImportPreview = {
  /** Rows the import would insert. */
  imported: number;
  duplicates: number;
  invalid: number;
  total: number;
  invalidReasons: InvalidReasonCounts;
  duplicateReasons: DuplicateReasonCounts;
};

/**
 * What importing this list into this campaign would give right now, by reason, with nothing
 * written and no import lock taken. It reads the list as the import does and applies the
 * import's rules: a person the campaign holds is already_in_campaign on every row that names
 * them; otherwise their first row is new and every later one repeated_in_list. So an import
 * run straight after it, with nothing changed in between, gives the same counts.
 *
 * It keeps the keys of the people it has met to tell repeats apart: memory grows with the
 * list's distinct new people (about 100 bytes each), unlike the import's.
 */
export async function previewImport(db: Db, input: { userId: string; campaignId: string; listId: string }): Promise<ImportPreview> {
  const [campaign, list] = await Promise.all([
    requireOwnedCampaign(db, input.userId, input.campaignId),
    requireOwnedList(db, input.userId, input.listId),
  ]);
  const readPage = listRowReader(db.pool, list.id);
  const seen = new Set<string>();
  const invalidReasons = emptyInvalidReasons();
  let total = 0;
  let invalid = 0;
  let imported = 0;
  let repeated = 0;
  let inCampaign = 0;

  for (let rows = await readPage(null); rows.length > 0; rows = await readPage(rows.at(-1)!.id)) {
    total += rows.length;
    const keys: string[] = [];
    for (const row of rows) {
      const mapped = mapRow(campaign.channel, row);
      if (mapped.ok) keys.push(mapped.prospect.dedupeKey);
      else {
        invalid++;
        invalidReasons[mapped.reason]++;
      }
    }
    const held = await peopleInCampaign(db.pool, campaign.id, keys);
    for (const key of keys) {
      if (held.has(key)) inCampaign++;
      else if (seen.has(key)) repeated++;
      else {
        seen.add(key);
        imported++;
      }
    }
  }
  const duplicates = inCampaign + repeated;
  return { imported, duplicates, invalid, total, invalidReasons, duplicateReasons: duplicateReasons(duplicates, repeated) };
}
