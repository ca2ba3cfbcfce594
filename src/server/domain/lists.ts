import type { Db } from "../db";
import { notFound } from "./errors";

export type ListRowInput = { linkedin_url?: string | null; profile_data?: unknown };

export async function requireOwnedList(db: Db, userId: string, listId: string) {
  // Missing and foreign lists answer alike, so ids can't be probed.
  const list = await db.prisma.list.findFirst({ where: { id: listId, userId } });
  if (!list) throw notFound("list");
  return list;
}

export async function createList(db: Db, userId: string, input: { name: string; rows?: ListRowInput[] }) {
  const list = await db.prisma.list.create({ data: { userId, name: input.name } });
  if (!input.rows?.length) return { id: list.id, name: list.name, rowCount: 0, createdAt: list.createdAt };
  const { rowCount } = await insertRows(db, list.id, input.rows);
  return { id: list.id, name: list.name, rowCount, createdAt: list.createdAt };
}

export async function appendRows(db: Db, userId: string, listId: string, rows: ListRowInput[]) {
  await requireOwnedList(db, userId, listId);
  return insertRows(db, listId, rows);
}

// One statement appends the rows and moves row_count, so the count never disagrees with the rows.
async function insertRows(db: Db, listId: string, rows: ListRowInput[]) {
  const urls = rows.map((r) => r.linkedin_url ?? null);
  const profiles = rows.map((r) => (r.profile_data === undefined ? null : JSON.stringify(r.profile_data)));
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
