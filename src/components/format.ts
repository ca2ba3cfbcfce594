// Dates come over tRPC without a transformer, so they are ISO strings at run time even
// where the inferred type says Date.
//
// No Intl here, on purpose: the browser's first Intl.NumberFormat / DateTimeFormat loads ICU's
// locale data, and that one-time cost (a few hundred ms at Lighthouse's 4× CPU slowdown) came
// straight out of the campaign page's hydration, as did a new formatter per call before that
// (Number#toLocaleString, Date#toLocaleString). The output is what those calls gave for "en-US"
// counts and "en-GB" dates (test/unit/format.test.ts compares them).

// en-GB's short month names (CLDR): September is "Sept".
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "1 Dec 2026, 09:05" in the viewer's time zone, as toLocaleString("en-GB", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }). */
export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}, ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** "2,500", as toLocaleString("en-US") for a whole number. */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString("en-US");
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** "1 prospect", "2 prospects" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
