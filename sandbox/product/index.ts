/**
 * A sample of the ISV's product, on the sandbox's origin (sandbox/product/README.md): where the
 * portal's "Open <product>" lands and where the portal's events go. It talks to the portal only
 * as a real product would — over HTTP, with the portal's published keys and the endpoint secret it
 * was given — and never imports portal code.
 *
 *   GET  /product            who arrived (the session of the last verified hand-off) and what they bought
 *   POST /product            the hand-off: verify the token, remember the person, 303 back to GET /product
 *   POST /product/events     the portal's Standard Webhooks events: verify, record, 204
 *   GET  /product/events     the events received, verified or refused
 *   GET|POST /product/settings  the endpoint secret(s)
 *   /sandbox-api/product...  the same for tests (JSON)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import {
  headerValue,
  isBodyTooLarge,
  parseCookies,
  parseForm,
  readBody,
  redirect,
  requestUrl,
  sendHtml,
  sendJson,
} from "../http";
import { html, page } from "../html";
import type { Handler } from "../types";
import { arrivalPage, eventsPage, refusedPage, settingsPage, type VerifyConfig } from "./pages";
import { ProductState } from "./product-state";
import { verifyEvent } from "./receive-event";
import { createHandoffVerifier, HANDOFF_FORM_FIELD, type HandoffVerifier } from "./verify-handoff";

export const PRODUCT_PATH = "/product";
export const PRODUCT_EVENTS_PATH = "/product/events";
const SETTINGS_PATH = "/product/settings";
const CONTROL_PATH = "/sandbox-api/product";
const SESSION_COOKIE = "sample_product_session";
const MAX_FORM_BYTES = 64 * 1024;
const MAX_EVENT_BYTES = 1024 * 1024;

export interface SampleProductOptions {
  /** The sandbox's origin, e.g. https://localhost:8443: the product's audience by default. */
  baseUrl: string;
  dataDir: string;
  /** The portal, e.g. http://localhost:3000: its keys and the issuer by default. */
  portalUrl: string;
}

export interface SampleProduct {
  handle: Handler;
  close(): Promise<void>;
}

const secretSchema = z.string().refine((secret) => {
  try {
    new Webhook(secret);
    return secret.startsWith("whsec_");
  } catch {
    return false;
  }
}, "must be a Standard Webhooks secret: whsec_ and base64");

const controlSettingsSchema = z.strictObject({
  eventSecrets: z.array(secretSchema).max(5).optional(),
  jwksUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
  issuer: z.string().min(1).nullable().optional(),
  audience: z.string().min(1).nullable().optional(),
});

/** A secret as pages and the control API show it: enough to tell two apart, never enough to sign. */
const mask = (secret: string) => `${secret.slice(0, 10)}…`;

export async function createSampleProduct(options: SampleProductOptions): Promise<SampleProduct> {
  const state = await ProductState.open(options.dataDir);
  const portalUrl = options.portalUrl.replace(/\/+$/, "");

  const config = (): VerifyConfig => ({
    jwksUrl: state.settings.jwksUrl ?? `${portalUrl}/.well-known/jwks.json`,
    issuer: state.settings.issuer ?? portalUrl,
    audience: state.settings.audience ?? new URL(options.baseUrl).origin,
    eventsUrl: `${options.baseUrl}${PRODUCT_EVENTS_PATH}`,
    portalUrl,
  });

  // One verifier (and its cache of the portal's keys) per configuration.
  let verifier: { key: string; verifier: HandoffVerifier } | undefined;
  const currentVerifier = () => {
    const { jwksUrl, issuer, audience } = config();
    const key = JSON.stringify([jwksUrl, issuer, audience]);
    if (verifier?.key !== key)
      verifier = {
        key,
        verifier: createHandoffVerifier({
          jwksUrl,
          issuer,
          audience,
          useTokenId: (jti, exp) => state.useTokenId(jti, exp),
        }),
      };
    return verifier.verifier;
  };

  async function receiveHandoff(req: IncomingMessage, res: ServerResponse) {
    const form = parseForm(req, await readBody(req, MAX_FORM_BYTES));
    const verdict = await currentVerifier().verify(form[HANDOFF_FORM_FIELD]);
    if (!verdict.ok) {
      state.addHandoff({ verified: false, reason: verdict.reason, claims: null });
      await state.persist();
      const status = verdict.code === "missing" ? 400 : verdict.code === "keys_unavailable" ? 503 : 401;
      sendHtml(res, status, refusedPage({ code: verdict.code, reason: verdict.reason, config: config() }));
      return;
    }
    const stored = state.addHandoff({
      verified: true,
      reason: null,
      claims: verdict.claims,
      key: { kid: verdict.header.kid ?? null, alg: verdict.header.alg },
    });
    await state.persist();
    // Post/redirect/get: a reload shows the page instead of posting the (now used) token again.
    redirect(
      res,
      PRODUCT_PATH,
      {
        "set-cookie": `${SESSION_COOKIE}=${stored.id}; Path=${PRODUCT_PATH}; HttpOnly; Secure; SameSite=Lax`,
      },
      303,
    );
  }

  async function receiveEvent(req: IncomingMessage, res: ServerResponse) {
    const body = (await readBody(req, MAX_EVENT_BYTES)).toString("utf8");
    const verdict = verifyEvent({
      body,
      headers: {
        "webhook-id": headerValue(req, "webhook-id"),
        "webhook-timestamp": headerValue(req, "webhook-timestamp"),
        "webhook-signature": headerValue(req, "webhook-signature"),
      },
      secrets: state.settings.eventSecrets,
    });
    const receivedAt = new Date().toISOString();
    if (!verdict.ok) {
      state.addEvent({
        receivedAt,
        webhookId: verdict.webhookId,
        verified: false,
        duplicate: false,
        reason: verdict.reason,
        type: typeOf(body),
        body: null,
      });
      await state.persist();
      sendJson(res, 401, { error: verdict.reason });
      return;
    }
    const duplicate = state.hasVerifiedEvent(verdict.webhookId);
    state.addEvent({
      receivedAt,
      webhookId: verdict.webhookId,
      verified: true,
      duplicate,
      reason: null,
      type: typeof verdict.body.type === "string" ? verdict.body.type : null,
      body: verdict.body,
    });
    await state.persist();
    res.writeHead(204, { "cache-control": "no-store" });
    res.end();
  }

  async function saveSettingsForm(req: IncomingMessage, res: ServerResponse) {
    const form = parseForm(req, await readBody(req, MAX_FORM_BYTES));
    const secrets = (form.eventSecrets ?? "")
      .split(/\s+/)
      .map((line) => line.trim())
      .filter(Boolean);
    const parsed = z.array(secretSchema).min(1, "Paste at least one secret.").max(5).safeParse(secrets);
    if (!parsed.success) {
      sendHtml(
        res,
        400,
        settingsPage({
          masked: state.settings.eventSecrets.map(mask),
          config: config(),
          problem: `Not saved: ${parsed.error.issues[0]?.message ?? "invalid secret"}.`,
        }),
      );
      return;
    }
    state.updateSettings({ eventSecrets: parsed.data });
    await state.persist();
    sendHtml(res, 200, settingsPage({ masked: parsed.data.map(mask), config: config(), saved: true }));
  }

  const view = () => ({
    settings: { ...config(), eventSecrets: state.settings.eventSecrets.map(mask) },
    handoffs: state.handoffs,
    events: state.events,
  });

  async function control(req: IncomingMessage, res: ServerResponse, path: string, method: string) {
    if (path === CONTROL_PATH && method === "GET") return sendJson(res, 200, view());
    if (path === `${CONTROL_PATH}/settings` && method === "POST") {
      let raw: unknown;
      try {
        raw = JSON.parse((await readBody(req, MAX_FORM_BYTES)).toString("utf8") || "{}");
      } catch {
        return sendJson(res, 400, { error: { code: "BadRequest", message: "The request body is not valid JSON" } });
      }
      const parsed = controlSettingsSchema.safeParse(raw);
      if (!parsed.success)
        return sendJson(res, 400, { error: { code: "BadRequest", message: z.prettifyError(parsed.error) } });
      state.updateSettings(parsed.data);
      await state.persist();
      return sendJson(res, 200, view());
    }
    if (path === `${CONTROL_PATH}/history` && method === "DELETE") {
      state.clearLists();
      await state.persist();
      return sendJson(res, 200, view());
    }
    return sendJson(res, 404, {
      error: { code: "NotFound", message: `No product control route at ${method} ${path}` },
    });
  }

  const handle: Handler = async (req, res) => {
    const path = requestUrl(req).pathname;
    const method = (req.method ?? "GET").toUpperCase();
    if (path === CONTROL_PATH || path.startsWith(`${CONTROL_PATH}/`)) {
      await guard(res, () => control(req, res, path, method));
      return true;
    }
    if (path !== PRODUCT_PATH && !path.startsWith(`${PRODUCT_PATH}/`)) return false;
    await guard(res, async () => {
      if (path === PRODUCT_PATH && method === "POST") return receiveHandoff(req, res);
      if (path === PRODUCT_PATH && method === "GET") {
        const session = parseCookies(req).get(SESSION_COOKIE);
        const arrival = session ? state.handoff(session) : undefined;
        return sendHtml(
          res,
          200,
          arrivalPage({ arrival: arrival?.verified ? arrival : undefined, recent: state.handoffs, config: config() }),
        );
      }
      if (path === PRODUCT_EVENTS_PATH && method === "POST") return receiveEvent(req, res);
      if (path === PRODUCT_EVENTS_PATH && method === "GET")
        return sendHtml(
          res,
          200,
          eventsPage({ events: state.events, configured: state.settings.eventSecrets.length > 0, config: config() }),
        );
      if (path === SETTINGS_PATH && method === "GET")
        return sendHtml(res, 200, settingsPage({ masked: state.settings.eventSecrets.map(mask), config: config() }));
      if (path === SETTINGS_PATH && method === "POST") return saveSettingsForm(req, res);
      sendHtml(
        res,
        404,
        page({
          part: "product",
          title: "Not found",
          body: html`<h1>Not found</h1><p>The sample product has no page at ${method} ${path}. <a href="${PRODUCT_PATH}">Back to the product</a></p>`,
        }),
      );
    });
    return true;
  };

  return { handle, close: () => state.flush() };
}

/** A body over the limit is a 413; anything else is the server's error (sandbox/server.ts). */
async function guard(res: ServerResponse, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (!isBodyTooLarge(error)) throw error;
    sendJson(res, 413, { error: { code: "PayloadTooLarge", message: error.message } });
  }
}

/** The event type of a refused body, if it names one (for the list; nothing in it is trusted). */
function typeOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    const type = parsed && typeof parsed === "object" ? (parsed as { type?: unknown }).type : undefined;
    return typeof type === "string" ? type.slice(0, 100) : null;
  } catch {
    return null;
  }
}
