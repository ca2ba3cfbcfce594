import type pg from "pg";
import { conflict, DomainError } from "../errors";

export const DEFAULT_LOCK_WAIT_MS = 30_000;

/** Handed to the locked work: `lost` aborts when the connection holding the lock dies. */
export type HeldLock = { lost: AbortSignal };

/**
 * Runs fn while holding the lock for this list-into-campaign import, so at most one runs at
 * a time; a second waits its turn (at most waitMs, then a conflict) and then finds the first
 * one's rows as duplicates. A session advisory lock on its own connection: if the server or
 * the connection dies, PostgreSQL releases it, so no lock is ever orphaned. If that connection
 * dies while fn runs, the lock is gone: `lost` tells fn to stop rather than run unguarded.
 *
 * Every import holds one pooled connection for its lock (waiting or running) and needs others
 * for its queries. So that imports can never take every connection of the pool (and then wait
 * forever for one more), at most a third of the pool's connections go to imports; further
 * imports wait in memory, within the same waitMs.
 */
export async function withImportLock<T>(
  pool: pg.Pool,
  key: { campaignId: string; listId: string },
  waitMs: number,
  fn: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  const releaseSlot = await slotsFor(pool).acquire(deadline);
  try {
    return await holdAdvisoryLock(pool, key, deadline, waitMs, fn);
  } finally {
    releaseSlot();
  }
}

async function holdAdvisoryLock<T>(
  pool: pg.Pool,
  key: { campaignId: string; listId: string },
  deadline: number,
  waitMs: number,
  fn: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const lost = new AbortController();
  // A checked-out client has no pool listener: without this one, a terminated backend's
  // 'error' event would be an uncaught exception that takes the whole server down.
  const onLost = (error?: Error) => lost.abort(error ?? new Error("the connection holding the import lock ended"));
  const onEnd = () => onLost();
  client.on("error", onLost);
  client.on("end", onEnd);
  let locked = false;
  let broken: unknown = undefined;
  try {
    try {
      await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, deadline - Date.now())}ms`]);
      await client.query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2))`, [key.campaignId, key.listId]);
      locked = true;
    } catch (error) {
      if ((error as { code?: string }).code === "55P03") {
        throw conflict(
          `another import of this list into this campaign is still running (waited ${waitMs < 1000 ? `${waitMs} ms` : `${Math.round(waitMs / 1000)} s`}); try again when it has finished`,
        );
      }
      broken = error;
      throw error;
    }
    return await fn({ lost: lost.signal });
  } finally {
    if (lost.signal.aborted) broken ??= lost.signal.reason;
    if (locked && !broken) {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [key.campaignId, key.listId]).catch((error) => (broken = error));
    }
    if (!broken) await client.query(`RESET lock_timeout`).catch((error) => (broken = error));
    client.off("error", onLost);
    client.off("end", onEnd);
    // A connection that failed here may still hold the lock: destroy it rather than pool it.
    client.release(broken ? toError(broken) : undefined);
  }
}

const toError = (value: unknown) => (value instanceof Error ? value : new Error(String(value)));

/** Seconds a client is told to wait when the server is busy with other imports. */
const BUSY_RETRY_AFTER_SECONDS = 5;

/** A counting semaphore whose waiters give up at a deadline, first come first served. */
class Slots {
  private used = 0;
  private waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(readonly capacity: number) {}

  acquire(deadline: number): Promise<() => void> {
    if (this.used < this.capacity) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve(this.releaser());
        },
        timer: setTimeout(() => {
          this.waiting = this.waiting.filter((w) => w !== waiter);
          reject(
            new DomainError("unavailable", "the server is busy with other imports; try again in a few seconds", BUSY_RETRY_AFTER_SECONDS),
          );
        }, Math.max(0, deadline - Date.now())),
      };
      this.waiting.push(waiter);
    });
  }

  private releaser() {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next.grant(); // the slot passes straight on
      else this.used--;
    };
  }
}

const slotsByPool = new WeakMap<pg.Pool, Slots>();

/** The import slots of a pool: a third of its connections, at least one. */
export function slotsFor(pool: pg.Pool): Slots {
  let slots = slotsByPool.get(pool);
  if (!slots) {
    slots = new Slots(Math.max(1, Math.floor((pool.options.max ?? 10) / 3)));
    slotsByPool.set(pool, slots);
  }
  return slots;
}
