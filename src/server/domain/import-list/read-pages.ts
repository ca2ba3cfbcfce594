import type { Queryable } from "../prospects/insert-prospects";

export const PAGE_SIZE = 1000;

/** The fields of a list row the import uses. Non-string JSON values arrive as null. */
export type SourceRow = {
  id: string;
  linkedinUrl: string | null;
  workEmail: string | null;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  company: string | null;
  role: string | null;
  headline: string | null;
};

/** Reads the page of rows after the given row id (null: from the start), at most PAGE_SIZE long. */
export type ReadPage = (afterId: string | null) => Promise<SourceRow[]>;

// Only the fields the import needs cross the wire, and only when they are JSON strings:
// a number, an object or null in profile_data counts as absent, and so does every field of a
// profile_data that is not an object (an array, a string, null).
const text = (field: string) => `CASE jsonb_typeof(${field}) WHEN 'string' THEN ${field} #>> '{}' END`;

// Each profile is decoded once (jsonb_to_record), not once per field: per-field extraction was
// most of the query's cost on real profiles (docs/performance.md).
// The WHERE clause is "list_id = $1 AND id > $2" written as one range of list_rows_list_id_id_idx,
// from ($1, $2) to the end of list $1: the scan starts at the page's first row, and no other index
// gives this order (with the plain form the planner may walk the primary key and filter by list).
// ORDER BY names the columns, not the text output "id", which would sort 1000 before 999.
const PAGE_SQL = `
SELECT r.id::text AS id,
       r.linkedin_url AS "linkedinUrl",
       ${text("p.enrichment -> 'work_email'")} AS "workEmail",
       ${text('p."firstName"')} AS "firstName",
       ${text('p."lastName"')} AS "lastName",
       ${text('p."fullName"')} AS "fullName",
       ${text('p."currentCompany"')} AS company,
       ${text('p."currentRole"')} AS role,
       ${text("p.headline")} AS headline
FROM list_rows r
LEFT JOIN LATERAL jsonb_to_record(CASE jsonb_typeof(r.profile_data) WHEN 'object' THEN r.profile_data END)
  AS p(enrichment jsonb, "firstName" jsonb, "lastName" jsonb, "fullName" jsonb,
       "currentCompany" jsonb, "currentRole" jsonb, headline jsonb) ON true
WHERE (r.list_id, r.id) > ($1, $2) AND r.list_id <= $1
ORDER BY r.list_id, r.id
LIMIT $3`;

/** Keyset pagination over (list_id, id): each page is an index range scan, never an OFFSET. */
export function listRowReader(db: Queryable, listId: string, pageSize = PAGE_SIZE): ReadPage {
  if (pageSize > PAGE_SIZE) throw new Error(`pages hold at most ${PAGE_SIZE} rows`);
  return async (afterId) => {
    // Named, so each pooled connection parses and plans it once rather than on every page.
    const { rows } = await db.query<SourceRow>({ name: "import-list-page", text: PAGE_SQL, values: [listId, afterId ?? "0", pageSize] });
    return rows;
  };
}

export const PAGE_QUERY_FOR_EXPLAIN = PAGE_SQL;
