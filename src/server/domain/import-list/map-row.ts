import { dedupeKey, normalizeEmail, normalizeLinkedinUrl, type Channel } from "../identity";
import type { NewProspect } from "../prospects/insert-prospects";
import { invalidReason, type InvalidReason } from "../skip-reasons";
import type { SourceRow } from "./read-pages";

export type MappedRow = { ok: true; prospect: NewProspect } | { ok: false; reason: InvalidReason };

// A reader plugged in through the seam may hand over any JSON value: only a non-blank string counts.
const clean = (value: unknown) => {
  const trimmed = typeof value === "string" ? value.trim() : "";
  return trimmed ? trimmed : null;
};

/** A list row as a prospect of a campaign on this channel, or the reason it can't be one. */
export function mapRow(channel: Channel, row: SourceRow): MappedRow {
  const email = normalizeEmail(row.workEmail);
  const linkedinUrl = normalizeLinkedinUrl(row.linkedinUrl);
  const key = dedupeKey(channel, { email, linkedinUrl });
  if (!key) return { ok: false, reason: invalidReason(channel, { email: row.workEmail, linkedinUrl: row.linkedinUrl }) ?? "not_a_profile_url" };

  const firstName = clean(row.firstName);
  const lastName = clean(row.lastName);
  return {
    ok: true,
    prospect: {
      dedupeKey: key,
      email,
      linkedinUrl,
      firstName,
      lastName,
      name: clean(row.fullName) ?? ([firstName, lastName].filter(Boolean).join(" ") || null),
      company: clean(row.company),
      position: clean(row.role),
      headline: clean(row.headline),
      customFields: null,
      source: "list",
      sourceRef: row.id,
    },
  };
}
