// Paging of the list-reading endpoints. `page`/`limit` is the documented contract; `cursor`
// (keyset paging) is beside it for clients that walk deep: the id of the last row of the
// previous page, so a page starts at its first row in the owner's index instead of counting
// past every row before it.

export type PageRequest = { page: number; limit: number; cursor?: string };

/**
 * Queries fetch limit + 1 rows: the extra one only says whether another page follows. The next
 * cursor is the last returned row's id, or null on the last page.
 */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: items[items.length - 1]!.id };
}

/**
 * The page queries' parameters: owner, the id to start after (the cursor, or 0: ids start at 1),
 * how many rows to skip (page/limit only) and how many to fetch.
 */
export function pageValues(ownerId: string, paging: PageRequest): [string, string, number, number] {
  return paging.cursor !== undefined
    ? [ownerId, paging.cursor, 0, paging.limit + 1]
    : [ownerId, "0", (paging.page - 1) * paging.limit, paging.limit + 1];
}
