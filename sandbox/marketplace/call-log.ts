/**
 * A ring buffer of recent `/api` calls, so tests can check what the portal sent (request and
 * correlation ids, retries). Only the method, the path and the query are kept: never headers
 * with credentials, never the marketplace token (Resolve carries it in a header).
 */
export interface CallRecord {
  time: string;
  method: string;
  /** Path plus query string; the API has no secrets in the query. */
  path: string;
  status: number;
  durationMs: number;
  /** The ids echoed in the response (the client's, or generated ones when it sent none). */
  requestId: string;
  correlationId: string;
  requestIdSent: boolean;
  correlationIdSent: boolean;
  /** App id of an authenticated caller. */
  appId?: string;
  /** Set when an injected fault answered the call. */
  faultId?: string;
  /**
   * Set when a variant (lost-answer, ack-answer-lost) dropped the connection instead of
   * answering: `status` is then 0 (what the client saw) and this holds the answer not sent.
   */
  lostAnswer?: { status: number; variant: string };
}

const CAPACITY = 2000;

export class CallLog {
  private records: CallRecord[] = [];

  add(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > CAPACITY) this.records.splice(0, this.records.length - CAPACITY);
  }

  since(since?: Date): CallRecord[] {
    if (!since) return [...this.records];
    const from = since.getTime();
    return this.records.filter((r) => Date.parse(r.time) >= from);
  }

  clear(): void {
    this.records = [];
  }
}
