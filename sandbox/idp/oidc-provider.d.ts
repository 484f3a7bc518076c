/**
 * The subset of oidc-provider 9 that the sandbox identity provider uses. The package ships no
 * type definitions and @types/oidc-provider is not installed, so the surface we rely on is
 * declared here (kept small on purpose: anything not listed is not used).
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type AdapterPayload = Record<string, unknown> & {
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }
  export type AdapterConstructor = new (modelName: string) => Adapter;

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    redirect_uris: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    subject_type?: "public" | "pairwise";
    application_type?: "web" | "native";
  }

  export interface Client {
    clientId: string;
    redirectUris: string[];
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface OIDCSession {
    accountId?: string;
  }

  export interface OIDCParams {
    [key: string]: unknown;
  }

  export interface OIDCContext {
    readonly session: OIDCSession;
    readonly params: OIDCParams;
    readonly client?: Client;
    readonly issuer: string;
    /** The oidc-provider route name, e.g. "token", "authorization", "resume". */
    readonly route?: string;
    /** Set while resuming after an interaction. */
    readonly result?: InteractionResults;
  }

  /** The Koa context oidc-provider hands to configuration callbacks. */
  export interface KoaContextWithOIDC {
    readonly req: IncomingMessage;
    /** Undefined for requests that matched no oidc-provider route. */
    readonly oidc: OIDCContext;
    type: string;
    body: unknown;
    status: number;
    get(field: string): string;
    set(field: string, value: string): void;
    response: { get(field: string): string };
  }

  export interface InteractionPrompt {
    name: string;
    reasons: string[];
    details: Record<string, unknown>;
  }

  export interface Interaction {
    uid: string;
    exp: number;
    returnTo: string;
    prompt: InteractionPrompt;
    params: Record<string, unknown>;
    session?: { uid?: string; accountId?: string; cookie?: string };
    grantId?: string;
    save(ttlSeconds: number): Promise<string>;
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean; ts?: number; amr?: string[] };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface Grant {
    readonly jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface Session {
    accountId?: string;
    destroy(): Promise<void>;
  }
  export interface SessionStatic {
    findByUid(uid: string): Promise<Session | undefined>;
  }

  export type FindAccount = (ctx: KoaContextWithOIDC, id: string) => Promise<Account | undefined>;
  export type TtlFunction = (...args: unknown[]) => number;

  export interface Configuration {
    adapter?: AdapterConstructor;
    clients?: ClientMetadata[];
    jwks?: { keys: Record<string, unknown>[] };
    cookies?: {
      keys?: string[];
      names?: { session?: string; interaction?: string; resume?: string };
      long?: { httpOnly?: boolean; sameSite?: "lax" | "strict" | "none"; signed?: boolean };
      short?: { httpOnly?: boolean; sameSite?: "lax" | "strict" | "none"; signed?: boolean };
    };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    conformIdTokenClaims?: boolean;
    subjectTypes?: ("public" | "pairwise")[];
    pairwiseIdentifier?: (ctx: KoaContextWithOIDC, accountId: string, client: Client) => Promise<string> | string;
    findAccount?: FindAccount;
    features?: Record<string, { enabled: boolean; [option: string]: unknown }>;
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    routes?: Record<string, string>;
    responseTypes?: string[];
    interactions?: {
      url?: (ctx: KoaContextWithOIDC, interaction: Interaction) => Promise<string> | string;
      policy?: InteractionPolicy;
    };
    ttl?: Record<string, number | TtlFunction>;
    renderError?: (ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error) => Promise<void> | void;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    allowOmittingSingleRegisteredRedirectUri?: boolean;
  }

  export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  export type KoaMiddleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: GrantConstructor;
    readonly Session: SessionStatic;
    /** Koa's app.proxy / app.silent. */
    proxy: boolean;
    callback(): NodeHandler;
    use(middleware: KoaMiddleware): this;
    on(event: string, listener: (...args: never[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }
  export default Provider;

  export class Check {
    constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    static readonly REQUEST_PROMPT: true;
    static readonly NO_NEED_TO_PROMPT: false;
  }
  export interface Prompt {
    name: string;
    checks: Check[] & { add(check: Check, index?: number): void };
  }
  export type InteractionPolicy = Prompt[] & { get(name: string): Prompt | undefined };

  export const interactionPolicy: {
    base(): InteractionPolicy;
    Check: typeof Check;
  };
}
