/**
 * Which requests belong to the marketplace emulator. It runs before the IdP (sandbox/server.ts)
 * and returns false for everything else; the IdP owns `/{tenant}/...`, `/common/...` and
 * `/organizations/...`, so the emulator's own pages live at `/`, `/purchase` and `/marketplace/...`
 * (e.g. `/marketplace/subscriptions/{id}`, the marketplace-side actions and webhook deliveries).
 */
import { requestUrl, sendJson } from "../http";
import type { Handler } from "../types";
import { handleApiRequest } from "./api-gateway";
import type { MarketplaceContext } from "./context";
import { CONTROL_PREFIX, handleControlRequest } from "./control-api";
import { handleHomePage, handleOpenLandingPage, OPEN_LANDING_PATTERN } from "./home-page";
import { errorBody } from "./http-error";
import { handlePurchasePage, PURCHASE_PATH } from "./purchase-page";
import {
  handleRedeliverForm,
  handleSubscriptionAction,
  handleSubscriptionPage,
  REDELIVER_PATTERN,
  SUBSCRIPTION_ACTIONS_PATTERN,
  SUBSCRIPTION_PAGE_PATTERN,
} from "./subscription-page";

export function createRouter(ctx: MarketplaceContext): Handler {
  return async (req, res) => {
    const path = requestUrl(req).pathname;
    const method = (req.method ?? "GET").toUpperCase();

    if (path === "/api" || path.startsWith("/api/")) {
      await handleApiRequest(ctx, req, res);
      return true;
    }
    if (path.startsWith(CONTROL_PREFIX)) {
      await handleControlRequest(ctx, req, res);
      return true;
    }
    if (path === "/" && method === "GET") {
      await handleHomePage(ctx, req, res);
      return true;
    }
    if (path === PURCHASE_PATH && (method === "GET" || method === "POST")) {
      await handlePurchasePage(ctx, req, res);
      return true;
    }
    const openLanding = OPEN_LANDING_PATTERN.exec(path);
    if (openLanding?.[1] && method === "POST") {
      await handleOpenLandingPage(ctx, openLanding[1], res);
      return true;
    }
    const subscriptionPage = SUBSCRIPTION_PAGE_PATTERN.exec(path);
    if (subscriptionPage?.[1] && method === "GET") {
      await handleSubscriptionPage(ctx, subscriptionPage[1], req, res);
      return true;
    }
    const subscriptionAction = SUBSCRIPTION_ACTIONS_PATTERN.exec(path);
    if (subscriptionAction?.[1] && method === "POST") {
      await handleSubscriptionAction(ctx, subscriptionAction[1], req, res);
      return true;
    }
    const redeliver = REDELIVER_PATTERN.exec(path);
    if (redeliver?.[1] && method === "POST") {
      await handleRedeliverForm(ctx, redeliver[1], res);
      return true;
    }
    if (path === "/marketplace" || path.startsWith("/marketplace/")) {
      sendJson(res, 404, errorBody("NotFound", `No sandbox page at ${method} ${path}`));
      return true;
    }
    return false;
  };
}
