"use client";

import { useSyncExternalStore } from "react";
import { formatDate } from "../format";

const subscribe = () => () => {};

/**
 * A date in the viewer's time zone inside server-rendered HTML. The server formats it in its own
 * zone (`serverText`); hydration keeps that text, so the two never mismatch, and the browser then
 * shows its own zone's reading if it differs.
 */
export function LocalDate({ value, serverText }: { value: string; serverText: string }) {
  return useSyncExternalStore(
    subscribe,
    () => formatDate(value),
    () => serverText,
  );
}
