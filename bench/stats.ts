export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export interface BenchRow {
  name: string;
  samples: number[];
  unit?: string;
}

export function printTable(rows: BenchRow[]) {
  const lines = rows.map((row) => ({
    benchmark: row.name,
    n: String(row.samples.length),
    p50: `${percentile(row.samples, 50).toFixed(1)} ${row.unit ?? "ms"}`,
    p95: `${percentile(row.samples, 95).toFixed(1)} ${row.unit ?? "ms"}`,
    max: `${Math.max(...row.samples).toFixed(1)} ${row.unit ?? "ms"}`,
  }));
  const headers = ["benchmark", "n", "p50", "p95", "max"] as const;
  const widths = headers.map((header) => Math.max(header.length, ...lines.map((line) => line[header].length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(format([...headers]));
  console.log(format(widths.map((width) => "-".repeat(width))));
  for (const line of lines) console.log(format(headers.map((header) => line[header])));
}
