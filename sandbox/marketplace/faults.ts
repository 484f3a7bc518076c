/**
 * Injected faults for `/api/...` calls: answer with an error status (500, 429, 503, ...), answer
 * slowly (timeouts), or both, for the next `times` matching calls. Registered through the control
 * API; kept in memory only, as they belong to the test that set them up.
 */
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";

export const faultRequestSchema = z
  .object({
    method: z.string().min(1).optional(),
    /** Matched against the request path (no query): as a substring, or as a regular expression. */
    pathPattern: z.string().min(1).optional(),
    status: z.number().int().min(100).max(599).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    delayMs: z.number().int().min(0).max(120_000).optional(),
    body: z.unknown().optional(),
    /**
     * With a status (403): answer it only to calls bearing the bearer token of the first matching
     * call — a token Microsoft no longer takes — so a call with a fresh token goes through.
     */
    revokeToken: z.boolean().optional(),
    times: z.number().int().min(1).default(1),
  })
  .refine((f) => f.status !== undefined || f.delayMs !== undefined, { message: "Give a status, a delayMs, or both" })
  .refine((f) => !f.revokeToken || f.status !== undefined, { message: "revokeToken needs a status (e.g. 403)" });
export type FaultRequest = z.infer<typeof faultRequestSchema>;

export interface Fault extends FaultRequest {
  id: string;
  remaining: number;
}

export class FaultRegistry {
  private faults: Fault[] = [];
  /** revokeToken faults: the hash of the token each one refuses (never listed). */
  private revoked = new Map<string, string>();

  add(request: FaultRequest): Fault {
    if (request.pathPattern !== undefined) compilePattern(request.pathPattern); // fail early on nonsense
    const fault: Fault = { ...request, id: randomUUID(), remaining: request.times };
    this.faults.push(fault);
    return fault;
  }

  clear(): number {
    const count = this.faults.length;
    this.faults = [];
    this.revoked.clear();
    return count;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The first fault that matches, with one use consumed; spent faults are dropped. */
  take(method: string, path: string, authorization?: string): Fault | undefined {
    const token = authorization ? createHash("sha256").update(authorization).digest("hex") : undefined;
    const fault = this.faults.find(
      (f) => f.remaining > 0 && matches(f, method, path) && (!f.revokeToken || this.refuses(f, token)),
    );
    if (!fault) return undefined;
    if (fault.revokeToken && token && !this.revoked.has(fault.id)) this.revoked.set(fault.id, token);
    fault.remaining -= 1;
    if (fault.remaining === 0) {
      this.faults = this.faults.filter((f) => f !== fault);
      this.revoked.delete(fault.id);
    }
    return { ...fault };
  }

  /** A revokeToken fault refuses the first token it meets, then only that one. */
  private refuses(fault: Fault, token: string | undefined): boolean {
    if (!token) return false;
    const revoked = this.revoked.get(fault.id);
    return revoked === undefined || revoked === token;
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (!fault.pathPattern) return true;
  if (path.includes(fault.pathPattern)) return true;
  return compilePattern(fault.pathPattern)?.test(path) ?? false;
}

/** A pattern that is not a valid regular expression still works as a substring. */
function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
