import Papa from "papaparse";

// Turning a CSV into list rows: which column feeds linkedin_url and which feeds each
// profile_data field. The import reads exactly these fields (see domain/import-list/read-pages.ts).

export const TARGET_FIELDS = [
  { key: "linkedin_url", label: "LinkedIn URL", guesses: ["linkedin_url", "linkedin", "linkedinurl", "linkedinprofile", "profileurl", "linkedinprofileurl"] },
  { key: "firstName", label: "First name", guesses: ["firstname", "first", "givenname"] },
  { key: "lastName", label: "Last name", guesses: ["lastname", "last", "surname", "familyname"] },
  { key: "fullName", label: "Full name", guesses: ["fullname", "name"] },
  { key: "currentCompany", label: "Company", guesses: ["currentcompany", "company", "companyname", "organization", "organisation"] },
  { key: "currentRole", label: "Role", guesses: ["currentrole", "role", "title", "jobtitle", "position"] },
  { key: "headline", label: "Headline", guesses: ["headline"] },
  { key: "enrichment.work_email", label: "Work email", guesses: ["enrichmentworkemail", "workemail", "email", "emailaddress"] },
] as const;

export type TargetKey = (typeof TARGET_FIELDS)[number]["key"];
export type Mapping = Record<TargetKey, string | null>;
export type CsvRecord = Record<string, string>;
export type ParsedCsv = { headers: string[]; records: CsvRecord[]; problems: string[] };
export type ListRow = { linkedin_url?: string | null; profile_data?: Record<string, unknown> };

export const MAX_CSV_BYTES = 20 * 1024 * 1024;
export const ROWS_PER_CALL = 1000;

const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, "");

export function parseCsv(text: string): ParsedCsv {
  const result = Papa.parse<CsvRecord>(text.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: "greedy", transformHeader: (h) => h.trim() });
  const headers = (result.meta.fields ?? []).filter((h) => h !== "");
  const problems = result.errors.slice(0, 3).map((e) => (e.row === undefined ? e.message : `Row ${e.row + 1}: ${e.message}`));
  if (result.errors.length > 3) problems.push(`…and ${result.errors.length - 3} more problems`);
  return { headers, records: result.data, problems };
}

/** The first header matching each field's usual names; every header used once at most. */
export function guessMapping(headers: string[]): Mapping {
  const used = new Set<string>();
  const mapping = {} as Mapping;
  for (const field of TARGET_FIELDS) {
    const found = headers.find((h) => !used.has(h) && (squash(h) === squash(field.key) || (field.guesses as readonly string[]).includes(squash(h))));
    mapping[field.key] = found ?? null;
    if (found) used.add(found);
  }
  return mapping;
}

/** One list row per CSV record; blank cells are left out rather than stored as "". */
export function toListRows(records: CsvRecord[], mapping: Mapping): ListRow[] {
  return records.map((record) => {
    const cell = (key: TargetKey) => {
      const column = mapping[key];
      const value = column ? record[column]?.trim() : undefined;
      return value ? value : undefined;
    };
    const profile: Record<string, unknown> = {};
    for (const key of ["firstName", "lastName", "fullName", "currentCompany", "currentRole", "headline"] as const) {
      const value = cell(key);
      if (value !== undefined) profile[key] = value;
    }
    const workEmail = cell("enrichment.work_email");
    if (workEmail !== undefined) profile.enrichment = { work_email: workEmail };
    return { linkedin_url: cell("linkedin_url") ?? null, profile_data: profile };
  });
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
