/**
 * Where one event delivery may connect (the SSRF guard, docs/decisions/0013): the endpoint's host
 * is resolved here, every address it resolves to must be public — not private, loopback,
 * link-local or otherwise special (address-class.ts) — and the delivery then connects to the
 * address checked here, never resolving the name again (so a DNS answer that changes between the
 * check and the connection, “DNS rebinding”, cannot move it inside). The allow-list
 * (EVENT_ENDPOINT_ALLOWED_HOSTS) names hosts, addresses or ranges that may be non-public, e.g. the
 * local sandbox's sample product on localhost. Plain http:// is accepted only for allowed hosts.
 */
import "server-only";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { addressInRange, classifyAddress, type AddressClass } from "./address-class";

export interface DeliveryTarget {
  url: URL;
  /** The checked address to connect to. */
  address: string;
  family: 4 | 6;
}

export type Lookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const TARGET_REFUSED = Symbol.for("marketplace-portal.events.targetRefused");

/** A URL the portal will not deliver to, with the reason in words (shown in the console). */
export class TargetRefused extends Error {
  readonly [TARGET_REFUSED] = true;
  constructor(message: string) {
    super(message);
    this.name = "TargetRefused";
  }
}

export function isTargetRefused(error: unknown): error is TargetRefused {
  return typeof error === "object" && error !== null && TARGET_REFUSED in error;
}

/** `[::1]` → `::1`: URL keeps IPv6 literals in brackets. */
const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();

/** The host as named (a name, or an address) is on the allow-list, or the address lies in an allowed range. */
export function isAllowed(hostname: string, address: string | null, allowList: readonly string[]): boolean {
  const host = bare(hostname);
  return allowList.some((entry) => {
    if (entry === host) return true;
    if (!address) return false;
    const base = entry.split("/")[0]!;
    return isIP(base) !== 0 && addressInRange(address, entry);
  });
}

/** Why an endpoint URL is refused, as a code the console words in the reader's language. */
export type UrlProblem =
  | { code: "not_a_url" }
  | { code: "not_https" }
  | { code: "http_not_allowed" }
  | { code: "credentials" }
  | { code: "fragment" }
  | { code: "not_public"; host: string; kind: AddressClass };

/**
 * Checks a URL as an endpoint address without resolving it (at creation and edit): the scheme,
 * no credentials, and a literal address that is public or allowed. Returns the reason it is
 * refused, or null.
 */
export function findUrlProblem(text: string, allowList: readonly string[]): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { code: "not_a_url" };
  }
  const host = bare(url.hostname);
  if (url.protocol !== "https:" && url.protocol !== "http:") return { code: "not_https" };
  if (url.protocol === "http:" && !isAllowed(host, isIP(host) ? host : null, allowList))
    return { code: "http_not_allowed" };
  if (url.username || url.password) return { code: "credentials" };
  if (url.hash) return { code: "fragment" };
  if (isIP(host)) {
    const kind = classifyAddress(host);
    if (kind !== "public" && !isAllowed(host, host, allowList)) return { code: "not_public", host, kind };
  }
  return null;
}

/** The problem in English words (delivery refusals, logs and tests); the console words it itself. */
export function urlProblem(text: string, allowList: readonly string[]): string | null {
  const problem = findUrlProblem(text, allowList);
  if (!problem) return null;
  switch (problem.code) {
    case "not_a_url":
      return "Enter a full URL, starting with https://.";
    case "not_https":
      return "Enter an https:// URL.";
    case "http_not_allowed":
      return "Use https://. Plain http:// is accepted only for hosts on the allow-list (EVENT_ENDPOINT_ALLOWED_HOSTS).";
    case "credentials":
      return "Leave the user name and password out of the URL.";
    case "fragment":
      return "Leave the #fragment out of the URL.";
    case "not_public":
      return `${problem.host} is a ${problem.kind} address: events go to public addresses only, unless EVENT_ENDPOINT_ALLOWED_HOSTS allows it.`;
  }
}

/**
 * Resolves and checks an endpoint URL for one delivery. Throws TargetRefused with the reason when
 * the URL or any address it resolves to may not be used.
 */
export async function resolveDeliveryTarget(
  text: string,
  allowList: readonly string[],
  lookup: Lookup = systemLookup,
): Promise<DeliveryTarget> {
  const problem = urlProblem(text, allowList);
  if (problem) throw new TargetRefused(problem);
  const url = new URL(text);
  const host = bare(url.hostname);
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new TargetRefused(`${host} could not be resolved${code ? ` (${code})` : ""}.`);
    }
  }
  if (addresses.length === 0) throw new TargetRefused(`${host} resolves to no address.`);
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind !== "public" && !isAllowed(host, address, allowList))
      throw new TargetRefused(
        `${host} resolves to ${address}, a ${kind} address: events go to public addresses only, unless EVENT_ENDPOINT_ALLOWED_HOSTS allows it.`,
      );
  }
  const [first] = addresses;
  return { url, address: first!.address, family: first!.family === 6 ? 6 : 4 };
}
