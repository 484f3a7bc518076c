/**
 * Runs in the browser before the app's own code. zod compiles object parsers with `new Function`
 * unless told not to, and probes for it when a schema is built; under the pages' policy (no
 * 'unsafe-eval', see proxy.ts) the probe fails and is reported as a CSP violation. The forms'
 * schemas are small, so the plain parser costs nothing noticeable.
 */
import { z } from "zod";

z.config({ jitless: true });
