/**
 * The sandbox's inbox (sandbox/inbox/README.md): where the portal's mails and alerts go on a
 * developer's machine and in tests, so nobody configures anything to see them.
 *
 *   SMTP on SANDBOX_SMTP_PORT (2525)     the mail server (STARTTLS with the sandbox's certificate)
 *   GET  /inbox                          the mails received, newest first
 *   GET  /inbox/mail/{id}                one mail: headers, HTML part (framed), text part
 *   GET  /inbox/mail/{id}/html           the HTML part as a page of its own (sandboxed; its links work)
 *   POST /inbox/teams/{name}             a Teams workflow webhook: records the post, 202
 *   POST /inbox/slack/{name}             a Slack incoming webhook: records the post, 200 "ok"
 *   GET  /inbox/chat                     the Teams and Slack posts
 *   GET|DELETE /sandbox-api/inbox        the same as JSON for tests; DELETE empties it
 *   POST /sandbox-api/inbox/faults       {smtp: {refuse, rejectRecipients}, chat: {status, times, delayMs} | null}
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { html, page } from "../html";
import { isBodyTooLarge, readBody, requestUrl, sendHtml, sendJson } from "../http";
import type { Handler } from "../types";
import { faultsSchema, InboxState } from "./inbox-state";
import { chatPage, mailListPage, mailPage } from "./pages";
import { startSmtpServer } from "./smtp-server";

const CONTROL_PATH = "/sandbox-api/inbox";
const MAX_POST_BYTES = 256 * 1024;

export interface SandboxInbox {
  handle: Handler;
  /** The port the SMTP server listens on. */
  smtpPort: number;
  close(): Promise<void>;
}

export async function createInbox(options: {
  baseUrl: string;
  dataDir: string;
  tls: { key: string; cert: string };
  /** 0: any free port. */
  smtpPort: number;
  host: string;
}): Promise<SandboxInbox> {
  const state = await InboxState.open(options.dataDir);
  const smtp = await startSmtpServer({ state, tls: options.tls, port: options.smtpPort, host: options.host });

  const view = () => ({ smtpPort: smtp.port, faults: state.faults(), mails: state.mails, chat: state.chat });

  async function receiveChatPost(
    req: IncomingMessage,
    res: ServerResponse,
    service: "teams" | "slack",
    channel: string,
  ) {
    const raw = (await readBody(req, MAX_POST_BYTES)).toString("utf8");
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = { unparsed: raw.slice(0, 2000) };
    }
    const fault = state.takeChatFault();
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const status = fault?.status ?? (service === "teams" ? 202 : 200);
    state.addChatPost({ service, channel, body, answered: status });
    await state.persist();
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end(status >= 400 ? "sandbox fault" : service === "slack" ? "ok" : "");
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string, method: string) {
    if (path === CONTROL_PATH && method === "GET") return sendJson(res, 200, view());
    if (path === CONTROL_PATH && method === "DELETE") {
      state.clear();
      await state.persist();
      return sendJson(res, 200, view());
    }
    if (path === `${CONTROL_PATH}/faults` && method === "POST") {
      let raw: unknown;
      try {
        raw = JSON.parse((await readBody(req, MAX_POST_BYTES)).toString("utf8") || "{}");
      } catch {
        return sendJson(res, 400, { error: { code: "BadRequest", message: "The request body is not valid JSON" } });
      }
      const parsed = faultsSchema.safeParse(raw);
      if (!parsed.success)
        return sendJson(res, 400, { error: { code: "BadRequest", message: z.prettifyError(parsed.error) } });
      state.setFaults(parsed.data);
      return sendJson(res, 200, view());
    }
    return sendJson(res, 404, { error: { code: "NotFound", message: `No inbox control route at ${method} ${path}` } });
  }

  const notFound = (res: ServerResponse, what: string) =>
    sendHtml(
      res,
      404,
      page({
        part: "inbox",
        title: "Not found",
        body: html`<h1>Not found</h1><p>${what} <a href="/inbox">Back to the inbox</a></p>`,
      }),
    );

  async function route(req: IncomingMessage, res: ServerResponse, path: string, method: string) {
    const chat = /^\/inbox\/(teams|slack)\/([A-Za-z0-9._-]{1,64})$/.exec(path);
    if (chat && method === "POST") return receiveChatPost(req, res, chat[1] as "teams" | "slack", chat[2]!);
    if (method !== "GET") return notFound(res, `The inbox has no ${method} ${path}.`);
    if (path === "/inbox") return sendHtml(res, 200, mailListPage(state.mails));
    if (path === "/inbox/chat") return sendHtml(res, 200, chatPage(state.chat, options.baseUrl));
    const one = /^\/inbox\/mail\/([0-9a-f-]{36})(\/html)?$/.exec(path);
    const mail = one ? state.mail(one[1]!) : undefined;
    if (!mail) return notFound(res, "No such mail (the inbox keeps the last 200).");
    if (!one?.[2]) return sendHtml(res, 200, mailPage(mail));
    // The mail's own HTML as a page: sandboxed (no scripts, no forms, no same-origin), its links
    // open at the top level, as in a mail program.
    sendHtml(res, 200, mail.html ?? "<p>No HTML part.</p>", {
      "content-security-policy":
        "sandbox allow-popups allow-top-navigation-by-user-activation; default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'",
    });
  }

  const handle: Handler = async (req, res) => {
    const path = requestUrl(req).pathname;
    const method = (req.method ?? "GET").toUpperCase();
    const inControl = path === CONTROL_PATH || path.startsWith(`${CONTROL_PATH}/`);
    if (!inControl && path !== "/inbox" && !path.startsWith("/inbox/")) return false;
    try {
      if (inControl) await control(req, res, path, method);
      else await route(req, res, path, method);
    } catch (error) {
      if (!isBodyTooLarge(error)) throw error;
      sendJson(res, 413, { error: { code: "PayloadTooLarge", message: error.message } });
    }
    return true;
  };

  return {
    handle,
    smtpPort: smtp.port,
    async close() {
      await smtp.close();
      await state.flush();
    },
  };
}
