/**
 * The usage events the emulated Metering API accepted, in `<dataDir>/usage-events.jsonl`.
 * Append-only, one JSON object per line, rather than inside marketplace-state.json: that file is
 * rewritten whole on every change, which a benchmark sending 10k events would turn into
 * gigabytes of writes. A line cut short by a crash is skipped on load. Events of subscriptions
 * the state no longer has (a fresh state file) are dropped when the ledger is opened.
 */
import { existsSync } from "node:fs";
import { appendFile, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

export const USAGE_LEDGER_FILE_NAME = "usage-events.jsonl";

export const storedUsageEventSchema = z.object({
  usageEventId: z.string(),
  /** The SaaS subscription id (lower case). */
  resourceId: z.string(),
  dimension: z.string(),
  /** `effectiveStartTime` truncated to the UTC hour: the unit of Microsoft's one-event rule. */
  hourStart: z.string(),
  effectiveStartTime: z.string(),
  quantity: z.number(),
  planId: z.string(),
  offerId: z.string(),
  messageTime: z.string(),
  /** Which endpoint took it. */
  via: z.enum(["usageEvent", "batchUsageEvent"]),
});
export type StoredUsageEvent = z.infer<typeof storedUsageEventSchema>;

export interface UsageEventFilter {
  subscriptionId?: string | undefined;
  dimension?: string | undefined;
}

const keyOf = (resourceId: string, dimension: string, hourStart: string) => `${resourceId}|${dimension}|${hourStart}`;

export class UsageLedger {
  private readonly byKey = new Map<string, StoredUsageEvent>();
  private readonly events: StoredUsageEvent[] = [];
  private writeChain: Promise<void> = Promise.resolve();

  private constructor(private readonly filePath: string) {}

  static async open(dataDir: string, keep: (event: StoredUsageEvent) => boolean): Promise<UsageLedger> {
    const ledger = new UsageLedger(path.join(dataDir, USAGE_LEDGER_FILE_NAME));
    if (!existsSync(ledger.filePath)) return ledger;
    let dropped = 0;
    for (const line of (await readFile(ledger.filePath, "utf8")).split("\n")) {
      if (line.trim() === "") continue;
      const parsed = parseLine(line);
      if (!parsed || !keep(parsed)) {
        dropped += 1;
        continue;
      }
      ledger.remember(parsed);
    }
    if (dropped > 0) await ledger.rewrite();
    return ledger;
  }

  /** The accepted event for this resource, dimension and hour, if any. */
  find(resourceId: string, dimension: string, hourStart: string): StoredUsageEvent | undefined {
    return this.byKey.get(keyOf(resourceId, dimension, hourStart));
  }

  /** Accepted events, oldest hour first. */
  list(filter: UsageEventFilter = {}): StoredUsageEvent[] {
    const subscriptionId = filter.subscriptionId?.toLowerCase();
    return this.events
      .filter(
        (e) =>
          (subscriptionId === undefined || e.resourceId === subscriptionId) &&
          (filter.dimension === undefined || e.dimension === filter.dimension),
      )
      .sort((a, b) => (a.hourStart < b.hourStart ? -1 : a.hourStart > b.hourStart ? 1 : 0));
  }

  /** Records accepted events; resolves once their lines are on disk. */
  add(events: StoredUsageEvent[]): Promise<void> {
    for (const event of events) this.remember(event);
    if (events.length === 0) return this.writeChain;
    const text = events.map((event) => JSON.stringify(event)).join("\n") + "\n";
    return this.queue(() => appendFile(this.filePath, text, "utf8"));
  }

  async flush(): Promise<void> {
    await this.writeChain;
  }

  private remember(event: StoredUsageEvent): void {
    this.byKey.set(keyOf(event.resourceId, event.dimension, event.hourStart), event);
    this.events.push(event);
  }

  private rewrite(): Promise<void> {
    const text = this.events.map((event) => JSON.stringify(event) + "\n").join("");
    const temp = `${this.filePath}.${process.pid}.tmp`;
    return this.queue(async () => {
      await writeFile(temp, text, "utf8");
      await rename(temp, this.filePath);
    });
  }

  private queue(write: () => Promise<void>): Promise<void> {
    const next = this.writeChain.then(write);
    this.writeChain = next.catch((error: unknown) => {
      console.error("[marketplace] could not write the usage ledger", error);
    });
    return next;
  }
}

function parseLine(line: string): StoredUsageEvent | undefined {
  try {
    const parsed = storedUsageEventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
