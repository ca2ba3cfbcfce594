// Generated people for list rows and CSV files. Every row's fate in an import is known by
// construction, so the tests can say what the screen and the database must show.

export type Person = {
  linkedin_url: string | null;
  firstName: string;
  lastName: string;
  company: string;
  role: string;
  headline: string;
  email: string | null;
};

export function person(i: number, tag: string, overrides: Partial<Person> = {}): Person {
  const slug = `${tag}-person-${i}`;
  return {
    linkedin_url: `https://www.linkedin.com/in/${slug}`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    company: `Company ${i % 7}`,
    role: i % 2 ? "VP Sales" : "Head of Growth",
    headline: `Headline ${i}`,
    email: `${slug}@example.com`,
    ...overrides,
  };
}

export function people(count: number, tag: string): Person[] {
  return Array.from({ length: count }, (_, i) => person(i, tag));
}

/** The list row the REST API takes. */
export function toListRow(p: Person) {
  return {
    linkedin_url: p.linkedin_url,
    profile_data: {
      firstName: p.firstName,
      lastName: p.lastName,
      fullName: `${p.firstName} ${p.lastName}`,
      currentCompany: p.company,
      currentRole: p.role,
      headline: p.headline,
      ...(p.email ? { enrichment: { work_email: p.email } } : {}),
    },
  };
}

const cell = (value: string | null) => {
  const text = value ?? "";
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** A CSV with its own column names, as an export from another tool would have. */
export function toCsv(rows: Person[]): string {
  const header = ["Profile URL", "First Name", "Last Name", "Company", "Title", "Tagline", "Email", "Notes"];
  const lines = rows.map((p, i) => [p.linkedin_url, p.firstName, p.lastName, p.company, p.role, p.headline, p.email, `note, "quoted" ${i}`].map(cell).join(","));
  return [header.join(","), ...lines].join("\n") + "\n";
}

/**
 * A list whose import outcome differs by channel:
 *   0-39   good people (LinkedIn URL and work email)
 *   40-44  the LinkedIn URL of person 0-4 spelled differently, a new email each
 *   45-49  the work email of person 5-9 in upper case, a new LinkedIn URL each
 *   50-54  an imported-* placeholder URL, with a work email
 *   55-61  a good LinkedIn URL, no work email
 */
export function mixedList(tag: string): { rows: Person[]; linkedin: Expected; email: Expected } {
  const rows = people(40, tag);
  for (let i = 40; i < 45; i++) {
    rows.push(person(i, tag, { linkedin_url: `http://linkedin.com/in/${tag.toUpperCase()}-PERSON-${i - 40}/?utm_source=x` }));
  }
  for (let i = 45; i < 50; i++) rows.push(person(i, tag, { email: `  ${tag}-PERSON-${i - 40}@EXAMPLE.COM ` }));
  for (let i = 50; i < 55; i++) rows.push(person(i, tag, { linkedin_url: `imported-${tag}-${i}` }));
  for (let i = 55; i < 62; i++) rows.push(person(i, tag, { email: null }));
  return {
    rows,
    linkedin: { total: 62, imported: 52, duplicates: 5, invalid: 5, errors: 0 },
    email: { total: 62, imported: 50, duplicates: 5, invalid: 7, errors: 0 },
  };
}

export type Expected = { total: number; imported: number; duplicates: number; invalid: number; errors: number };
