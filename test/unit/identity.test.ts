import { describe, expect, it } from "vitest";
import { dedupeKey, IDENTITY_RULE, normalizeEmail, normalizeLinkedinUrl, normalizeLinkedinUrlByParsing } from "@/server/domain/identity";

const ADA = "https://www.linkedin.com/in/ada-lovelace";
const JOSE = "https://www.linkedin.com/in/jos%C3%A9";

describe("normalizeEmail", () => {
  it.each([
    ["ada@example.com", "ada@example.com"],
    ["Ada@Example.COM", "ada@example.com"],
    ["  ada@example.com  ", "ada@example.com"],
    ["\tADA@EXAMPLE.COM\n", "ada@example.com"],
    ["first.last+tag@mail.example.co.uk", "first.last+tag@mail.example.co.uk"],
    ["a@b.io", "a@b.io"],
    ["O'Brien+News@Example.ie", "o'brien+news@example.ie"],
    ["x_y-z!#$%&*=?^`{|}~@sub-domain.example.com", "x_y-z!#$%&*=?^`{|}~@sub-domain.example.com"],
    ["Zoë@Exämple.de", "zoë@exämple.de"],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    ["empty", ""],
    ["only whitespace", "   "],
    ["no @", "ada.example.com"],
    ["two @", "ada@lovelace@example.com"],
    ["doubled @", "ada@@example.com"],
    ["nothing before @", "@example.com"],
    ["nothing after @", "ada@"],
    ["no dot in the domain", "ada@localhost"],
    ["domain starts with a dot", "ada@.example.com"],
    ["domain ends with a dot", "ada@example.com."],
    ["empty domain label", "ada@example..com"],
    ["space in the local part", "ada lovelace@example.com"],
    ["space in the domain", "ada@exa mple.com"],
    ["tab inside", "ada\t@example.com"],
    ["NUL inside", "ada\u0000@example.com"],
    ["a URL", "https://www.linkedin.com/in/ada"],
    ["longer than 320 characters", `${"a".repeat(310)}@example.com`],
  ])("%s (%j) is invalid", (_label, input) => {
    expect(normalizeEmail(input)).toBeNull();
  });

  it.each([[null], [undefined], [42], [{ email: "ada@example.com" }], [["ada@example.com"]]])("non-string %j is invalid", (input) => {
    expect(normalizeEmail(input)).toBeNull();
  });
});

describe("normalizeLinkedinUrl: variants of one profile give one canonical URL", () => {
  it.each([
    // scheme: any of http/https, or none, or protocol-relative
    ["https://www.linkedin.com/in/ada-lovelace", ADA],
    ["http://www.linkedin.com/in/ada-lovelace", ADA],
    ["HTTPS://WWW.LINKEDIN.COM/IN/ADA-LOVELACE", ADA],
    ["www.linkedin.com/in/ada-lovelace", ADA],
    ["linkedin.com/in/ada-lovelace", ADA],
    ["//linkedin.com/in/ada-lovelace", ADA],
    ["https://linkedin.com:443/in/ada-lovelace", ADA],
    ["linkedin.com:443/in/ada-lovelace", ADA],
    // subdomains: none, www, country, mobile
    ["https://linkedin.com/in/ada-lovelace", ADA],
    ["https://uk.linkedin.com/in/ada-lovelace", ADA],
    ["https://de.linkedin.com/in/ada-lovelace", ADA],
    ["https://m.linkedin.com/in/ada-lovelace", ADA],
    // trailing slashes, query strings, fragments
    ["https://www.linkedin.com/in/ada-lovelace/", ADA],
    ["https://www.linkedin.com/in/ada-lovelace//", ADA],
    ["https://www.linkedin.com/in/ada-lovelace?originalSubdomain=uk", ADA],
    ["https://www.linkedin.com/in/ada-lovelace/?utm_source=x&trk=y", ADA],
    ["https://www.linkedin.com/in/ada-lovelace#experience", ADA],
    ["https://www.linkedin.com/in/ada-lovelace/?a=1#b", ADA],
    // case of the slug
    ["https://www.linkedin.com/in/Ada-Lovelace", ADA],
    ["https://www.linkedin.com/in/ADA-LOVELACE/", ADA],
    // surrounding whitespace is trimmed
    ["  https://www.linkedin.com/in/ada-lovelace  ", ADA],
    ["\nlinkedin.com/in/ada-lovelace\t", ADA],
    // percent-encoding: unencoded unicode, upper-case hex, lower-case hex, decomposed form, upper-case letter
    ["https://www.linkedin.com/in/josé", JOSE],
    ["https://www.linkedin.com/in/jos%C3%A9", JOSE],
    ["https://www.linkedin.com/in/jos%c3%a9", JOSE],
    ["https://www.linkedin.com/in/jose\u0301", JOSE],
    ["https://www.linkedin.com/in/JOSÉ", JOSE],
    ["https://www.linkedin.com/in/JOS%C3%89", JOSE],
    ["linkedin.com/in/jos%C3%A9/?x=1", JOSE],
    // percent-encoded plain characters decode to the same slug
    ["https://www.linkedin.com/in/%61da-lovelace", ADA],
    ["https://www.linkedin.com/in/ada%2Dlovelace", ADA],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeLinkedinUrl(input)).toBe(expected);
  });

  it("keeps distinct people distinct", () => {
    expect(normalizeLinkedinUrl("linkedin.com/in/ada")).not.toBe(normalizeLinkedinUrl("linkedin.com/in/ada-lovelace"));
    expect(normalizeLinkedinUrl("linkedin.com/in/jose")).not.toBe(normalizeLinkedinUrl("linkedin.com/in/josé"));
  });

  it("is idempotent: the canonical form normalises to itself", () => {
    for (const url of [ADA, JOSE, "https://www.linkedin.com/in/o'neil", "https://www.linkedin.com/in/%E6%9D%8E%E5%9B%9B"]) {
      const once = normalizeLinkedinUrl(url);
      expect(once).not.toBeNull();
      expect(normalizeLinkedinUrl(once)).toBe(once);
    }
  });
});

describe("normalizeLinkedinUrl: what is not a LinkedIn profile", () => {
  it.each([
    // placeholders, as value or as slug
    ["placeholder value", "imported-123"],
    ["placeholder value, upper case", "IMPORTED-abc"],
    ["placeholder value with whitespace", "  imported-42"],
    ["placeholder slug", "https://www.linkedin.com/in/imported-123"],
    ["placeholder slug, upper case", "https://www.linkedin.com/in/Imported-xyz/"],
    ["placeholder slug, percent-encoded", "https://www.linkedin.com/in/%69mported-1"],
    ["placeholder slug without scheme", "linkedin.com/in/imported-7"],
    // other sites
    ["another site", "https://example.com/in/ada"],
    ["another site with linkedin.com in its path", "https://example.com/linkedin.com/in/ada"],
    ["another site with linkedin.com in its query", "https://example.com/?u=linkedin.com/in/ada"],
    ["linkedin.com as a prefix of another domain", "https://linkedin.com.evil.com/in/ada"],
    ["linkedin.com.evil.com without scheme", "linkedin.com.evil.com/in/ada"],
    ["a domain ending in linkedin.com", "https://notlinkedin.com/in/ada"],
    ["a look-alike domain", "https://linked-in.com/in/ada"],
    ["credentials before the host", "https://linkedin.com@evil.com/in/ada"],
    ["user info on linkedin", "https://ada:secret@linkedin.com/in/ada"],
    ["two levels of subdomain", "https://a.b.linkedin.com/in/ada"],
    // schemes
    ["javascript:", "javascript:alert(1)"],
    ["javascript: with a linkedin path", "javascript://linkedin.com/in/ada"],
    ["ftp:", "ftp://linkedin.com/in/ada"],
    ["mailto:", "mailto:ada@linkedin.com"],
    ["data:", "data:text/html,linkedin.com/in/ada"],
    // relative paths
    ["a relative path", "/in/ada"],
    ["a relative path without slash", "in/ada"],
    ["a bare slug", "ada-lovelace"],
    // whitespace
    ["empty", ""],
    ["only whitespace", "   \t "],
    ["a space in the slug", "https://www.linkedin.com/in/ada lovelace"],
    ["an encoded space in the slug", "https://www.linkedin.com/in/ada%20lovelace"],
    ["a tab in the URL", "https://www.linkedin.com/in/ada\tlovelace"],
    ["a newline in the URL", "https://www.linkedin.com/in/ada\nlovelace"],
    // not a profile page
    ["a company page", "https://www.linkedin.com/company/acme"],
    ["a company page without scheme", "linkedin.com/company/acme/"],
    ["a school page", "https://www.linkedin.com/school/mit"],
    ["a post", "https://www.linkedin.com/posts/ada_activity-1"],
    ["the home page", "https://www.linkedin.com/"],
    ["/in/ with no slug", "https://www.linkedin.com/in/"],
    ["/in// with no slug", "https://www.linkedin.com/in//"],
    ["a sub-page of a profile", "https://www.linkedin.com/in/ada/details/experience"],
    ["an encoded slash in the slug", "https://www.linkedin.com/in/ada%2Fcompany"],
    ["broken percent-encoding", "https://www.linkedin.com/in/ada%zz"],
    ["a truncated percent-encoding", "https://www.linkedin.com/in/jos%C3"],
    ["over 2048 characters", `https://www.linkedin.com/in/${"a".repeat(2100)}`],
  ])("%s (%j) is invalid", (_label, input) => {
    expect(normalizeLinkedinUrl(input)).toBeNull();
  });

  it.each([[null], [undefined], [42], [{ url: ADA }]])("non-string %j is invalid", (input) => {
    expect(normalizeLinkedinUrl(input)).toBeNull();
  });
});

describe("dedupeKey: the channel decides which identity counts", () => {
  const identity = { email: "ada@example.com", linkedinUrl: ADA };
  it.each([
    ["email", identity, "ada@example.com"],
    ["linkedin", identity, ADA],
    ["email", { email: null, linkedinUrl: ADA }, null],
    ["linkedin", { email: "ada@example.com", linkedinUrl: null }, null],
  ] as const)("%s campaign, %j -> %j", (channel, input, expected) => {
    expect(dedupeKey(channel, input)).toBe(expected);
  });

  it("has a rule to show for each channel", () => {
    expect(IDENTITY_RULE.email).toMatch(/email/i);
    expect(IDENTITY_RULE.linkedin).toMatch(/linkedin/i);
    expect(IDENTITY_RULE.linkedin).toMatch(/imported-/);
  });
});

describe("normalizeLinkedinUrl's shortcut for URLs already in the canonical shape", () => {
  // normalizeLinkedinUrl takes the slug of https://www.linkedin.com/in/<slug> without the URL
  // parser; the answer must be the parser's for every input. Random URLs near that shape
  // (a fixed seed, so a failure repeats), with the pieces that make the parser differ.
  let seed = 20261201;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const prefixes = ["https://www.linkedin.com/in/", "https://www.linkedin.com/IN/", "https://WWW.linkedin.com/in/", "http://www.linkedin.com/in/", "https://linkedin.com/in/", " https://www.linkedin.com/in/"];
  const pieces = ["a", "Z", "0", "-", "ada", "%2e", "%2E", ".", "..", "%41", "%c3%a9", "%C3%A9", "%e7%8e%8b", "%zz", "%", "%0a", "%2f", "%2F", "%20", "~", "_", "é", "王", "imported-", "IMPORTED-", "%69mported-"];
  const endings = ["", "/", "//", "?x=1", "#top", "/detail", " "];
  const cases = Array.from({ length: 20_000 }, () => {
    const slug = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(pieces)).join("");
    return pick(prefixes) + slug + pick(endings);
  });

  it("gives the URL parser's answer for 20,000 URLs near the canonical shape", () => {
    const differing = cases.filter((url) => normalizeLinkedinUrl(url) !== normalizeLinkedinUrlByParsing(url));
    expect(differing.slice(0, 5)).toEqual([]);
    // The cases reach both answers: profiles and refusals.
    expect(cases.filter((url) => normalizeLinkedinUrl(url) !== null).length).toBeGreaterThan(5_000);
    expect(cases.filter((url) => normalizeLinkedinUrl(url) === null).length).toBeGreaterThan(5_000);
  });

  it("leaves %2e to the parser: %2e%2e is a .. segment there, not a slug", () => {
    expect(normalizeLinkedinUrl("https://www.linkedin.com/in/%2e%2e")).toBeNull();
    expect(normalizeLinkedinUrl("https://www.linkedin.com/in/%2E")).toBeNull();
  });
});
