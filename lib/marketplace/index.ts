/** The portal's marketplace client, configured from the environment (one per process). */
import "server-only";
import { marketplaceEnv } from "../env";
import { logger } from "../logger";
import { createMarketplaceClient, type MarketplaceClient } from "./client";
import { createTokenProvider } from "./token-provider";

export * from "./client";
export * from "./errors";
export * from "./schemas";

const globalForMarketplace = globalThis as typeof globalThis & { __marketplaceClient?: MarketplaceClient };

export function marketplace(): MarketplaceClient {
  if (!globalForMarketplace.__marketplaceClient) {
    const env = marketplaceEnv();
    const getAccessToken = createTokenProvider({
      authorityHost: env.ENTRA_AUTHORITY_HOST,
      tenantId: env.MARKETPLACE_TENANT_ID,
      clientId: env.MARKETPLACE_CLIENT_ID,
      credential: env.credential,
      resourceId: env.MARKETPLACE_RESOURCE_ID,
    });
    globalForMarketplace.__marketplaceClient = createMarketplaceClient({
      baseUrl: env.MARKETPLACE_API_BASE,
      getAccessToken,
      timeoutMs: env.MARKETPLACE_TIMEOUT_MS,
      maxRetries: env.MARKETPLACE_MAX_RETRIES,
      onEvent: (event) => {
        if (event.outcome === "ok") logger.debug("marketplace call", { ...event });
        else logger.warn(`marketplace call ${event.outcome}`, { ...event });
      },
    });
  }
  return globalForMarketplace.__marketplaceClient;
}
