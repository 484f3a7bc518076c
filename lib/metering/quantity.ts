/**
 * Usage quantities as exact decimals with 9 fractional digits (the ledger's Decimal(38, 9)):
 * summed as BigInt nano-units so 0.1 + 0.2 is 0.3, and printed without exponents.
 */
import "server-only";

export const QUANTITY_SCALE = 9;
const SCALE = 10n ** BigInt(QUANTITY_SCALE);
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** A finite non-negative number (rounded to 9 decimals) or a decimal string (at most 9 decimals) → canonical string. */
export function normalizeQuantity(value: number | string): string | undefined {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return undefined;
    // From 1e21 on, toFixed prints an exponent: such a number is refused, never read as 0.
    const nano = toNano(value.toFixed(QUANTITY_SCALE));
    return nano === undefined ? undefined : formatNano(nano);
  }
  const match = DECIMAL.exec(value.trim());
  if (!match || (match[2]?.length ?? 0) > QUANTITY_SCALE) return undefined;
  const nano = toNano(value.trim());
  return nano === undefined ? undefined : formatNano(nano);
}

export function toNano(text: string): bigint | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? "").slice(0, QUANTITY_SCALE).padEnd(QUANTITY_SCALE, "0");
  return BigInt(match[1] ?? "0") * SCALE + BigInt(fraction);
}

export function formatNano(nano: bigint): string {
  const whole = nano / SCALE;
  const fraction = (nano % SCALE).toString().padStart(QUANTITY_SCALE, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

/** Sums decimal strings exactly (as they come back from the database, e.g. "3.500000000"). */
export function addQuantities(values: string[]): string {
  return formatNano(values.reduce((sum, value) => sum + (toNano(value) ?? 0n), 0n));
}

export function sameQuantity(a: string | number, b: string | number): boolean {
  const left = normalizeQuantity(a);
  const right = normalizeQuantity(b);
  return left !== undefined && left === right;
}
