import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "server-only": path.resolve("tests/support/server-only.ts"),
  // No Next.js request in tests: the request APIs answer from the catalogs in a test's language.
  "next-intl/server": path.resolve("tests/support/next-intl-server.ts"),
  "@": path.resolve("."),
};
// Removes the temp directories a test file made (tests/support/temp-dirs.ts), also when it fails.
const setupFiles = ["tests/support/remove-temp-dirs.ts"];
const exclude = ["node_modules/**", "e2e/**", ".next/**", ".data/**", "lib/generated/**"];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts", "**/*.test.tsx"],
          exclude: [...exclude, "**/*.int.test.ts"],
          environment: "node",
          setupFiles,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude,
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          globalSetup: ["tests/support/integration-setup.ts"],
          // The job engine starts before each file's tests and closes with the database after them.
          setupFiles: [...setupFiles, "tests/support/integration-jobs.ts"],
        },
      },
    ],
  },
});
