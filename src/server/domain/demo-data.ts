import type { ListRowInput } from "./lists";

// Realistic list rows for the demo account, the "demo list" button and benchmarks:
// mostly good people, some placeholders and missing emails, some repeats and URL variants.

const FIRST = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Tim", "Barbara", "Dennis", "Radia", "Sophie", "Jürgen", "Amélie", "Björk", "Zoë"];
const LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Berners-Lee", "Liskov", "Ritchie", "Perlman", "Wilson", "Müller", "Poulain", "Guðmundsdóttir", "Saldaña"];
const COMPANIES = ["Acme Analytics", "Northwind", "Globex", "Initech", "Umbrella Health", "Hooli", "Stark Industries", "Wayne Logistics"];
const ROLES = ["Head of Growth", "VP Sales", "CTO", "Founder & CEO", "Marketing Lead", "Revenue Operations Manager"];

function pick<T>(items: T[], n: number): T {
  return items[n % items.length]!;
}

/** Row i of a demo list (deterministic, so repeated runs make the same people). */
export function demoRow(i: number, seed = "demo"): ListRowInput {
  const first = pick(FIRST, i);
  const last = pick(LAST, Math.floor(i / FIRST.length));
  const slug = `${seed}-${first}-${last}-${i}`.toLowerCase().normalize("NFD").replace(/[^a-z0-9-]/g, "");
  const company = pick(COMPANIES, i * 7);
  const domain = company.toLowerCase().replace(/[^a-z]/g, "") + ".example";
  const kind = i % 20;
  // 1 in 20: a placeholder from a non-LinkedIn source; 1 in 10: no work email;
  // 1 in 20: the previous person again with a different URL spelling.
  const linkedin_url =
    kind === 0 ? `imported-${seed}-${i}` : kind === 7 && i > 0 ? `http://linkedin.com/in/${slugFor(i - 1, seed)}/?utm=demo` : `https://www.linkedin.com/in/${slug}`;
  const work_email = kind === 3 || kind === 13 ? undefined : `${first}.${last}.${i}@${domain}`.toLowerCase().normalize("NFD").replace(/[^a-z0-9.@-]/g, "");
  return {
    linkedin_url,
    profile_data: {
      firstName: first,
      lastName: last,
      fullName: `${first} ${last}`,
      currentCompany: company,
      currentRole: pick(ROLES, i * 3),
      headline: `${pick(ROLES, i * 3)} at ${company}`,
      ...(work_email ? { enrichment: { work_email } } : {}),
    },
  };
}

function slugFor(i: number, seed: string) {
  const url = demoRow(i, seed).linkedin_url ?? "";
  return url.slice(url.lastIndexOf("/") + 1);
}

export function demoRows(count: number, seed = "demo"): ListRowInput[] {
  return Array.from({ length: count }, (_, i) => demoRow(i, seed));
}
