/**
 * What the sample product remembers, mirrored to `<dataDir>/product-state.json`: its settings (the
 * events endpoint's secrets, where the portal's keys are), the hand-off token ids it has accepted
 * (until they expire: a replay is refused even after a restart), and the last hand-offs and events
 * it saw, verified or refused. Writes are serialized and atomic (temp file + rename).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { JsonStateFile } from "../json-state-file";

export const PRODUCT_STATE_FILE = "product-state.json";
/** Hand-offs and events kept for the pages (newest first). */
const KEPT = 200;

const settingsSchema = z.object({
  /** Standard Webhooks secrets (`whsec_…`) of the portal's endpoint for this product; more than one during a rotation. */
  eventSecrets: z.array(z.string()).default([]),
  /** Overrides of where the portal's keys are and what the tokens must say (default: the sandbox's PORTAL_URL and own origin). */
  jwksUrl: z.string().nullable().default(null),
  issuer: z.string().nullable().default(null),
  audience: z.string().nullable().default(null),
});
export type ProductSettings = z.infer<typeof settingsSchema>;

const handoffRecordSchema = z.object({
  id: z.string(),
  at: z.string(),
  verified: z.boolean(),
  /** Why it was refused, in words. */
  reason: z.string().nullable(),
  /** The verified claims (null when refused). */
  claims: z.record(z.string(), z.unknown()).nullable(),
  /** The key that signed a verified token. */
  key: z.object({ kid: z.string().nullable(), alg: z.string() }).nullable().default(null),
});
export type HandoffRecord = z.infer<typeof handoffRecordSchema>;

const eventRecordSchema = z.object({
  receivedAt: z.string(),
  webhookId: z.string().nullable(),
  verified: z.boolean(),
  /** The same webhook-id was verified before: the portal retried or replayed it. */
  duplicate: z.boolean().default(false),
  reason: z.string().nullable(),
  type: z.string().nullable(),
  /** The verified body (`type`, `timestamp`, `data`); null when refused. */
  body: z.unknown().nullable(),
});
export type EventRecord = z.infer<typeof eventRecordSchema>;

const stateSchema = z.object({
  settings: settingsSchema.default({ eventSecrets: [], jwksUrl: null, issuer: null, audience: null }),
  /** jti → its token's expiry (seconds): accepted once, refused after. */
  seenTokenIds: z.record(z.string(), z.number()).default({}),
  handoffs: z.array(handoffRecordSchema).default([]),
  events: z.array(eventRecordSchema).default([]),
});
type State = z.infer<typeof stateSchema>;

export class ProductState {
  private constructor(private readonly file: JsonStateFile<State>) {}

  private get state(): State {
    return this.file.state;
  }

  static async open(dataDir: string): Promise<ProductState> {
    return new ProductState(
      await JsonStateFile.open({ dataDir, fileName: PRODUCT_STATE_FILE, schema: stateSchema, label: "product" }),
    );
  }

  get settings(): ProductSettings {
    return this.state.settings;
  }

  updateSettings(change: Partial<ProductSettings>): ProductSettings {
    Object.assign(this.state.settings, change);
    return this.state.settings;
  }

  /**
   * Marks a token id as used; false when it was used before (a replay). Ids of expired tokens are
   * forgotten: such a token is refused for its expiry anyway.
   */
  useTokenId(jti: string, exp: number, now = Date.now()): boolean {
    const nowSeconds = now / 1000;
    for (const [id, expiry] of Object.entries(this.state.seenTokenIds))
      if (expiry < nowSeconds - 60) delete this.state.seenTokenIds[id];
    if (Object.hasOwn(this.state.seenTokenIds, jti)) return false;
    this.state.seenTokenIds[jti] = exp;
    return true;
  }

  addHandoff(record: Omit<HandoffRecord, "id" | "at" | "key"> & { key?: HandoffRecord["key"] }): HandoffRecord {
    const stored = { id: randomUUID(), at: new Date().toISOString(), ...record, key: record.key ?? null };
    this.state.handoffs.unshift(stored);
    this.state.handoffs.splice(KEPT);
    return stored;
  }

  handoff(id: string): HandoffRecord | undefined {
    return this.state.handoffs.find((record) => record.id === id);
  }

  get handoffs(): readonly HandoffRecord[] {
    return this.state.handoffs;
  }

  /** Whether an event with this webhook-id was verified before. */
  hasVerifiedEvent(webhookId: string): boolean {
    return this.state.events.some((event) => event.verified && event.webhookId === webhookId);
  }

  addEvent(record: EventRecord): void {
    this.state.events.unshift(record);
    this.state.events.splice(KEPT);
  }

  get events(): readonly EventRecord[] {
    return this.state.events;
  }

  clearLists(): void {
    this.state.handoffs = [];
    this.state.events = [];
  }

  /** Writes the state; resolves once it is on disk. */
  persist(): Promise<void> {
    return this.file.persist();
  }

  flush(): Promise<void> {
    return this.file.flush();
  }
}
