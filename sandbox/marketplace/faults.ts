/**
 * Injected faults for `/api/...` calls: answer with an error status (500, 429, 503, ...), answer
 * slowly (timeouts), or both, for the next `times` matching calls. Registered through the control
 * API; kept in memory only, as they belong to the test that set them up.
 */
import { randomUUID } from "node:crypto";
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
    times: z.number().int().min(1).default(1),
  })
  .refine((f) => f.status !== undefined || f.delayMs !== undefined, { message: "Give a status, a delayMs, or both" });
export type FaultRequest = z.infer<typeof faultRequestSchema>;

export interface Fault extends FaultRequest {
  id: string;
  remaining: number;
}

export class FaultRegistry {
  private faults: Fault[] = [];

  add(request: FaultRequest): Fault {
    if (request.pathPattern !== undefined) compilePattern(request.pathPattern); // fail early on nonsense
    const fault: Fault = { ...request, id: randomUUID(), remaining: request.times };
    this.faults.push(fault);
    return fault;
  }

  clear(): number {
    const count = this.faults.length;
    this.faults = [];
    return count;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The first fault that matches, with one use consumed; spent faults are dropped. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && matches(f, method, path));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
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
