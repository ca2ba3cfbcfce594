import { useState } from "react";

/**
 * Whether `opened` has ever been true: a lazily loaded dialog mounts when it is first opened
 * (its code loads then, not with the page) and stays mounted after (its closing animation, its state).
 */
export function useOpenedOnce(opened: boolean): boolean {
  const [once, setOnce] = useState(opened);
  if (opened && !once) setOnce(true);
  return once || opened;
}
