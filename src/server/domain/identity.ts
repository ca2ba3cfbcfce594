// The one place that decides who a person is. Every write path (addCampaignProspects,
// the list import) goes through here, so both agree on who is a duplicate.

export type Channel = "email" | "linkedin";

const EMAIL_MAX = 320;
// One @, no spaces or control characters, a dot inside the domain.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}.]+(\.[^\s@\p{Cc}.]+)+$/u;

/** Trimmed and lowercased email, or null when the value does not look like an address. */
export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = value.trim().toLowerCase();
  if (email.length === 0 || email.length > EMAIL_MAX) return null;
  return EMAIL_SHAPE.test(email) ? email : null;
}

const URL_MAX = 2048;
const PLACEHOLDER = /^imported-/i;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const LINKEDIN_HOST = /^([a-z0-9-]+\.)?linkedin\.com$/;

/**
 * The canonical form https://www.linkedin.com/in/<slug> of a LinkedIn profile URL, or null
 * when the value is not one: another site, another scheme, a company page, or a placeholder
 * ("imported-…", written when a list came from a non-LinkedIn source).
 */
export function normalizeLinkedinUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const slug = value.length <= URL_MAX ? canonicalShapeSlug(value) : null;
  // A slug of lowercase letters, digits and hyphens is its own canonical form (nothing to decode,
  // normalise, lowercase or encode): the usual case, and the value itself when it has no trailing slash.
  if (slug !== null && PLAIN_SLUG.test(slug)) {
    if (PLACEHOLDER.test(slug)) return null;
    return value.length === PROFILE_PREFIX.length + slug.length ? value : PROFILE_PREFIX + slug;
  }
  return canonicalFromSlug(slug ?? parsedProfileSlug(value));
}

/** The same answer as normalizeLinkedinUrl, always through the URL parser (the tests compare the two). */
export function normalizeLinkedinUrlByParsing(value: unknown): string | null {
  return typeof value === "string" ? canonicalFromSlug(parsedProfileSlug(value)) : null;
}

// Most URLs arrive already in the canonical shape, where the WHATWG URL parser would change
// nothing: https, www.linkedin.com, /in/ and a slug of letters, digits, hyphens and
// well-formed %-escapes. Taking the slug straight from those skips the parser, which was half
// of the cost of a 1000-prospect call's identities. "%2e" is left to the parser: it resolves
// "%2e%2e" as a ".." segment.
const CANONICAL_SHAPE = /^https:\/\/www\.linkedin\.com\/in\/((?:[A-Za-z0-9-]|%[0-9A-Fa-f]{2})+)\/*$/;
const PLAIN_SLUG = /^[a-z0-9-]+$/;
const PROFILE_PREFIX = "https://www.linkedin.com/in/";
function canonicalShapeSlug(value: string): string | null {
  const slug = CANONICAL_SHAPE.exec(value)?.[1];
  return slug !== undefined && !/%2e/i.test(slug) ? slug : null;
}

/** The profile slug (still %-encoded) of any spelling of a LinkedIn profile URL, through the URL parser. */
function parsedProfileSlug(value: string): string | null {
  const raw = value.trim();
  if (raw.length === 0 || raw.length > URL_MAX || PLACEHOLDER.test(raw)) return null;
  if (/[\s\p{Cc}]/u.test(raw)) return null;
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  // "linkedin.com:443/in/x" parses as a scheme too; only http(s) or no scheme is a web address.
  let withScheme: string;
  if (scheme === "http" || scheme === "https") withScheme = raw;
  else if (raw.startsWith("//")) withScheme = `https:${raw}`;
  else if (scheme === undefined || /^[a-z0-9.-]+\.[a-z]+:\d/i.test(raw)) withScheme = `https://${raw}`;
  else return null;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (!LINKEDIN_HOST.test(url.hostname)) return null;
  // The path segment is matched case-insensitively ("/IN/ADA" from an upper-cased export is still a profile).
  return /^\/in\/([^/]+)\/*$/i.exec(url.pathname)?.[1] ?? null;
}

function canonicalFromSlug(encoded: string | null): string | null {
  if (encoded === null) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(encoded);
  } catch {
    return null; // broken percent-encoding
  }
  slug = slug.normalize("NFC").toLowerCase();
  if (slug.length === 0 || /[\s/\p{Cc}]/u.test(slug) || PLACEHOLDER.test(slug)) return null;
  return PROFILE_PREFIX + encodeURIComponent(slug);
}

/** The value the database deduplicates on for a campaign of this channel. */
export function dedupeKey(channel: Channel, identity: { email: string | null; linkedinUrl: string | null }): string | null {
  return channel === "email" ? identity.email : identity.linkedinUrl;
}

export const IDENTITY_RULE: Record<Channel, string> = {
  email: "Email campaigns need a work email that looks like an address.",
  linkedin: "LinkedIn campaigns need a real LinkedIn profile URL (linkedin.com/in/…); imported-* placeholders don't count.",
};
