import { describe, expect, it } from "vitest";
import { mapRow } from "@/server/domain/import-list/map-row";
import type { SourceRow } from "@/server/domain/import-list/read-pages";

const row = (over: Partial<SourceRow> = {}): SourceRow => ({
  id: "17",
  linkedinUrl: null,
  workEmail: null,
  firstName: null,
  lastName: null,
  fullName: null,
  company: null,
  role: null,
  headline: null,
  ...over,
});

describe("mapRow: identity of a LinkedIn campaign", () => {
  const cases: { name: string; url: string | null; email?: string | null; key: string | null; reason?: string }[] = [
    { name: "canonical profile URL", url: "https://www.linkedin.com/in/ada-lovelace", key: "https://www.linkedin.com/in/ada-lovelace" },
    { name: "http, no www, capitals, trailing slash", url: "http://linkedin.com/in/Foo/", key: "https://www.linkedin.com/in/foo" },
    { name: "query string and fragment dropped", url: "https://www.linkedin.com/in/foo?x=1#top", key: "https://www.linkedin.com/in/foo" },
    { name: "no scheme", url: "linkedin.com/in/ADA/", key: "https://www.linkedin.com/in/ada" },
    { name: "country subdomain", url: "https://de.linkedin.com/in/grace-hopper", key: "https://www.linkedin.com/in/grace-hopper" },
    { name: "surrounding whitespace", url: "  https://www.linkedin.com/in/alan  ", key: "https://www.linkedin.com/in/alan" },
    { name: "imported-* placeholder", url: "imported-8c1f2a", key: null, reason: "placeholder_url" },
    { name: "imported-* placeholder even with a work email", url: "imported-42", email: "ada@acme.io", key: null, reason: "placeholder_url" },
    { name: "placeholder slug on linkedin.com", url: "https://www.linkedin.com/in/imported-123", key: null, reason: "placeholder_url" },
    { name: "another site", url: "https://twitter.com/in/ada", key: null, reason: "not_a_profile_url" },
    { name: "look-alike host", url: "https://linkedin.com.evil.io/in/ada", key: null, reason: "not_a_profile_url" },
    { name: "company page", url: "https://www.linkedin.com/company/acme", key: null, reason: "not_a_profile_url" },
    { name: "profile sub-page", url: "https://www.linkedin.com/in/ada/details/skills", key: null, reason: "not_a_profile_url" },
    { name: "non-web scheme", url: "ftp://linkedin.com/in/ada", key: null, reason: "not_a_profile_url" },
    { name: "javascript: URL", url: "javascript:alert(1)", key: null, reason: "not_a_profile_url" },
    { name: "credentials in the URL", url: "https://user:pw@linkedin.com/in/ada", key: null, reason: "not_a_profile_url" },
    { name: "empty", url: "", key: null, reason: "missing_linkedin_url" },
    { name: "blank", url: "   ", key: null, reason: "missing_linkedin_url" },
    { name: "missing", url: null, key: null, reason: "missing_linkedin_url" },
    { name: "missing URL but a work email", url: null, email: "ada@acme.io", key: null, reason: "missing_linkedin_url" },
  ];
  it.each(cases)("$name", ({ url, email, key, reason }) => {
    const mapped = mapRow("linkedin", row({ linkedinUrl: url, workEmail: email ?? null }));
    if (key === null) {
      expect(mapped).toEqual({ ok: false, reason });
    } else {
      expect(mapped.ok).toBe(true);
      if (mapped.ok) {
        expect(mapped.prospect.dedupeKey).toBe(key);
        expect(mapped.prospect.linkedinUrl).toBe(key);
      }
    }
  });
});

describe("mapRow: identity of an email campaign", () => {
  const cases: { name: string; email: string | null; url?: string | null; key: string | null; reason?: string }[] = [
    { name: "plain work email", email: "ada@acme.io", key: "ada@acme.io" },
    { name: "spaces and capitals", email: " Foo@X.io ", key: "foo@x.io" },
    { name: "subdomain and plus tag", email: "Grace+sales@eu.globex.co", key: "grace+sales@eu.globex.co" },
    { name: "with a placeholder URL (email lists come from elsewhere)", email: "ada@acme.io", url: "imported-1", key: "ada@acme.io" },
    { name: "no @", email: "ada.acme.io", key: null, reason: "malformed_email" },
    { name: "no dot in the domain", email: "ada@localhost", key: null, reason: "malformed_email" },
    { name: "two @", email: "ada@x@acme.io", key: null, reason: "malformed_email" },
    { name: "space inside", email: "ada lovelace@acme.io", key: null, reason: "malformed_email" },
    { name: "empty", email: "", key: null, reason: "missing_email" },
    { name: "blank", email: "   ", key: null, reason: "missing_email" },
    { name: "too long", email: `${"a".repeat(320)}@acme.io`, key: null, reason: "malformed_email" },
    { name: "missing", email: null, key: null, reason: "missing_email" },
    { name: "missing email but a real LinkedIn URL", email: null, url: "https://www.linkedin.com/in/ada", key: null, reason: "missing_email" },
  ];
  it.each(cases)("$name", ({ email, url, key, reason }) => {
    const mapped = mapRow("email", row({ workEmail: email, linkedinUrl: url ?? null }));
    if (key === null) {
      expect(mapped).toEqual({ ok: false, reason });
    } else {
      expect(mapped.ok).toBe(true);
      if (mapped.ok) {
        expect(mapped.prospect.dedupeKey).toBe(key);
        expect(mapped.prospect.email).toBe(key);
      }
    }
  });

  it("keeps the LinkedIn URL of an email prospect normalised, and drops a placeholder", () => {
    const withUrl = mapRow("email", row({ workEmail: "a@b.io", linkedinUrl: "linkedin.com/in/Ada/" }));
    const withPlaceholder = mapRow("email", row({ workEmail: "a@b.io", linkedinUrl: "imported-9" }));
    expect(withUrl.ok && withUrl.prospect.linkedinUrl).toBe("https://www.linkedin.com/in/ada");
    expect(withPlaceholder.ok && withPlaceholder.prospect.linkedinUrl).toBeNull();
  });

  it("keeps a LinkedIn prospect's work email normalised, and drops one that is not an address", () => {
    const good = mapRow("linkedin", row({ linkedinUrl: "https://www.linkedin.com/in/ada", workEmail: " Ada@Acme.IO" }));
    const bad = mapRow("linkedin", row({ linkedinUrl: "https://www.linkedin.com/in/ada", workEmail: "n/a" }));
    expect(good.ok && good.prospect.email).toBe("ada@acme.io");
    expect(bad.ok && bad.prospect.email).toBeNull();
  });
});

describe("mapRow: profile fields", () => {
  const url = "https://www.linkedin.com/in/ada";
  type Fields = Partial<Pick<SourceRow, "firstName" | "lastName" | "fullName" | "company" | "role" | "headline">>;
  const cases: { name: string; fields: Fields; expected: Record<string, string | null> }[] = [
    {
      name: "every field present",
      fields: { firstName: "Ada", lastName: "Lovelace", fullName: "Ada King, Countess of Lovelace", company: "Analytical Engines", role: "Mathematician", headline: "First programmer" },
      expected: { firstName: "Ada", lastName: "Lovelace", name: "Ada King, Countess of Lovelace", company: "Analytical Engines", position: "Mathematician", headline: "First programmer" },
    },
    {
      name: "fullName missing: first + last",
      fields: { firstName: "Grace", lastName: "Hopper" },
      expected: { firstName: "Grace", lastName: "Hopper", name: "Grace Hopper", company: null, position: null, headline: null },
    },
    {
      name: "fullName blank: first + last",
      fields: { firstName: "Grace", lastName: "Hopper", fullName: "   " },
      expected: { firstName: "Grace", lastName: "Hopper", name: "Grace Hopper", company: null, position: null, headline: null },
    },
    {
      name: "only a first name",
      fields: { firstName: "Linus" },
      expected: { firstName: "Linus", lastName: null, name: "Linus", company: null, position: null, headline: null },
    },
    {
      name: "only a last name",
      fields: { lastName: "Turing" },
      expected: { firstName: null, lastName: "Turing", name: "Turing", company: null, position: null, headline: null },
    },
    {
      name: "no names at all",
      fields: {},
      expected: { firstName: null, lastName: null, name: null, company: null, position: null, headline: null },
    },
    {
      name: "whitespace trimmed, blank fields absent",
      fields: { firstName: "  Ken ", lastName: " ", company: "\tBell Labs\n", role: "", headline: "  " },
      expected: { firstName: "Ken", lastName: null, name: "Ken", company: "Bell Labs", position: null, headline: null },
    },
  ];
  it.each(cases)("$name", ({ fields, expected }) => {
    const mapped = mapRow("linkedin", row({ id: "123456789012", linkedinUrl: url, ...fields }));
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const p = mapped.prospect;
    expect({ firstName: p.firstName, lastName: p.lastName, name: p.name, company: p.company, position: p.position, headline: p.headline }).toEqual(expected);
    expect(p.source).toBe("list");
    expect(p.sourceRef).toBe("123456789012");
    expect(p.customFields).toBeNull();
  });

  // The SQL reader only hands over JSON strings (tested through a real list in the integration
  // tests); a reader plugged in through the seam could still pass anything.
  const wrong: { name: string; value: unknown }[] = [
    { name: "a number", value: 42 },
    { name: "an object", value: { first: "Ada" } },
    { name: "an array", value: ["Ada"] },
    { name: "a boolean", value: true },
    { name: "null", value: null },
    { name: "undefined", value: undefined },
  ];
  it.each(wrong)("a field holding $name is absent, never a crash", ({ value }) => {
    const v = value as string;
    const linkedin = mapRow("linkedin", row({ linkedinUrl: url, workEmail: v, firstName: v, lastName: v, fullName: v, company: v, role: v, headline: v }));
    expect(linkedin.ok).toBe(true);
    if (linkedin.ok) {
      const p = linkedin.prospect;
      expect([p.email, p.firstName, p.lastName, p.name, p.company, p.position, p.headline]).toEqual([null, null, null, null, null, null, null]);
    }
    // Not a string: there is no value, so it is missing rather than malformed.
    expect(mapRow("linkedin", row({ linkedinUrl: v }))).toEqual({ ok: false, reason: "missing_linkedin_url" });
    expect(mapRow("email", row({ workEmail: v }))).toEqual({ ok: false, reason: "missing_email" });
  });
});
