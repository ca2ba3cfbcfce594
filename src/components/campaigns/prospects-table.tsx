import Link from "next/link";
import { formatCount } from "../format";
import styles from "./campaign.module.css";

const PROSPECT_COLUMNS = ["#", "Name", "Email", "LinkedIn", "Company", "Position"];

type Prospect = {
  id: string;
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  linkedin_url: string | null;
  company: string | null;
  position: string | null;
};

/**
 * One page of the campaign's prospects, a server component: the page is in the URL (?page=N),
 * so the table arrives as HTML and has nothing to hydrate; the pager is a row of links.
 */
export function ProspectsTable(props: { prospects: Prospect[]; page: number; limit: number; total: number; path: string }) {
  const { prospects, page, limit, total, path } = props;
  if (total === 0) return <p className={styles.dimmed}>No prospects yet.</p>;
  return (
    <div className={styles.stack} style={{ gap: "var(--mantine-spacing-sm)" }}>
      <div className={styles.scroll} tabIndex={0}>
        <table className={styles.table} style={{ minWidth: 760 }} aria-label="Prospects">
          <thead>
            <tr>
              {PROSPECT_COLUMNS.map((label) => (
                <th key={label} scope="col">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {prospects.map((p, i) => (
              <tr key={p.id}>
                <td className={styles.dimmed}>{formatCount((page - 1) * limit + i + 1)}</td>
                <td>{p.name ?? [p.first_name, p.last_name].filter(Boolean).join(" ")}</td>
                <td className={styles.breakAll}>{p.email ?? ""}</td>
                <td className={styles.breakAll}>{p.linkedin_url ?? ""}</td>
                <td>{p.company ?? ""}</td>
                <td>{p.position ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LinkPager page={page} limit={limit} total={total} path={path} label="Prospects" />
    </div>
  );
}

/** Page numbers as Mantine's Pagination shows them (siblings 1, boundaries 1): 1 … 4 5 6 … 100. */
function pageItems(page: number, pages: number): (number | "gap")[] {
  const shown = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  // Near either end, show as many numbers as Mantine does instead of a gap around one page.
  if (page <= 4) for (let p = 1; p <= Math.min(5, pages); p++) shown.add(p);
  if (page >= pages - 3) for (let p = Math.max(1, pages - 4); p <= pages; p++) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const items: (number | "gap")[] = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1]! > 1) items.push(p - sorted[i - 1]! === 2 ? p - 1 : "gap");
    items.push(p);
  });
  return items;
}

/** "Prospects 1–25 of 60" and links to the other pages, hidden when everything fits on one page. */
function LinkPager({ page, limit, total, path, label }: { page: number; limit: number; total: number; path: string; label: string }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = total === 0 ? 0 : (page - 1) * limit + 1;
  const last = Math.min(total, page * limit);
  const href = (p: number) => (p === 1 ? path : `${path}?page=${p}`);
  // No prefetch (every page is dynamic); scroll={false}: the reader stays at the table.
  const link = (p: number, text: string, name: string) => (
    <Link href={href(p)} prefetch={false} scroll={false} className={styles.pageLink} aria-label={name} aria-current={p === page ? "page" : undefined}>
      {text}
    </Link>
  );
  return (
    <div className={styles.pager}>
      <p className={`${styles.text} ${styles.dimmed}`}>
        {label} {formatCount(first)}–{formatCount(last)} of {formatCount(total)}
      </p>
      {pages > 1 && (
        <nav aria-label={`${label} pages`}>
          <ul className={styles.pages}>
            {page > 1 && <li>{link(page - 1, "‹", "Previous page")}</li>}
            {pageItems(page, pages).map((item, i) =>
              item === "gap" ? (
                <li key={`gap-${i}`} className={styles.pageLink} aria-hidden="true" style={{ border: 0, background: "none" }}>
                  …
                </li>
              ) : (
                <li key={item}>{link(item, formatCount(item), `Page ${item}`)}</li>
              ),
            )}
            {page < pages && <li>{link(page + 1, "›", "Next page")}</li>}
          </ul>
        </nav>
      )}
    </div>
  );
}
