/**
 * PostgreSQL errors recognised by their SQLSTATE, whichever way Prisma reports them. Never by
 * `instanceof`: the Prisma client is one per process, but each Next.js bundle has its own copy of
 * the error classes. Prisma wraps the same database error differently depending on the call:
 * - a model call: its own code (P2002 unique, P2034 write conflict) and `cause.originalCode`;
 * - a raw statement (pg-boss's SQL inside our transactions, `$queryRaw`): P2010 with the SQLSTATE
 *   in `meta.code` or in `meta.driverAdapterError.cause.originalCode` (driver adapters).
 */

type Shape = {
  code?: unknown;
  meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } };
  cause?: { originalCode?: unknown; code?: unknown };
};

/** The SQLSTATE (e.g. "23505") of a database error, when it carries one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const shape = error as Shape;
  const candidates = [
    shape.meta?.driverAdapterError?.cause?.originalCode,
    shape.meta?.code,
    shape.cause?.originalCode,
    shape.cause?.code,
    shape.code,
  ];
  // Prisma's own codes (P1000–P6999) look like SQLSTATEs; PostgreSQL's own P-class is P0xxx (PL/pgSQL).
  return candidates.find(
    (code): code is string => typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !/^P[1-9]\d{3}$/.test(code),
  );
}

const prismaCode = (error: unknown) =>
  typeof error === "object" && error !== null ? (error as Shape).code : undefined;

/** A unique-constraint violation: Prisma's P2002, or SQLSTATE 23505 from a raw statement. */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002" || sqlState(error) === "23505";
}

/**
 * A transaction that lost a race and may simply be run again: a serialization failure (40001,
 * Prisma's P2034 "write conflict") or a deadlock (40P01).
 */
export function isSerializationFailure(error: unknown): boolean {
  if (prismaCode(error) === "P2034") return true;
  if (error instanceof Error && error.message.includes("TransactionWriteConflict")) return true;
  const state = sqlState(error);
  return state === "40001" || state === "40P01";
}
