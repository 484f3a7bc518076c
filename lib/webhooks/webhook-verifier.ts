import "server-only";
import { marketplaceEnv, webhookEnv } from "../env";
import { createWebhookVerifier, issuersFor, webhookAudiences } from "./verify-webhook-token";

let verifier: ReturnType<typeof createWebhookVerifier> | undefined;

/** The portal's webhook verifier, configured once from the environment (keys cached across deliveries). */
export function webhookVerifier() {
  if (!verifier) {
    const marketplace = marketplaceEnv();
    const webhook = webhookEnv();
    const tenantId = marketplace.MARKETPLACE_TENANT_ID;
    verifier = createWebhookVerifier({
      jwksUrl: `${marketplace.ENTRA_AUTHORITY_HOST}/${tenantId}/discovery/v2.0/keys`,
      issuers:
        webhook.WEBHOOK_ISSUERS?.split(",")
          .map((issuer) => issuer.trim())
          .filter(Boolean) ?? issuersFor(marketplace.ENTRA_AUTHORITY_HOST, tenantId),
      audience: webhookAudiences(webhook.WEBHOOK_AUDIENCE ?? [marketplace.MARKETPLACE_CLIENT_ID]),
      tenantId,
      maxTokenAgeSeconds: webhook.WEBHOOK_TOKEN_MAX_AGE_SECONDS,
    });
  }
  return verifier;
}
