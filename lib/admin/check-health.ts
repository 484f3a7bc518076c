import "server-only";
import { countJobs, listJobs, WAITING_STATES } from "../jobs/job-store";
import { db, databaseKind } from "../db";
import { marketplaceEnv } from "../env";
import { isMarketplaceError } from "../marketplace/errors";
import { createTokenProvider, type AccessTokenProvider } from "../marketplace/token-provider";
import { checkCredential } from "./check-credential";

export type CheckStatus = "ok" | "warn" | "error";
export interface HealthCheck {
  status: CheckStatus;
  ms?: number;
  /** The message as a code (the console words it in the reader's language; `message` is English, for probes and logs). */
  code?: string;
  message: string;
  [detail: string]: unknown;
}
export interface HealthReport {
  status: "ok" | "degraded" | "error";
  checkedAt: string;
  checks: Record<"database" | "token" | "credential" | "marketplace" | "jobs", HealthCheck>;
}

// Probes every few seconds must not turn into a stream of calls to Entra and Microsoft; a failure
// is kept only briefly so recovery shows at once.
const CACHE_OK_MS = 15_000;
const CACHE_ERROR_MS = 2_000;
const BACKLOG_WARN_MS = 5 * 60_000;

interface Target {
  apiBase: string;
  authorityHost: string;
  timeoutMs: number;
}
type RemoteChecks = Pick<HealthReport["checks"], "token" | "marketplace">;
const globalForHealth = globalThis as typeof globalThis & {
  __healthCache?: Map<string, { at: number; checks: RemoteChecks }>;
  __healthTokens?: Map<string, AccessTokenProvider>;
};

/**
 * What probes and the admin health page report: the database, a token for the fulfillment app,
 * the fulfillment app's credential (its type and expiry), whether Microsoft's API answers at all,
 * and the job queue. `error` on any of the first four (the portal cannot serve buyers: an expired
 * secret or certificate says so with the date); failed or late jobs, or a credential expiring
 * within 30 days, only `degrade` it. Messages never contain secrets or tokens.
 */
export async function checkHealth(options: Partial<Target> & { fresh?: boolean } = {}): Promise<HealthReport> {
  const env = marketplaceEnv();
  const target: Target = {
    apiBase: options.apiBase ?? env.MARKETPLACE_API_BASE,
    authorityHost: options.authorityHost ?? env.ENTRA_AUTHORITY_HOST,
    timeoutMs: options.timeoutMs ?? 5000,
  };
  const [database, jobs, remote, credential] = await Promise.all([
    checkDatabase(),
    checkJobs(),
    checkRemote(target, options.fresh ?? false),
    checkCredential(env.credential),
  ]);
  const checks = { database, token: remote.token, credential, marketplace: remote.marketplace, jobs };
  const critical = [database, remote.token, credential, remote.marketplace].some((check) => check.status === "error");
  const warned = [jobs, credential].some((check) => check.status !== "ok");
  return {
    status: critical ? "error" : warned ? "degraded" : "ok",
    checkedAt: new Date().toISOString(),
    checks,
  };
}

export async function checkDatabase(): Promise<HealthCheck> {
  const started = performance.now();
  try {
    await db().$queryRaw`SELECT 1`;
    return {
      status: "ok",
      ms: elapsed(started),
      kind: databaseKind(),
      code: "database_ok",
      message: "The database answers.",
    };
  } catch {
    return {
      status: "error",
      ms: elapsed(started),
      kind: databaseKind(),
      code: "database_down",
      message: "The database does not answer.",
    };
  }
}

async function checkJobs(): Promise<HealthCheck> {
  try {
    const [counts, [oldestDue]] = await Promise.all([
      countJobs(),
      listJobs({ states: WAITING_STATES, order: "due", limit: 1 }),
    ]);
    const due = oldestDue && oldestDue.startAfter.getTime() <= Date.now() ? oldestDue : undefined;
    const lagMs = due ? Date.now() - due.startAfter.getTime() : 0;
    const failed = counts.failed;
    const late = lagMs > BACKLOG_WARN_MS;
    const message = [
      failed > 0 ? `${failed} job${failed === 1 ? "" : "s"} failed for good` : "",
      late ? `work is waiting ${Math.round(lagMs / 60_000)} minutes (are the workers running?)` : "",
    ]
      .filter(Boolean)
      .join("; ");
    return {
      status: failed > 0 || late ? "warn" : "ok",
      code: failed > 0 || late ? "jobs_behind" : "jobs_ok",
      late,
      pending: counts.created + counts.retry,
      running: counts.active,
      failed,
      oldestDueSeconds: Math.round(lagMs / 1000),
      message: message || "Background work is keeping up.",
    };
  } catch {
    return { status: "error", code: "jobs_unreadable", message: "The job queue could not be read." };
  }
}

async function checkRemote(target: Target, fresh: boolean): Promise<RemoteChecks> {
  const key = `${target.apiBase} ${target.authorityHost}`;
  const cache = (globalForHealth.__healthCache ??= new Map<string, { at: number; checks: RemoteChecks }>());
  const cached = cache.get(key);
  if (
    !fresh &&
    cached &&
    Date.now() - cached.at <
      (cached.checks.token.status === "ok" && cached.checks.marketplace.status === "ok" ? CACHE_OK_MS : CACHE_ERROR_MS)
  )
    return cached.checks;
  const [token, marketplace] = await Promise.all([checkToken(target), checkMarketplace(target)]);
  const checks = { token, marketplace };
  cache.set(key, { at: Date.now(), checks });
  return checks;
}

async function checkToken(target: Target): Promise<HealthCheck> {
  const env = marketplaceEnv();
  const providers = (globalForHealth.__healthTokens ??= new Map<string, AccessTokenProvider>());
  let provider = providers.get(target.authorityHost);
  if (!provider) {
    provider = createTokenProvider({
      authorityHost: target.authorityHost,
      tenantId: env.MARKETPLACE_TENANT_ID,
      clientId: env.MARKETPLACE_CLIENT_ID,
      credential: env.credential,
      resourceId: env.MARKETPLACE_RESOURCE_ID,
    });
    providers.set(target.authorityHost, provider);
  }
  const started = performance.now();
  try {
    await withTimeout(provider({ skipCache: true }), target.timeoutMs);
    return {
      status: "ok",
      ms: elapsed(started),
      code: "token_ok",
      message: "The fulfillment app gets a token from Entra ID.",
    };
  } catch (error) {
    const timedOut = error instanceof TimeoutError;
    return {
      status: "error",
      ms: elapsed(started),
      // The token provider's message names Entra's code and what to check for this credential, never a
      // secret: shown as written; the console words only the timeout and the generic failure.
      code: timedOut ? "token_timeout" : isMarketplaceError(error) ? undefined : "token_failed",
      timeoutSeconds: target.timeoutMs / 1000,
      message: timedOut
        ? `Entra ID did not answer within ${target.timeoutMs / 1000} s.`
        : isMarketplaceError(error)
          ? error.message
          : "The fulfillment app could not get a token: check MARKETPLACE_TENANT_ID, MARKETPLACE_CLIENT_ID, the credential and that Entra ID is reachable.",
    };
  }
}

/** Any HTTP answer from the API host counts: this checks DNS, TLS and the network path, not our permissions (the token check does that). */
async function checkMarketplace(target: Target): Promise<HealthCheck> {
  const started = performance.now();
  try {
    const response = await fetch(`${target.apiBase}/saas/subscriptions?api-version=2018-08-31`, {
      method: "GET",
      signal: AbortSignal.timeout(target.timeoutMs),
      redirect: "manual",
    });
    await response.body?.cancel();
    return {
      status: "ok",
      ms: elapsed(started),
      httpStatus: response.status,
      code: "marketplace_ok",
      message: "Microsoft's marketplace API answers.",
    };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      status: "error",
      ms: elapsed(started),
      code: timedOut ? "marketplace_timeout" : "marketplace_unreachable",
      timeoutSeconds: target.timeoutMs / 1000,
      message: timedOut
        ? `The marketplace API did not answer within ${target.timeoutMs / 1000} s.`
        : "The marketplace API cannot be reached (network, DNS or TLS failure).",
    };
  }
}

class TimeoutError extends Error {}
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const elapsed = (started: number) => Math.round(performance.now() - started);
