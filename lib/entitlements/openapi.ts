/**
 * The entitlements API's OpenAPI 3.1 document, served at `/api/v1/openapi.json`. Its schemas are
 * generated from the zod schemas the code builds its answers with (entitlement-schemas.ts), so the
 * document and the answers cannot drift apart silently; lib/entitlements/entitlements-api.int.test.ts
 * checks real answers against the document as served.
 */
import { z } from "zod";
import {
  apiComponents,
  cursorParam,
  DEFAULT_PAGE_SIZE,
  limitParam,
  subscriptionIdParam,
  tenantIdParam,
} from "./entitlement-schemas";

type JsonObject = Record<string, unknown>;

/** A JSON Schema for OpenAPI: no `$schema`/`$id` (the document's dialect applies). */
function strip(schema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/**
 * The answers' object schemas are published open (no `additionalProperties: false`): fields may be
 * added in this version, and a client must ignore the ones it does not know. Records (features)
 * keep their value schemas.
 */
function openObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openObjects);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as JsonObject)
    .filter(([key, child]) => !(key === "additionalProperties" && child === false))
    .map(([key, child]) => [key, openObjects(child)]);
  return Object.fromEntries(entries);
}

function componentSchemas(): Record<string, JsonObject> {
  const { schemas } = z.toJSONSchema(apiComponents, {
    target: "draft-2020-12",
    io: "output",
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => [id, openObjects(strip(schema as JsonObject)) as JsonObject]),
  );
}

const parameterSchema = (schema: z.ZodType) => strip(z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }));

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const refusal = (name: string) => ({ $ref: `#/components/responses/${name}` });

const description = `What each customer bought, for the ISV's product: status, account setup, offer, plan, seats, the plan's features and included quantities from the portal's offer catalog, term, and when the portal's record last changed.

**Authentication**: \`Authorization: Bearer usk_…\`, an API key created by a publisher admin in the portal's console (*API keys*) with the scope \`entitlements:read\`. A missing, unknown or revoked key is answered 401, a key without the scope 403; neither answer carries data. A key limited to some offers or customer tenants (the beneficiary's tenant) sees only their subscriptions: another subscription answers 404, as an unknown one does, and is left out of lists.

**Evolution**: fields may be added to answers within this version; ignore those you do not know. \`status\`, \`setupState\` and \`activatedBy\` are closed lists; \`term.unit\` and \`term.chargeDuration\` are Microsoft's values as sent.`;

export function entitlementsOpenApi(baseUrl: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Marketplace portal — entitlements API", version: "1.0.0", description },
    servers: [{ url: baseUrl }],
    tags: [{ name: "Entitlements", description: "What each customer bought." }],
    security: [{ apiKey: ["entitlements:read"] }],
    paths: {
      "/api/v1/entitlements": {
        get: {
          operationId: "listEntitlements",
          tags: ["Entitlements"],
          summary: "A tenant's subscriptions",
          description:
            "Every subscription the tenant uses (beneficiary) or bought (purchaser, e.g. a reseller), visible to the key, in subscription id order. Pages of `limit`; follow `nextCursor` until it is null.",
          parameters: [
            { name: "tenantId", in: "query", required: true, schema: parameterSchema(tenantIdParam) },
            {
              name: "limit",
              in: "query",
              required: false,
              schema: { ...parameterSchema(limitParam), default: DEFAULT_PAGE_SIZE },
            },
            { name: "cursor", in: "query", required: false, schema: parameterSchema(cursorParam) },
          ],
          responses: {
            "200": { description: "One page of the tenant's entitlements.", content: json("EntitlementList") },
            "400": refusal("InvalidRequest"),
            "401": refusal("Unauthenticated"),
            "403": refusal("Forbidden"),
            "503": refusal("Unavailable"),
          },
        },
      },
      "/api/v1/entitlements/{subscriptionId}": {
        get: {
          operationId: "getEntitlement",
          tags: ["Entitlements"],
          summary: "One subscription",
          parameters: [
            { name: "subscriptionId", in: "path", required: true, schema: parameterSchema(subscriptionIdParam) },
          ],
          responses: {
            "200": { description: "The subscription's entitlement.", content: json("Entitlement") },
            "400": refusal("InvalidRequest"),
            "401": refusal("Unauthenticated"),
            "403": refusal("Forbidden"),
            "404": refusal("NotFound"),
            "503": refusal("Unavailable"),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "usk_<12 hex>_<43 base64url>",
          description: "An API key from the portal's console (API keys), with the scope `entitlements:read`.",
        },
      },
      responses: {
        InvalidRequest: {
          description: "A parameter is missing or malformed; `field` names it. Code `invalid_request`.",
          content: json("Error"),
        },
        Unauthenticated: {
          description: "No key, or a malformed, unknown or revoked one. Code `unauthenticated`.",
          headers: { "WWW-Authenticate": { schema: { type: "string" } } },
          content: json("Error"),
        },
        Forbidden: {
          description: "The key lacks the `entitlements:read` scope. Code `forbidden`.",
          content: json("Error"),
        },
        NotFound: {
          description:
            "No such subscription, or one outside the key's offers or customer tenants (the same answer). Code `not_found`.",
          content: json("Error"),
        },
        Unavailable: {
          description: "The portal could not answer just now; retry after `Retry-After` seconds. Code `unavailable`.",
          headers: { "Retry-After": { schema: { type: "integer" } } },
          content: json("Error"),
        },
      },
      schemas: componentSchemas(),
    },
  };
}
