/**
 * Runs before each integration test file (vitest setupFiles): starts the job engine on the test
 * database before any test opens a transaction that enqueues (on the embedded database a first
 * start inside a transaction would wait for it forever), and closes it with the database after the file.
 */
import { afterAll, beforeAll } from "vitest";
import { disconnectDatabase } from "@/lib/db";
import { startTestJobEngine } from "./jobs";

beforeAll(async () => {
  await startTestJobEngine();
});

// The engine stops before the connections close (lib/db.ts beforeDisconnect).
afterAll(async () => {
  await disconnectDatabase();
});
