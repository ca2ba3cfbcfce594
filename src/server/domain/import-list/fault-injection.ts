import type { ReadPage } from "./read-pages";

/** A reader whose Nth page read (1-based) fails, as a dropped connection would. */
export function failOnPage(page: number): (base: ReadPage) => ReadPage {
  return (base) => {
    let reads = 0;
    return async (afterId) => {
      reads++;
      if (reads === page) throw new Error(`injected fault: page read ${page} failed`);
      return base(afterId);
    };
  };
}
