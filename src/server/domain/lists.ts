import type { Db } from "../db";
import { notFound } from "./errors";
import { pageOf, pageValues, type PageRequest } from "./paging";

export type ListRowInput = { linkedin_url?: string | null; profile_data?: unknown };

type ListRecord = { id: string; userId: string; name: string; rowCount: number; createdAt: Date };

// Every call about a list starts here: one named SQL statement, like requireOwnedCampaign.
const OWNED_LIST_SQL = `
SELECT id, user_id AS "userId", name, row_count AS "rowCount", created_at AS "createdAt"
FROM lists WHERE id = $1 AND user_id = $2`;

export async function requireOwnedList(db: Db, userId: string, listId: string): Promise<ListRecord> {
  const { rows } = await db.pool.query<ListRecord>({ name: "owned-list", text: OWNED_LIST_SQL, values: [listId, userId] });
  // Missing and foreign lists answer alike, so ids can't be probed.
  if (!rows[0]) throw notFound("list");
  return rows[0];
}

// One statement creates the list with its first rows (PostgreSQL runs every data-modifying
// WITH part to completion), so a failure leaves no empty list behind.
export async function createList(db: Db, userId: string, input: { name: string; rows?: ListRowInput[] }) {
  const { urls, profiles } = columns(input.rows ?? []);
  const { rows } = await db.pool.query<{ id: string; name: string; row_count: number; created_at: Date }>(
    `WITH list AS (
       INSERT INTO lists (user_id, name, row_count) VALUES ($1, $2, cardinality($3::text[]))
       RETURNING id, name, row_count, created_at
     ), ins AS (
       INSERT INTO list_rows (list_id, linkedin_url, profile_data)
       SELECT list.id, t.url, t.profile::jsonb FROM list, unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(url, profile, n)
       ORDER BY t.n
       RETURNING 1)
     SELECT id, name, row_count, created_at FROM list`,
    [userId, input.name, urls, profiles],
  );
  const list = rows[0]!;
  return { id: list.id, name: list.name, rowCount: list.row_count, createdAt: list.created_at };
}

export async function appendRows(db: Db, userId: string, listId: string, rows: ListRowInput[]) {
  await requireOwnedList(db, userId, listId);
  return insertRows(db, listId, rows);
}

// One statement appends the rows and moves row_count, so the count never disagrees with the rows.
async function insertRows(db: Db, listId: string, rows: ListRowInput[]) {
  const { urls, profiles } = columns(rows);
  const { rows: result } = await db.pool.query<{ row_count: number }>(
    `WITH ins AS (
       INSERT INTO list_rows (list_id, linkedin_url, profile_data)
       SELECT $1, t.url, t.profile::jsonb FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(url, profile, n)
       ORDER BY t.n
       RETURNING 1)
     UPDATE lists SET row_count = row_count + (SELECT count(*) FROM ins) WHERE id = $1 RETURNING row_count`,
    [listId, urls, profiles],
  );
  return { appended: rows.length, rowCount: result[0]!.row_count };
}

function columns(rows: ListRowInput[]) {
  return {
    urls: rows.map((r) => r.linkedin_url ?? null),
    profiles: rows.map((r) => (r.profile_data === undefined ? null : JSON.stringify(r.profile_data))),
  };
}

// Newest first, read backwards along lists_user_id_created_at_idx.
const LIST_LISTS_SQL = `
SELECT id, name, row_count AS "rowCount", created_at AS "createdAt"
FROM lists WHERE user_id = $1 ORDER BY created_at DESC, id DESC`;

export async function listLists(db: Db, userId: string) {
  const { rows } = await db.pool.query<Omit<ListRecord, "userId">>({ name: "list-lists", text: LIST_LISTS_SQL, values: [userId] });
  return rows;
}

// The same query as a campaign's prospects (campaigns.ts), on list_rows_list_id_id_idx.
const ROWS_PAGE_SQL = `
SELECT r.id::text AS id, r.linkedin_url, r.profile_data
FROM lists l
CROSS JOIN LATERAL (SELECT id FROM list_rows WHERE list_id = l.id AND id > $2 ORDER BY id OFFSET $3 LIMIT $4) page
CROSS JOIN LATERAL (SELECT * FROM list_rows WHERE id = page.id LIMIT 1) r
WHERE l.id = $1
ORDER BY r.id`;

/** A page of a list's rows in id order: page/limit, or the page after `cursor` (see paging.ts). */
export async function listRows(db: Db, userId: string, listId: string, paging: PageRequest) {
  const list = await requireOwnedList(db, userId, listId);
  const { rows } = await db.pool.query<{ id: string; linkedin_url: string | null; profile_data: unknown }>({
    name: "list-rows-page",
    text: ROWS_PAGE_SQL,
    values: pageValues(listId, paging),
  });
  const { items, nextCursor } = pageOf(rows, paging.limit);
  return { rows: items, total: list.rowCount, page: paging.page, limit: paging.limit, nextCursor };
}
