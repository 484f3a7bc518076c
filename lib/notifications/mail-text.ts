/**
 * Text that goes into a mail header or a recipient list. Pure.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * A display name or subject as a header may carry it: line breaks, tabs and other control
 * characters become spaces (a CR/LF in a name must never start a header of its own), runs of
 * spaces one, at most `max` characters.
 */
export function headerText(value: string, max = 200): string {
  const flat = value
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** An address as written to the outbox: trimmed, lower case. */
export const normalizeAddress = (address: string) => address.trim().toLowerCase();

/** Null when the address can receive mail as far as its form goes; else the reason, in words. */
export function addressProblem(address: string): string | null {
  if (/[\p{Cc}\s<>,;"]/u.test(address))
    return `“${headerText(address, 80)}” is not a valid email address (it holds spaces, line breaks or separators).`;
  return z.email().safeParse(address).success ? null : `“${headerText(address, 80)}” is not a valid email address.`;
}

/** SHA-256 (hex) of the normalized address: preferences are kept under it, and links name no address. */
export function addressHash(address: string): string {
  return createHash("sha256").update(normalizeAddress(address)).digest("hex");
}
