// ESLint flat config: Next's rules, typescript-eslint, and the import rules that keep the layers apart.
// `npm run lint` fails on any warning, so every rule here is effectively an error.
import js from "@eslint/js";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import { defineConfig, globalIgnores } from "eslint/config";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

// Files that may import every layer: they exercise the portal against the sandbox.
const testsAndTools = [
  "**/*.test.ts",
  "**/*.test.tsx",
  "tests/**",
  "e2e/**",
  "bench/**",
  "scripts/**",
  "*.config.ts",
  "*.config.mjs",
];
const portal = ["app/**", "lib/**", "auth.ts", "proxy.ts", "instrumentation.ts", "instrumentation-client.ts"];

export default defineConfig([
  globalIgnores([
    ".next/**",
    ".data/**",
    "lib/generated/**",
    "next-env.d.ts",
    "test-results/**",
    "playwright-report/**",
  ]),

  js.configs.recommended,
  ...nextCoreWebVitals,

  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // sandbox/, scripts/, tests/, e2e/ and bench/ live in tsconfig.tools.json, the portal in tsconfig.json.
        project: ["./tsconfig.json", "./tsconfig.tools.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": [
        "error",
        { "ts-ignore": true, "ts-nocheck": true, "ts-expect-error": "allow-with-description" },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
      // Route handlers, adapters and test doubles are async to fit a Promise-returning contract; making
      // them sync would turn a thrown error into a synchronous throw.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`, and tests read
    // response bodies loosely before asserting their shape; `no-explicit-any` still applies.
    files: ["**/*.test.ts", "**/*.test.tsx", "tests/**", "e2e/**"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },

  {
    rules: {
      // A variable assigned from a call that also receives a callback reading it (a server and its
      // handler, a worker id) is declared first on purpose.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // Apostrophes and quotes read fine in JSX text; only `>` and `}` are likely typos there.
      "react/no-unescaped-entities": ["error", { forbid: [">", "}"] }],
    },
  },

  {
    // Mails are HTML documents rendered to a string (lib/notifications/mail/markup.ts), not Next.js
    // pages: they have a <head> of their own and plain <img> tags.
    files: ["lib/notifications/mail/**"],
    rules: { "@next/next/no-head-element": "off", "@next/next/no-img-element": "off" },
  },

  {
    // eslint-plugin-import-x rather than Next's eslint-plugin-import: its no-cycle is five times faster here.
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".mjs", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [
        createNodeResolver({
          extensions: [".ts", ".tsx", ".d.ts", ".mjs", ".js", ".json"],
          conditionNames: ["types", "import", "require", "default"],
          // Resolves the `@/…` alias.
          tsconfig: { configFile: `${import.meta.dirname}/tsconfig.json` },
        }),
      ],
    },
    rules: {
      // Type-only imports are erased at compile time, so they never form a runtime cycle and are not counted.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },

  // Layer boundaries. Resolved paths are compared, so `@/…` and relative imports are caught alike.
  {
    files: portal,
    ignores: testsAndTools,
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: "./lib",
              from: "./app",
              message: "lib/ is the domain layer: it never imports from app/.",
            },
            {
              target: portal,
              from: "./sandbox",
              message: "The portal never imports the sandbox: it talks to it over HTTP like to Microsoft.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["sandbox/**"],
    ignores: testsAndTools,
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: "./sandbox",
              from: ["./lib", "./app", "./auth.ts", "./proxy.ts"],
              message: "The sandbox stands in for Microsoft: it never imports the portal.",
            },
          ],
        },
      ],
    },
  },

  {
    files: portal,
    // logger.ts reads LOG_LEVEL before the environment is validated; Next inlines NEXT_RUNTIME in instrumentation.ts.
    ignores: [...testsAndTools, "lib/env.ts", "lib/logger.ts", "instrumentation.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/env.ts, which validates it." },
      ],
    },
  },

  {
    files: ["**/*.mjs", "**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
]);
