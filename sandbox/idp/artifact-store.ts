/**
 * In-memory storage for oidc-provider's artifacts (sessions, interactions, codes, tokens,
 * grants), shared by all tenants' Providers. Sharing one store lets the /common token endpoint
 * and the userinfo endpoint find which tenant issued a code or token: Entra accepts
 * /common/oauth2/v2.0/token for codes issued by any tenant, and next-auth redeems codes there
 * because that is what /common's discovery document advertises.
 */
import type { Adapter, AdapterConstructor, AdapterPayload } from "oidc-provider";

interface Entry {
  tid: string;
  payload: AdapterPayload;
  expiresAt?: number;
}

const SWEEP_EVERY_WRITES = 500;

export class ArtifactStore {
  readonly #entries = new Map<string, Entry>();
  /** `${tid}|${model}|uid|${uid}` → id, `${tid}|${model}|userCode|${code}` → id. */
  readonly #secondary = new Map<string, string>();
  /** `${tid}|${grantId}` → keys of artifacts issued under that grant. */
  readonly #byGrant = new Map<string, Set<string>>();
  #writes = 0;

  static #key(tid: string, model: string, id: string): string {
    return `${tid}|${model}|${id}`;
  }

  #get(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.#entries.delete(key);
    }
    for (const [key, id] of this.#secondary) {
      const [tid, model] = key.split("|");
      if (!tid || !model || !this.#entries.has(ArtifactStore.#key(tid, model, id))) this.#secondary.delete(key);
    }
    for (const [grantKey, keys] of this.#byGrant) {
      for (const key of keys) if (!this.#entries.has(key)) keys.delete(key);
      if (keys.size === 0) this.#byGrant.delete(grantKey);
    }
  }

  /** The tenant whose Provider stored `model` artifact `id` (e.g. an AuthorizationCode), if any. */
  tenantOf(model: string, id: string, tids: readonly string[]): string | undefined {
    return tids.find((tid) => this.#get(ArtifactStore.#key(tid, model, id)) !== undefined);
  }

  /** The adapter class oidc-provider instantiates per model, bound to one tenant. */
  adapterFor(tid: string): AdapterConstructor {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- inside the adapter's methods `this` is the adapter
    const store = this;
    return class TenantAdapter implements Adapter {
      constructor(readonly model: string) {}

      async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
        const key = ArtifactStore.#key(tid, this.model, id);
        store.#entries.set(key, {
          tid,
          payload: structuredClone(payload),
          expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined,
        });
        if (payload.uid) store.#secondary.set(`${tid}|${this.model}|uid|${payload.uid}`, id);
        if (payload.userCode) store.#secondary.set(`${tid}|${this.model}|userCode|${payload.userCode}`, id);
        if (payload.grantId) {
          const grantKey = `${tid}|${payload.grantId}`;
          const keys = store.#byGrant.get(grantKey) ?? new Set<string>();
          keys.add(key);
          store.#byGrant.set(grantKey, keys);
        }
        if (++store.#writes % SWEEP_EVERY_WRITES === 0) store.#sweep();
      }

      async find(id: string): Promise<AdapterPayload | undefined> {
        const entry = store.#get(ArtifactStore.#key(tid, this.model, id));
        return entry ? structuredClone(entry.payload) : undefined;
      }

      async findByUid(uid: string): Promise<AdapterPayload | undefined> {
        const id = store.#secondary.get(`${tid}|${this.model}|uid|${uid}`);
        return id === undefined ? undefined : this.find(id);
      }

      async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
        const id = store.#secondary.get(`${tid}|${this.model}|userCode|${userCode}`);
        return id === undefined ? undefined : this.find(id);
      }

      async consume(id: string): Promise<void> {
        const entry = store.#get(ArtifactStore.#key(tid, this.model, id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      }

      async destroy(id: string): Promise<void> {
        store.#entries.delete(ArtifactStore.#key(tid, this.model, id));
      }

      async revokeByGrantId(grantId: string): Promise<void> {
        const grantKey = `${tid}|${grantId}`;
        for (const key of store.#byGrant.get(grantKey) ?? []) store.#entries.delete(key);
        store.#byGrant.delete(grantKey);
      }
    };
  }
}
