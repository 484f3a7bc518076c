/**
 * Microsoft's side of the webhook (marketplace-contract.md §8): POSTs the payload of an operation to the configured
 * "Connection webhook" URL with a bearer token from Microsoft's marketplace app, retries non-2xx
 * answers and network errors with exponential back-off, and records every attempt.
 *
 * Deliveries live in the state file: after a restart, pending ones resume where they left off.
 * Each attempt uses the URL configured at that moment and a freshly signed token. Under the
 * reordered-webhooks variant a new delivery is held first (webhook-hold.ts).
 */
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Directory, IdentityProvider } from "../types";
import {
  MARKETPLACE_API_APP_ID,
  type EmulatorSettings,
  type StoredDelivery,
  type StoredOperation,
  type WebhookAttempt,
} from "./model";
import type { MarketplaceStore } from "./store";
import type { Variants } from "./variant-hooks";
import { DeliveryHold } from "./webhook-hold";

/** One back-off step never waits longer than this, whatever the settings say. */
const MAX_BACKOFF_STEP_MS = 5 * 60 * 1000;
const RESPONSE_SNIPPET_CHARS = 500;

export interface WebhookDispatcherOptions {
  store: MarketplaceStore;
  settings: EmulatorSettings;
  idp: IdentityProvider;
  directory: Directory;
  variants: Variants;
}

/**
 * Told about every answer with a status other than 2xx. Returns "rejected" when the answer is
 * the publisher refusing the operation (the delivery then stops), undefined to keep retrying.
 */
export type AnswerHook = (delivery: StoredDelivery, status: number) => "rejected" | undefined;

export class WebhookDispatcher {
  onAnswer: AnswerHook | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, AbortController>();
  private readonly hold = new DeliveryHold();
  private closed = false;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  /**
   * Records a delivery of `payload` for `operation` (the caller persists). `dropped` records a
   * webhook that is deliberately never sent.
   */
  create(
    operation: StoredOperation,
    payload: Record<string, unknown>,
    extra: { dropped?: boolean; redeliveryOf?: string } = {},
  ): StoredDelivery {
    const delivery: StoredDelivery = {
      id: randomUUID(),
      operationId: operation.id,
      subscriptionId: operation.subscriptionId,
      action: operation.action,
      createdAt: new Date().toISOString(),
      url: this.options.settings.webhookUrl,
      payload,
      attempts: [],
      outcome: extra.dropped ? "dropped" : "pending",
      ...(extra.redeliveryOf ? { redeliveryOf: extra.redeliveryOf } : {}),
    };
    this.options.store.addDelivery(delivery);
    return delivery;
  }

  /** A new delivery of the same payload (same operation id): what a duplicate looks like to the portal. */
  redeliver(original: StoredDelivery): StoredDelivery {
    const delivery: StoredDelivery = {
      id: randomUUID(),
      operationId: original.operationId,
      subscriptionId: original.subscriptionId,
      action: original.action,
      createdAt: new Date().toISOString(),
      url: this.options.settings.webhookUrl,
      payload: original.payload,
      attempts: [],
      outcome: "pending",
      redeliveryOf: original.id,
    };
    this.options.store.addDelivery(delivery);
    return delivery;
  }

  /** Starts sending a pending delivery (after the caller persisted it). */
  start(delivery: StoredDelivery): void {
    const holdMs = this.options.variants.webhookHoldMs();
    if (holdMs === 0) {
      this.schedule(delivery, 0);
      return;
    }
    const admission = this.hold.admit(delivery);
    if (!admission.hold) {
      for (const older of admission.overtakes) this.unschedule(older);
      this.schedule(delivery, 0);
      return;
    }
    delivery.nextAttemptAt = new Date(Date.now() + holdMs).toISOString();
    // Persisted so that a restart sends it at the same time; a failed write is logged by the store.
    this.options.store.persist().catch(() => undefined);
    this.schedule(delivery, holdMs);
  }

  /** After a restart: pending deliveries continue at their next attempt time. */
  resume(): void {
    for (const delivery of this.options.store.pendingDeliveries()) {
      const at = delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) : Date.now();
      this.schedule(delivery, Math.max(0, at - Date.now()));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.hold.clear();
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
  }

  private schedule(delivery: StoredDelivery, delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(delivery.id));
    const timer = setTimeout(() => {
      this.timers.delete(delivery.id);
      this.attempt(delivery).catch((error: unknown) =>
        console.error(`[marketplace] webhook delivery ${delivery.id} failed`, error),
      );
    }, delayMs);
    this.timers.set(delivery.id, timer);
  }

  private unschedule(delivery: StoredDelivery): void {
    clearTimeout(this.timers.get(delivery.id));
    this.timers.delete(delivery.id);
  }

  private async attempt(delivery: StoredDelivery): Promise<void> {
    if (this.closed || delivery.outcome !== "pending" || this.inFlight.has(delivery.id)) return;
    this.hold.release(delivery);
    const { settings, store } = this.options;
    const url = settings.webhookUrl;
    const controller = new AbortController();
    this.inFlight.set(delivery.id, controller);
    const startedAt = new Date();
    let answer: PostResult;
    try {
      const token = await this.signToken();
      answer = await postJson(
        url,
        JSON.stringify(delivery.payload),
        { authorization: `Bearer ${token}` },
        settings.webhookTimeoutMs,
        controller.signal,
      );
    } catch (error) {
      answer = { error: error instanceof Error ? error.message : String(error) };
    } finally {
      this.inFlight.delete(delivery.id);
    }
    // Shutting down: leave the delivery pending, as persisted, so the next start retries it.
    if (this.closed || controller.signal.aborted) return;

    const attempt: WebhookAttempt = {
      at: startedAt.toISOString(),
      url,
      durationMs: Date.now() - startedAt.getTime(),
      ...(answer.status !== undefined ? { status: answer.status } : {}),
      ...(answer.error !== undefined ? { error: answer.error } : {}),
      ...(answer.body ? { responseBody: answer.body } : {}),
    };
    delivery.attempts.push(attempt);
    delivery.url = url;
    delete delivery.nextAttemptAt;
    for (const older of this.hold.takeOvertaken(delivery)) this.schedule(older, 0);
    if (answer.status !== undefined && answer.status >= 200 && answer.status < 300) {
      delivery.outcome = "delivered";
    } else if (answer.status !== undefined && this.onAnswer?.(delivery, answer.status) === "rejected") {
      delivery.outcome = "rejected";
    } else if (delivery.attempts.length >= settings.webhookMaxAttempts) {
      delivery.outcome = "failed";
      console.warn(
        `[marketplace] webhook ${delivery.action} ${delivery.operationId} to ${url}: gave up after ${delivery.attempts.length} attempt(s)` +
          ` (last: ${attempt.status ?? attempt.error ?? "?"})`,
      );
    } else {
      const wait = backoffDelay(settings.webhookBackoffMs, delivery.attempts.length);
      delivery.nextAttemptAt = new Date(Date.now() + wait).toISOString();
      this.schedule(delivery, wait);
    }
    await store.persist();
  }

  /** A v1 token of Microsoft's marketplace app for the publisher's fulfillment app (§8.4; variants: §15.27, §15.28). */
  private signToken(): Promise<string> {
    const { directory, idp, variants } = this.options;
    const publisherApp = directory.apps.find((app) => app.isMarketplacePublisherApp)?.clientId;
    if (!publisherApp)
      throw new Error("The directory has no app with isMarketplacePublisherApp (the webhook token's audience)");
    return idp.signAccessToken({
      tid: directory.publisherTenantId,
      clientId: MARKETPLACE_API_APP_ID,
      audience: variants.webhookAudience(publisherApp),
      version: variants.webhookTokenVersion(),
    });
  }
}

/** How the ISV answered the operation: PATCH Success/Failure, a 4xx refusal, or nothing (auto-accepted). */
export function acknowledgementOf(
  o: StoredOperation,
):
  | { status: "Success" | "Failure"; at: string; via: "patch" | "webhookResponse" }
  | { autoAccepted: true; at: string; afterMs: number | null }
  | undefined {
  const at = o.completedAt ?? o.timeStamp;
  if (o.settledBy === "acknowledgement")
    return { status: o.status === "Succeeded" ? "Success" : "Failure", at, via: "patch" };
  if (o.settledBy === "webhookRejection") return { status: "Failure", at, via: "webhookResponse" };
  // A dropped webhook's operation was accepted without any window (nobody could answer it).
  if (o.settledBy === "autoAccept")
    return { autoAccepted: true, at, afterMs: o.deliver === "drop" ? null : (o.ackWindowMs ?? null) };
  return undefined;
}

/** Wait after the n-th failed attempt (n ≥ 1): base, 2·base, 4·base, … each capped at five minutes. */
export function backoffDelay(baseMs: number, failedAttempts: number): number {
  return Math.min(MAX_BACKOFF_STEP_MS, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

interface PostResult {
  status?: number;
  error?: string;
  body?: string;
}

/** One POST without connection reuse; resolves with the status (any) or an error description. */
function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<PostResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: `Invalid webhook URL ${url}` });
      return;
    }
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = send(
      target,
      {
        method: "POST",
        agent: false,
        signal,
        headers: {
          ...headers,
          "content-type": "application/json; charset=utf-8",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "marketplace-sandbox-webhook/1.0",
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (text.length < RESPONSE_SNIPPET_CHARS) text += chunk;
        });
        res.on("end", () => finish({ status: res.statusCode ?? 0, body: text.slice(0, RESPONSE_SNIPPET_CHARS) }));
        res.on("error", () => finish({ status: res.statusCode ?? 0, body: text.slice(0, RESPONSE_SNIPPET_CHARS) }));
      },
    );
    const timer = setTimeout(() => {
      finish({ error: `No answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) =>
      finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }),
    );
    req.end(body);
  });
}
