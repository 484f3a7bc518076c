/**
 * Where Microsoft's webhook is served: /api/marketplace/webhook, and the path in WEBHOOK_PATH when
 * it names another one (the URL registered in Partner Center can be any path). next.config.ts
 * rewrites it to the route; the standalone server's fast path answers both.
 */
export const DEFAULT_WEBHOOK_PATH = "/api/marketplace/webhook";

/** WEBHOOK_PATH when it is a plain path other than the default; undefined otherwise. */
export function customWebhookPath(value: string | undefined): string | undefined {
  return value && value !== DEFAULT_WEBHOOK_PATH && /^\/[\w\-/]+$/.test(value) ? value : undefined;
}

/** Every path the webhook answers on. */
export function webhookPaths(value: string | undefined): string[] {
  const custom = customWebhookPath(value);
  return custom ? [DEFAULT_WEBHOOK_PATH, custom] : [DEFAULT_WEBHOOK_PATH];
}
