// A list of N rows that looks like what people upload: mostly real LinkedIn profiles, some
// placeholder imported-* URLs, missing emails, the same person twice (verbatim or spelled
// differently), a few non-profile URLs, and profile_data with large and unicode fields.
// Deterministic: the same N and seed give the same rows, so runs compare.
import type { ListRowInput } from "../../src/server/domain/lists";
import { normalizeLinkedinUrl } from "../../src/server/domain/identity";
import type { ProspectInput } from "../../src/server/domain/prospects/add-campaign-prospects";

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Anna", "Ben", "Chloé", "Dmitri", "Eve", "François", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Léa", "Mateo", "Nour", "Olga", "Priya", "Quentin", "Rosa", "Søren", "Tomás", "Ülkü", "Wei", "Xóchitl", "Yusuf", "Zoë", "李", "Мария", "Σοφία"];
const LAST = ["Smith", "Müller", "García", "Nguyen", "O'Brien", "Kowalski", "Rossi", "Søndergaard", "Öztürk", "Dubois", "Tanaka", "Ivanova", "da Silva", "王", "Παπαδόπουλος", "Jørgensen"];
const COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella GmbH", "Société Générale", "株式会社サンプル", "Hooli", "Stark Industries", "Wayne Enterprises", "Nordisk Ærø A/S"];
const ROLES = ["Head of Sales", "VP Engineering", "CTO", "Account Executive", "Directeur commercial", "Growth Lead", "Founder & CEO", "Responsable marketing 🚀"];
const WORDS = "pipeline revenue growth outbound enterprise cloud platform customers strategy team leadership scale partnerships analytics données équipe 成長 営業".split(" ");

const slugOf = (first: string, last: string, n: number) =>
  `${first}-${last}`.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-") + `-${n.toString(36)}`;

function sentence(rand: () => number, words: number) {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  return out.join(" ");
}

/** The same person's URL as someone else might have typed it. */
function spellingVariant(slug: string, pick: number): string {
  const encoded = encodeURIComponent(slug);
  switch (pick % 5) {
    case 0: return `http://linkedin.com/in/${encoded}/`;
    case 1: return `www.linkedin.com/in/${encoded.toUpperCase()}`;
    case 2: return `https://uk.linkedin.com/in/${encoded}?trk=public_profile`;
    case 3: return `  https://www.LinkedIn.com/in/${encoded}//  `;
    default: return `//linkedin.com/in/${encoded}`;
  }
}

type Person = { first: string; last: string; slug: string; email: string | null };

/** "full": profiles as scraped (about 1.6 kB of JSON, 2% over 30 kB); "light": only the fields the import reads. */
export type ProfileShape = "full" | "light";

/** Rows [from, from + count) of the list with this seed. Call in chunks to keep memory flat. */
export function generateRows(from: number, count: number, seed = 42, shape: ProfileShape = "full"): ListRowInput[] {
  const rows: ListRowInput[] = [];
  for (let i = from; i < from + count; i++) rows.push(generateRow(i, seed, shape));
  return rows;
}

function personAt(i: number, seed: number): Person {
  const rand = mulberry32(seed * 1_000_003 + i);
  const first = FIRST[Math.floor(rand() * FIRST.length)]!;
  const last = LAST[Math.floor(rand() * LAST.length)]!;
  const slug = slugOf(first, last, i);
  const hasEmail = rand() < 0.8;
  const email = hasEmail ? `${slug.replace(/[^a-z0-9-]/g, "x")}@${COMPANIES[i % COMPANIES.length]!.toLowerCase().replace(/[^a-z]/g, "") || "example"}.com` : null;
  return { first, last, slug, email };
}

export function generateRow(i: number, seed = 42, shape: ProfileShape = "full"): ListRowInput {
  const rand = mulberry32(seed * 7_919 + i * 31 + 1);
  const kind = rand();
  // Repeats and variants point back at an earlier row's person.
  const earlier = i > 10 ? i - 1 - Math.floor(rand() * Math.min(i - 1, 5_000)) : i;
  let person = personAt(i, seed);
  let url: string | null;
  if (kind < 0.72) url = `https://www.linkedin.com/in/${encodeURIComponent(person.slug)}`;
  else if (kind < 0.82) url = `imported-${seed}-${i}`; // list came from a CSV without LinkedIn
  else if (kind < 0.87) {
    person = personAt(earlier, seed);
    url = `https://www.linkedin.com/in/${encodeURIComponent(person.slug)}`; // the same person again
  } else if (kind < 0.94) {
    person = personAt(earlier, seed);
    url = spellingVariant(person.slug, i);
  } else if (kind < 0.96) url = `https://www.linkedin.com/company/${person.slug}`;
  else if (kind < 0.975) url = null;
  else url = `https://example.com/people/${person.slug}`;

  const big = rand() < 0.02; // a few rows carry a long "about" text, so PostgreSQL TOASTs them
  const profile: Record<string, unknown> = {
    firstName: person.first,
    lastName: person.last,
    fullName: rand() < 0.9 ? `${person.first} ${person.last}` : null,
    currentCompany: COMPANIES[Math.floor(rand() * COMPANIES.length)],
    currentRole: ROLES[Math.floor(rand() * ROLES.length)],
    headline: `${ROLES[Math.floor(rand() * ROLES.length)]} · ${sentence(rand, 6)}`,
  };
  if (shape === "full") {
    Object.assign(profile, {
      location: rand() < 0.5 ? "Berlin, Deutschland" : "São Paulo, Brasil",
      about: sentence(rand, big ? 4_000 : 20 + Math.floor(rand() * 60)),
      experience: Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, k) => ({
        company: COMPANIES[(i + k) % COMPANIES.length],
        title: ROLES[(i + k) % ROLES.length],
        years: 1 + ((i + k) % 9),
      })),
      skills: Array.from({ length: Math.floor(rand() * 8) }, () => WORDS[Math.floor(rand() * WORDS.length)]),
      followers: Math.floor(rand() * 10_000),
    });
  }
  if (person.email && rand() < 0.85) {
    // Some emails arrive with capitals or padding; normalisation must fold them.
    const email = rand() < 0.1 ? `  ${person.email.toUpperCase()} ` : person.email;
    profile.enrichment = { work_email: email, verified: rand() < 0.7, source: "provider-x" };
  } else if (rand() < 0.5) {
    profile.enrichment = { work_email: null };
  }
  return { linkedin_url: url, profile_data: profile };
}

/** 1000 prospects as an API client would send them: real profile URLs, some people twice under another spelling. */
export function leadsBody(): ProspectInput[] {
  const out: ProspectInput[] = [];
  for (const row of generateRows(0, 2_000, 11, "light")) {
    if (out.length === 1000) break;
    if (!normalizeLinkedinUrl(row.linkedin_url)) continue;
    const p = row.profile_data as Record<string, string | null> & { enrichment?: { work_email?: string | null } };
    out.push({
      linkedin_url: row.linkedin_url,
      email: p.enrichment?.work_email ?? null,
      first_name: p.firstName ?? null,
      last_name: p.lastName ?? null,
      company: p.currentCompany ?? null,
      position: p.currentRole ?? null,
      headline: p.headline ?? null,
    });
  }
  return out;
}
