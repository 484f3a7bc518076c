/**
 * CSV cells for spreadsheets (RFC 4180 quoting). A cell that starts like a formula (=, +, -, @,
 * tab, CR) is prefixed with an apostrophe so Excel or Sheets show it as text instead of running
 * it — subscription names and emails come from buyers (OWASP "CSV injection").
 */
/** What a cell holds: scalar columns only, so nothing is written as "[object Object]". */
export type CsvValue = string | number | boolean | Date | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
