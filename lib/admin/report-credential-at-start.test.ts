import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { reportCredentialAtStart } from "./report-credential-at-start";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function captureConsole() {
  vi.stubEnv("LOG_LEVEL", "debug");
  const lines: string[] = [];
  for (const sink of ["log", "warn", "error"] as const)
    vi.spyOn(console, sink).mockImplementation((line: unknown) => lines.push(`${sink} ${String(line)}`));
  return lines;
}

describe("reportCredentialAtStart", () => {
  it("logs the type and expiry of a secret — an error once expired — never the secret", async () => {
    const lines = captureConsole();
    await reportCredentialAtStart({ type: "secret", secret: "s3cret-value", expiresAt: new Date("2025-01-31") });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error /);
    expect(JSON.parse(lines[0]!.slice("error ".length))).toMatchObject({
      level: "error",
      message: "fulfillment app credential cannot be used",
      type: "secret",
      expiresAt: "2025-01-31T00:00:00.000Z",
      detail: expect.stringContaining("The client secret expired on 31 January 2025"),
    });
    expect(lines.join("\n")).not.toContain("s3cret-value");
  });

  it("logs a certificate by thumbprint and expiry — a warning within 30 days — never its private key", async () => {
    const lines = captureConsole();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    await reportCredentialAtStart({
      type: "certificate",
      privateKey,
      thumbprint: { algorithm: "sha256", hex: "CD".repeat(32) },
      certificate: {
        path: "/etc/portal/certificate.pem",
        subject: "CN=portal",
        notBefore: new Date(Date.now() - 86_400_000),
        notAfter: new Date(Date.now() + 5 * 86_400_000 + 3_600_000),
      },
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!.slice("warn ".length))).toMatchObject({
      level: "warn",
      message: "fulfillment app credential expires soon",
      type: "certificate",
      thumbprint: "CD".repeat(32),
      daysLeft: expect.toBeOneOf([5, 6]), // calendar days: 6 when the extra hour crosses midnight (UTC)
    });
    const body = pem.split("\n")[1] ?? "";
    expect(body.length).toBeGreaterThan(40);
    expect(lines.join("\n")).not.toContain(body);
    expect(lines.join("\n")).not.toContain("PRIVATE KEY");
  });
});
