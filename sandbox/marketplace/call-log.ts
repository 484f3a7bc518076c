/**
 * A ring buffer of recent `/api` calls, so tests can check what the portal sent (request and
 * correlation ids, retries) and what it did not ("no Activate call for this subscription").
 * Only the method, the path and the query are kept: never headers with credentials, never the
 * marketplace token (Resolve carries it in a header).
 */
import type { ApiOperation } from "./api-operations";

export interface CallRecord {
  time: string;
  method: string;
  /** Path plus query string; the API has no secrets in the query. */
  path: string;
  /** The operation the method and path name (api-operations.ts); null when no API operation is there (404/405). */
  operation: ApiOperation | null;
  /** The subscription id in the path (lower case), null when the path has none (resolve, list, metering). */
  subscriptionId: string | null;
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
  /** Set when a variant's gateway answered this try instead of the API (throttle-no-retry-after, html-errors): nothing was processed. */
  answeredBy?: string;
}

export interface CallFilter {
  since?: Date | undefined;
  operation?: ApiOperation | undefined;
  subscriptionId?: string | undefined;
}

const CAPACITY = 2000;

export class CallLog {
  private records: CallRecord[] = [];

  add(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > CAPACITY) this.records.splice(0, this.records.length - CAPACITY);
  }

  /** Calls from `since` on (inclusive), of one operation and/or subscription (case-insensitive), oldest first. */
  query(filter: CallFilter = {}): CallRecord[] {
    const from = filter.since?.getTime();
    const subscriptionId = filter.subscriptionId?.toLowerCase();
    return this.records.filter(
      (r) =>
        (from === undefined || Date.parse(r.time) >= from) &&
        (filter.operation === undefined || r.operation === filter.operation) &&
        (subscriptionId === undefined || r.subscriptionId === subscriptionId),
    );
  }

  clear(): void {
    this.records = [];
  }
}
