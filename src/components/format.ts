// Dates come over tRPC without a transformer, so they are ISO strings at run time even
// where the inferred type says Date.
//
// One formatter each, made once: Number#toLocaleString and Date#toLocaleString build a new
// Intl formatter on every call, which showed in the campaign page's CPU profile (a page of
// prospects, its pager and the import history format a few hundred values while hydrating).
const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const COUNT_FORMAT = new Intl.NumberFormat("en-US");

export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return DATE_FORMAT.format(date);
}

export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** "1 prospect", "2 prospects" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
