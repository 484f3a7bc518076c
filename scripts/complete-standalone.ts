/** `npm run build`'s second half: completes .next/standalone into the runnable artefact (scripts/standalone.ts). */
import { completeStandalone, STANDALONE_DIR } from "./standalone";

completeStandalone();
console.log(`Standalone artefact ready in ${STANDALONE_DIR}: node server.js (web), node worker.js (workers).`);
