/** Minimal KEY=VALUE reader for .env / .env.example (scripts only; the portal reads process.env via lib/env.ts). */
import { existsSync, readFileSync } from "node:fs";

export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const entries: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!match?.[1]) continue;
    entries[match[1]] = (match[2] ?? "").replace(/^(['"])(.*)\1$/, "$2");
  }
  return entries;
}

/** .env when present, else .env.example; real environment variables win over both. */
export function localEnvironment(): Record<string, string> {
  const file = existsSync(".env") ? ".env" : ".env.example";
  const defined = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return { ...readEnvFile(file), ...defined };
}
