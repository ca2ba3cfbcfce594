import type pg from "pg";
import { conflict } from "../errors";

export const DEFAULT_LOCK_WAIT_MS = 30_000;

/**
 * Runs fn while holding the lock for this list-into-campaign import, so at most one runs at
 * a time; a second waits its turn (at most waitMs, then a conflict) and then finds the first
 * one's rows as duplicates. A session advisory lock on its own connection: if the server or
 * the connection dies, PostgreSQL releases it, so no lock is ever orphaned.
 */
export async function withImportLock<T>(
  pool: pg.Pool,
  key: { campaignId: string; listId: string },
  waitMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let locked = false;
  try {
    try {
      await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(waitMs))}ms`]);
      await client.query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2))`, [key.campaignId, key.listId]);
      locked = true;
    } catch (error) {
      if ((error as { code?: string }).code === "55P03") {
        throw conflict(
          `another import of this list into this campaign is still running (waited ${Math.round(waitMs / 1000)} s); try again when it has finished`,
        );
      }
      throw error;
    }
    return await fn();
  } finally {
    if (locked) {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [key.campaignId, key.listId]).catch(() => undefined);
    }
    await client.query(`RESET lock_timeout`).catch(() => undefined);
    client.release();
  }
}
