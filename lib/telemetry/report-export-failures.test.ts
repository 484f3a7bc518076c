import { describe, expect, it, vi } from "vitest";
import { createExportFailureReporter, type ExportResultLike } from "./report-export-failures";

/** An exporter whose next results are scripted: 0 = success, 1 = failure. */
function scriptedExporter(results: number[]) {
  return {
    exported: [] as string[][],
    export(items: string[], done: (result: ExportResultLike) => void) {
      this.exported.push(items);
      const code = results.shift() ?? 0;
      done(code === 0 ? { code } : { code, error: new Error("connect ECONNREFUSED 127.0.0.1:4318") });
    },
  };
}

describe("export failures", () => {
  it("are logged once per outage, across signals, and the recovery once when every signal exports again", () => {
    const log = { warn: vi.fn(), info: vi.fn() };
    const reporter = createExportFailureReporter(log);
    const traces = reporter.watch("traces", "http://collector:4318/v1/traces", scriptedExporter([1, 1, 1, 0, 1]));
    const metrics = reporter.watch("metrics", "http://collector:4318/v1/metrics", scriptedExporter([1, 1, 0]));
    const results: number[] = [];
    const send = (exporter: typeof traces) => exporter.export(["span"], (result) => results.push(result.code));

    send(traces);
    send(metrics);
    send(traces);
    send(metrics);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/telemetry export failed.*logged once/), {
      signal: "traces",
      endpoint: "http://collector:4318/v1/traces",
      error: "connect ECONNREFUSED 127.0.0.1:4318",
    });
    expect(reporter.failing()).toEqual(["traces", "metrics"]);

    send(metrics); // metrics recover, traces still fail: no line yet
    send(traces);
    expect(log.info).not.toHaveBeenCalled();
    send(traces); // traces recover too
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledWith(
      "telemetry export works again",
      expect.objectContaining({ signal: "traces" }),
    );

    send(traces); // a new outage is logged again, once
    expect(log.warn).toHaveBeenCalledTimes(2);
    // The exporters' own callers still get every result.
    expect(results).toEqual([1, 1, 1, 1, 0, 1, 0, 1]);
    expect(traces.exported).toHaveLength(5);
  });
});
