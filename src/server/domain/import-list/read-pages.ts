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
// a number, an object or null in profile_data counts as absent. `->` on a non-object is NULL,
// so a profile_data that is an array, a string or null reads as all-absent too.
const text = (path: string) =>
  `CASE WHEN jsonb_typeof(${path}) = 'string' THEN ${path} #>> '{}' END`;

const PAGE_SQL = `
SELECT id::text AS id,
       linkedin_url AS "linkedinUrl",
       ${text("profile_data->'enrichment'->'work_email'")} AS "workEmail",
       ${text("profile_data->'firstName'")} AS "firstName",
       ${text("profile_data->'lastName'")} AS "lastName",
       ${text("profile_data->'fullName'")} AS "fullName",
       ${text("profile_data->'currentCompany'")} AS company,
       ${text("profile_data->'currentRole'")} AS role,
       ${text("profile_data->'headline'")} AS headline
FROM list_rows
WHERE list_id = $1 AND id > $2
ORDER BY list_rows.id -- not the text alias "id": that would sort 1000 before 999
LIMIT $3`;

/** Keyset pagination over (list_id, id): each page is an index range scan, never an OFFSET. */
export function listRowReader(db: Queryable, listId: string, pageSize = PAGE_SIZE): ReadPage {
  if (pageSize > PAGE_SIZE) throw new Error(`pages hold at most ${PAGE_SIZE} rows`);
  return async (afterId) => {
    const { rows } = await db.query<SourceRow>(PAGE_SQL, [listId, afterId ?? "0", pageSize]);
    return rows;
  };
}

export const PAGE_QUERY_FOR_EXPLAIN = PAGE_SQL;
