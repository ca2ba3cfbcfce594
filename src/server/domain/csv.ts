// CSV as spreadsheets read it (RFC 4180): fields quoted when they hold a comma, a quote or a line
// break, quotes doubled, CRLF between records, and a UTF-8 byte order mark so that Excel reads
// the file as UTF-8 (Google Sheets ignores it).

export const CSV_BOM = "\uFEFF";

// A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection"): a
// leading apostrophe makes it text, shown as written.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRecord = (cells: (string | null | undefined)[]) => `${cells.map(csvCell).join(",")}\r\n`;
