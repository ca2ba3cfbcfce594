import type { Db } from "../db";
import { notFound } from "./errors";

export type ListRowInput = { linkedin_url?: string | null; profile_data?: unknown };

export async function requireOwnedList(db: Db, userId: string, listId: string) {
  // Missing and foreign lists answer alike, so ids can't be probed.
  const list = await db.prisma.list.findFirst({ where: { id: listId, userId } });
  if (!list) throw notFound("list");
  return list;
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

export function listLists(db: Db, userId: string) {
  return db.prisma.list.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, rowCount: true, createdAt: true },
  });
}

export async function listRows(db: Db, userId: string, listId: string, page: number, limit: number) {
  const list = await requireOwnedList(db, userId, listId);
  const rows = await db.prisma.listRow.findMany({
    where: { listId },
    orderBy: { id: "asc" },
    skip: (page - 1) * limit,
    take: limit,
    select: { id: true, linkedinUrl: true, profileData: true },
  });
  return {
    rows: rows.map((r) => ({ id: r.id.toString(), linkedin_url: r.linkedinUrl, profile_data: r.profileData })),
    total: list.rowCount,
    page,
    limit,
  };
}
