/**
 * The sandbox's mail server (smtp-server): it takes every mail the portal sends — over STARTTLS
 * with the sandbox's certificate, signed in or not (any user and password, or an XOAUTH2 token,
 * are accepted and recorded) — parses it (mailparser) and keeps it for the inbox pages. It can be
 * told to refuse (faults): a 421 at connection, a 451 or 554 to MAIL FROM, a 550 for given
 * recipients, so tests see the portal retry or give up.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { InboxState } from "./inbox-state";

const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

function addresses(value: AddressObject | AddressObject[] | undefined) {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((entry) => entry.value.map((item) => ({ name: item.name ?? "", address: item.address ?? "" })));
}

export interface SandboxSmtpServer {
  port: number;
  close(): Promise<void>;
}

export async function startSmtpServer(options: {
  state: InboxState;
  tls: { key: string; cert: string };
  port: number;
  host: string;
}): Promise<SandboxSmtpServer> {
  const { state } = options;
  const authOf = new WeakMap<SMTPServerSession, { method: string; user: string }>();
  const server = new SMTPServer({
    key: options.tls.key,
    cert: options.tls.cert,
    secure: false,
    authOptional: true,
    authMethods: ["PLAIN", "LOGIN", "XOAUTH2"],
    size: MAX_MESSAGE_BYTES,
    banner: "Marketplace sandbox mail server (not a real one)",
    disableReverseLookup: true,
    logger: false,
    onConnect(_session, callback) {
      if (state.smtpFaults.refuse === "connection")
        return callback(smtpError("Service not available (sandbox fault)", 421));
      callback();
    },
    onAuth(auth, session, callback) {
      const user = auth.username ?? "";
      const given = auth.method === "XOAUTH2" ? auth.accessToken : auth.password;
      if (!user || !given) return callback(smtpError("Authentication credentials invalid", 535));
      authOf.set(session, { method: auth.method, user });
      callback(null, { user });
    },
    onMailFrom(_address, _session, callback) {
      if (state.smtpFaults.refuse === "temporary")
        return callback(smtpError("Requested action aborted: local error in processing (sandbox fault)", 451));
      if (state.smtpFaults.refuse === "permanent")
        return callback(smtpError("Transaction failed (sandbox fault)", 554));
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (state.smtpFaults.rejectRecipients.includes(address.address.toLowerCase()))
        return callback(
          smtpError(`<${address.address}>: Recipient address rejected: no such mailbox (sandbox fault)`, 550),
        );
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream, { skipImageLinks: true })
        .then(async (parsed) => {
          if ((stream as { sizeExceeded?: boolean }).sizeExceeded)
            return callback(smtpError("Message exceeds the sandbox's size limit", 552));
          const headers: Record<string, string> = {};
          for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(":") + 1).trim();
          state.addMail({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            from: addresses(parsed.from),
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            messageId: parsed.messageId ?? null,
            headers,
            html: typeof parsed.html === "string" ? parsed.html : null,
            text: parsed.text ?? null,
            tls: Boolean(session.secure),
            auth: authOf.get(session) ?? null,
          });
          await state.persist();
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  server.on("error", (error) => console.error("[inbox] mail server error", error));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
