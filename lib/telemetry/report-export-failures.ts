/**
 * A collector that is down must not flood the portal's log: the first failed export of an outage
 * is logged once (with the signal and the endpoint, never the headers, which may carry a key),
 * nothing more while exports keep failing, and one line when every signal exports again.
 */
export interface ExportResultLike {
  /** 0 = success (ExportResultCode.SUCCESS), 1 = failed. */
  code: number;
  error?: Error;
}

/** What the SDK's span and metric exporters share: export(items, done). */
export interface ExporterLike<Items> {
  export(items: Items, resultCallback: (result: ExportResultLike) => void): void;
}

export interface ExportFailureLog {
  warn(message: string, context: Record<string, unknown>): void;
  info(message: string, context: Record<string, unknown>): void;
}

export function createExportFailureReporter(log: ExportFailureLog) {
  const failing = new Set<string>();
  return {
    /** Wraps the exporter's export() so each result is reported; the exporter is returned as it is. */
    watch<Items, Exporter extends ExporterLike<Items>>(signal: string, endpoint: string, exporter: Exporter): Exporter {
      const exportItems = exporter.export.bind(exporter);
      exporter.export = (items, resultCallback) =>
        exportItems(items, (result) => {
          if (result.code !== 0) {
            if (failing.size === 0)
              log.warn(
                "telemetry export failed; spans and metrics are dropped until the collector answers (logged once until it does)",
                { signal, endpoint, error: result.error?.message ?? "unknown error" },
              );
            failing.add(signal);
          } else if (failing.delete(signal) && failing.size === 0) {
            log.info("telemetry export works again", { signal, endpoint });
          }
          resultCallback(result);
        });
      return exporter;
    },
    /** Signals whose last export failed. */
    failing: () => [...failing],
  };
}
