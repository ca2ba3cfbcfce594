import type { Channel } from "@/server/domain/identity";
import { formatCount, formatDate } from "../format";
import { LocalDate } from "../common/local-date";
import { describeSkipped, isActive, RUN_STATUS_COLOR, RUN_STATUS_LABEL, skippedCount, skippedCsvHref, type RunRecord } from "../import/run-summary";
import { Badge } from "./badge";
import styles from "./campaign.module.css";

const RUN_COLUMNS: { label: string; numeric?: boolean }[] = [
  { label: "Started" },
  { label: "List" },
  { label: "Status" },
  { label: "Rows read", numeric: true },
  { label: "Imported", numeric: true },
  { label: "Duplicates", numeric: true },
  { label: "Invalid", numeric: true },
  { label: "Errors", numeric: true },
  { label: "Why skipped" },
];

type Run = RunRecord & { startedAt: Date | string; finishedAt: Date | string | null };

/** The campaign's import history, a server component: plain HTML, nothing to hydrate but the dates. */
export function ImportRunsTable({ runs, channel }: { runs: Run[]; channel: Channel }) {
  if (runs.length === 0) return <p className={styles.dimmed}>No imports yet.</p>;
  return (
    // A table wider than a phone scrolls sideways; keyboard users scroll it by focusing it.
    <div className={styles.scroll} tabIndex={0}>
      {/* One line a cell, so numbers, dates and status badges never wrap or truncate; the table scrolls instead. */}
      <table className={`${styles.table} ${styles.nowrap}`} style={{ minWidth: 1120 }} aria-label="Import history">
        <thead>
          <tr>
            {RUN_COLUMNS.map((column) => (
              <th key={column.label} scope="col" className={column.numeric ? styles.numeric : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-testid="import-run-row" data-run-id={run.id}>
              <td>
                <LocalDate value={new Date(run.startedAt).toISOString()} serverText={formatDate(run.startedAt)} />
              </td>
              <td className={styles.wrap} style={{ minWidth: 140 }}>
                {run.listName}
              </td>
              <td style={{ minWidth: 150 }}>
                <Badge color={RUN_STATUS_COLOR[run.status]} data-testid="run-status">
                  {RUN_STATUS_LABEL[run.status]}
                </Badge>
              </td>
              <td className={styles.numeric}>
                {formatCount(run.total)} of {formatCount(run.listTotal)}
              </td>
              <td className={styles.numeric} data-testid="run-imported">
                {formatCount(run.imported)}
              </td>
              <td className={styles.numeric} data-testid="run-duplicates">
                {formatCount(run.duplicates)}
              </td>
              <td className={styles.numeric} data-testid="run-invalid">
                {formatCount(run.invalid)}
              </td>
              <td className={styles.numeric} data-testid="run-errors">
                {formatCount(run.errors)}
              </td>
              <td className={styles.wrap} style={{ minWidth: 240 }}>
                {!isActive(run) && skippedCount(run) > 0 && (
                  <>
                    <p className={styles.text} data-testid="run-reasons">
                      {describeSkipped(run, channel)}
                    </p>
                    <a href={skippedCsvHref(run.id)} download className={styles.link} data-testid="run-skipped-csv">
                      Download skipped rows (CSV)
                    </a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
