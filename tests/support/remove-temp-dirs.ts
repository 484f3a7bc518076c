/**
 * Setup file of every vitest project. Registered before the test file's own hooks, so it runs
 * after them (after-hooks run in reverse order): servers are closed before their data goes.
 */
import { afterAll } from "vitest";
import { removeTempDirs } from "./temp-dirs";

afterAll(removeTempDirs);
