import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./csv";

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvCell('Fabrikam, "Inc."')).toBe('"Fabrikam, ""Inc."""');
    expect(csvCell("a\nb")).toBe('"a\nb"');
  });
  it("neutralises cells a spreadsheet would run as formulas", () => {
    for (const hostile of ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
      expect(csvCell(hostile).replace(/^"/, "").startsWith("'")).toBe(true);
  });
  it("writes dates as ISO, nulls as empty, and ends rows with CRLF", () => {
    expect(csvRow([new Date("2026-01-02T03:04:05Z"), null, 5, true])).toBe("2026-01-02T03:04:05.000Z,,5,true\r\n");
  });
});
