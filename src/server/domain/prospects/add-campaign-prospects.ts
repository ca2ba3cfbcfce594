import { sendStartedQueries, type Db } from "../../db";
import { requireDraft, requireOwnedCampaign } from "../campaigns";
import { invalid } from "../errors";
import { dedupeKey, normalizeEmail, normalizeLinkedinUrl, IDENTITY_RULE } from "../identity";
import { duplicateReasons, invalidReason } from "../skip-reasons";
import { insertProspects, type NewProspect } from "./insert-prospects";

export type ProspectInput = {
  email?: string | null;
  linkedin_url?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  position?: string | null;
  headline?: string | null;
  custom_fields?: Record<string, unknown> | null;
};

/**
 * Adds up to 1000 prospects to a draft campaign. Every prospect is checked before anything is
 * written: one without the channel's identity refuses the whole call, naming its index and the
 * reason (skip-reasons.ts, the list import's vocabulary).
 */
export async function addCampaignProspects(db: Db, userId: string, campaignId: string, input: ProspectInput[]) {
  // The campaign is looked up while the identities are normalised: only the choice of key needs its channel.
  const owned = requireOwnedCampaign(db, userId, campaignId);
  owned.catch(() => undefined); // a refusal is awaited below, after normalising: never an unhandled rejection
  await sendStartedQueries();
  const emails = input.map((p) => (p.email ? normalizeEmail(p.email) : null));
  const linkedinUrls = input.map((p) => (p.linkedin_url ? normalizeLinkedinUrl(p.linkedin_url) : null));
  const campaign = await owned;
  requireDraft(campaign);

  const prospects: NewProspect[] = input.map((p, index) => {
    const email = emails[index]!;
    const linkedinUrl = linkedinUrls[index]!;
    const key = dedupeKey(campaign.channel, { email, linkedinUrl });
    if (!key) {
      const reason = invalidReason(campaign.channel, { email: p.email, linkedinUrl: p.linkedin_url }) ?? "not_a_profile_url";
      throw invalid(`prospects[${index}]: ${reason}. ${IDENTITY_RULE[campaign.channel]}`);
    }
    // "First Last", or whichever of the two is given (an empty string counts as not given).
    const name = p.first_name && p.last_name ? `${p.first_name} ${p.last_name}` : p.first_name || p.last_name || null;
    return {
      dedupeKey: key,
      email,
      linkedinUrl,
      firstName: p.first_name ?? null,
      lastName: p.last_name ?? null,
      name,
      company: p.company ?? null,
      position: p.position ?? null,
      headline: p.headline ?? null,
      customFields: p.custom_fields ? JSON.stringify(p.custom_fields) : null,
      source: "api",
      sourceRef: null,
    };
  });

  // One statement for the whole call: all of it lands with its stats, or none of it.
  // Repeats inside the call meet ON CONFLICT like any other duplicate.
  const result = await insertProspects(db.pool, campaignId, prospects);
  if (!result.campaignOpen) requireDraft({ status: "no longer a draft" });
  const duplicates = prospects.length - result.inserted;
  return { imported: result.inserted, duplicates, duplicateReasons: duplicateReasons(duplicates, result.repeated) };
}
