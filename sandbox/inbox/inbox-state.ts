/**
 * What the sandbox's inbox holds, mirrored to `<dataDir>/inbox-state.json`: the mails its SMTP
 * server received and the posts its Teams and Slack receivers got (newest first, the last 200 of
 * each), and the faults a test asked for. Writes are serialized and atomic (temp file + rename).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { JsonStateFile } from "../json-state-file";

export const INBOX_STATE_FILE = "inbox-state.json";
const KEPT = 200;

const address = z.object({ name: z.string(), address: z.string() });

const mailSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  /** SMTP's envelope: who the client said it sends as and to. */
  envelope: z.object({ from: z.string().nullable(), to: z.array(z.string()) }),
  from: z.array(address),
  to: z.array(address),
  subject: z.string(),
  messageId: z.string().nullable(),
  /** Every header as received (lower-case names), e.g. list-unsubscribe, auto-submitted. */
  headers: z.record(z.string(), z.string()),
  html: z.string().nullable(),
  text: z.string().nullable(),
  /** How the client came: over TLS (STARTTLS), and who it signed in as (password or XOAUTH2). */
  tls: z.boolean(),
  auth: z.object({ method: z.string(), user: z.string() }).nullable(),
});
export type InboxMail = z.infer<typeof mailSchema>;

const chatPostSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  /** teams or slack: which receiver it was posted to. */
  service: z.enum(["teams", "slack"]),
  /** The path after /inbox/{service}/: which "channel" the URL named. */
  channel: z.string(),
  body: z.unknown(),
  /** What the receiver answered. */
  answered: z.number().int(),
});
export type ChatPost = z.infer<typeof chatPostSchema>;

/** Faults a test asks for: the SMTP server refusing, the chat receivers failing. In memory only. */
export const faultsSchema = z.strictObject({
  smtp: z
    .strictObject({
      /** none; connection: 421 at once; temporary: 451 to MAIL FROM; permanent: 554 to MAIL FROM. */
      refuse: z.enum(["none", "connection", "temporary", "permanent"]).default("none"),
      /** Addresses answered 550 (no such mailbox) at RCPT TO. */
      rejectRecipients: z.array(z.string()).default([]),
    })
    .optional(),
  chat: z
    .strictObject({
      /** The next posts are answered with this status (then the receiver answers normally again). */
      status: z.number().int().min(200).max(599),
      times: z.number().int().min(1).max(1000).default(1),
      /** Wait this long before answering (a slow receiver). */
      delayMs: z.number().int().min(0).max(60_000).default(0),
    })
    .nullable()
    .optional(),
});
export type InboxFaults = z.infer<typeof faultsSchema>;

const stateSchema = z.object({
  mails: z.array(mailSchema).default([]),
  chat: z.array(chatPostSchema).default([]),
});
type State = z.infer<typeof stateSchema>;

export class InboxState {
  smtpFaults: { refuse: "none" | "connection" | "temporary" | "permanent"; rejectRecipients: string[] } = {
    refuse: "none",
    rejectRecipients: [],
  };
  chatFault: { status: number; remaining: number; delayMs: number } | null = null;

  private constructor(private readonly file: JsonStateFile<State>) {}

  private get state(): State {
    return this.file.state;
  }

  static async open(dataDir: string): Promise<InboxState> {
    return new InboxState(
      await JsonStateFile.open({ dataDir, fileName: INBOX_STATE_FILE, schema: stateSchema, label: "inbox" }),
    );
  }

  get mails(): readonly InboxMail[] {
    return this.state.mails;
  }

  get chat(): readonly ChatPost[] {
    return this.state.chat;
  }

  mail(id: string): InboxMail | undefined {
    return this.state.mails.find((mail) => mail.id === id);
  }

  addMail(mail: Omit<InboxMail, "id" | "receivedAt">): InboxMail {
    const stored = { id: randomUUID(), receivedAt: new Date().toISOString(), ...mail };
    this.state.mails.unshift(stored);
    this.state.mails.splice(KEPT);
    return stored;
  }

  addChatPost(post: Omit<ChatPost, "id" | "receivedAt">): ChatPost {
    const stored = { id: randomUUID(), receivedAt: new Date().toISOString(), ...post };
    this.state.chat.unshift(stored);
    this.state.chat.splice(KEPT);
    return stored;
  }

  clear(): void {
    this.state.mails = [];
    this.state.chat = [];
  }

  setFaults(faults: InboxFaults): void {
    if (faults.smtp)
      this.smtpFaults = {
        refuse: faults.smtp.refuse,
        rejectRecipients: faults.smtp.rejectRecipients.map((a) => a.toLowerCase()),
      };
    if (faults.chat !== undefined)
      this.chatFault = faults.chat
        ? { status: faults.chat.status, remaining: faults.chat.times, delayMs: faults.chat.delayMs }
        : null;
  }

  /** The answer the next chat post gets from a fault, if one is set (one use consumed). */
  takeChatFault(): { status: number; delayMs: number } | null {
    if (!this.chatFault || this.chatFault.remaining <= 0) return null;
    this.chatFault.remaining -= 1;
    const { status, delayMs } = this.chatFault;
    if (this.chatFault.remaining === 0) this.chatFault = null;
    return { status, delayMs };
  }

  faults() {
    return { smtp: this.smtpFaults, chat: this.chatFault };
  }

  /** Writes the state; resolves once it is on disk. */
  persist(): Promise<void> {
    return this.file.persist();
  }

  flush(): Promise<void> {
    return this.file.flush();
  }
}
