// Why a row was not imported: one vocabulary for every write path (the list import,
// addCampaignProspects, the preview and the skipped-rows report), so the same row gets the
// same reason wherever it is looked at.
import { normalizeEmail, normalizeLinkedinUrl, type Channel } from "./identity";

export const INVALID_REASONS = ["missing_linkedin_url", "placeholder_url", "not_a_profile_url", "missing_email", "malformed_email"] as const;
export const DUPLICATE_REASONS = ["already_in_campaign", "repeated_in_list"] as const;
export const ERROR_REASONS = ["batch_failed"] as const;
export const SKIP_REASONS = [...INVALID_REASONS, ...DUPLICATE_REASONS, ...ERROR_REASONS] as const;

export type InvalidReason = (typeof INVALID_REASONS)[number];
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];
export type SkipReason = (typeof SKIP_REASONS)[number];

export type InvalidReasonCounts = Record<InvalidReason, number>;
export type DuplicateReasonCounts = Record<DuplicateReason, number>;

/** Which reasons a channel can give for an invalid row (the others are always 0 on it). */
export const CHANNEL_INVALID_REASONS: Record<Channel, readonly InvalidReason[]> = {
  linkedin: ["missing_linkedin_url", "placeholder_url", "not_a_profile_url"],
  email: ["missing_email", "malformed_email"],
};

export const REASON_LABEL: Record<SkipReason, string> = {
  missing_linkedin_url: "without a LinkedIn URL",
  placeholder_url: "placeholder URL (imported-…)",
  not_a_profile_url: "not a LinkedIn profile URL",
  missing_email: "without a work email",
  malformed_email: "malformed email",
  already_in_campaign: "already in this campaign",
  repeated_in_list: "repeated in the list",
  batch_failed: "could not be saved",
};

export const emptyInvalidReasons = (): InvalidReasonCounts => ({
  missing_linkedin_url: 0,
  placeholder_url: 0,
  not_a_profile_url: 0,
  missing_email: 0,
  malformed_email: 0,
});

const blank = (value: unknown) => typeof value !== "string" || value.trim() === "";

/**
 * Why this identity can't make a prospect on this channel, or null when it can. The same test
 * as identity.ts's normalisers (a value they accept is never given a reason): this only tells
 * the failures apart.
 */
export function invalidReason(channel: Channel, identity: { email: unknown; linkedinUrl: unknown }): InvalidReason | null {
  if (channel === "email") {
    if (normalizeEmail(identity.email)) return null;
    return blank(identity.email) ? "missing_email" : "malformed_email";
  }
  if (normalizeLinkedinUrl(identity.linkedinUrl)) return null;
  if (blank(identity.linkedinUrl)) return "missing_linkedin_url";
  return isPlaceholder(identity.linkedinUrl as string) ? "placeholder_url" : "not_a_profile_url";
}

// "imported-…" on its own, or as the slug of an otherwise fine profile URL (linkedin.com/in/imported-…).
function isPlaceholder(raw: string): boolean {
  const value = raw.trim();
  return /^imported-/i.test(value) || /\/in\/imported-/i.test(value);
}

/** The duplicates of a run or a call by reason: repeats are counted, the rest were in the campaign before. */
export const duplicateReasons = (duplicates: number, repeated: number): DuplicateReasonCounts => ({
  already_in_campaign: duplicates - repeated,
  repeated_in_list: repeated,
});
