import { generateKeyPairSync } from "node:crypto";
import { context, propagation, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger, redact } from "./logger";

describe("redact", () => {
  it("hides secrets and tokens at any depth, keeping the rest", () => {
    const out = redact({
      subscriptionId: "s-1",
      headers: { authorization: "Bearer abc", "x-ms-marketplace-token": "purchase+token/==" },
      nested: [{ clientSecret: "p@ss", accessToken: "t", apiKey: "k", api_key: "k2", cookie: "c", status: 500 }],
    });
    expect(JSON.stringify(out)).not.toMatch(/abc|purchase\+token|p@ss|"t"|"k"|"k2"|"c"/);
    expect(out).toMatchObject({ subscriptionId: "s-1", nested: [{ status: 500 }] });
  });

  it("hides the fulfillment app's credentials, whatever their type, if a call site logs them", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const out = JSON.stringify(
      redact({
        secret: { type: "secret", secret: "sandbox-fulfillment-secret" },
        certificate: { type: "certificate", privateKey, privateKeyPem: pem, private_key: pem },
        form: { client_assertion: "eyJhbGciOiJQUzI1NiJ9.assertion.sig", client_assertion_type: "jwt-bearer" },
      }),
    );
    expect(out).not.toMatch(/sandbox-fulfillment-secret|PRIVATE KEY|eyJhbGciOiJQUzI1NiJ9/);
    expect(out).toContain('"type":"certificate"');
  });

  it("keeps only the name and message of errors (no stacks, no attached request data)", () => {
    const error = Object.assign(new Error("boom"), { config: { headers: { authorization: "Bearer secret" } } });
    expect(redact({ error })).toEqual({ error: { name: "Error", message: "boom" } });
  });
});

describe("logger", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  function consoles() {
    vi.stubEnv("LOG_LEVEL", "debug");
    return {
      log: vi.spyOn(console, "log").mockImplementation(() => {}),
      warn: vi.spyOn(console, "warn").mockImplementation(() => {}),
      error: vi.spyOn(console, "error").mockImplementation(() => {}),
    };
  }

  it("writes warnings to console.warn, so expected refusals do not raise Next's dev overlay", () => {
    const out = consoles();
    logger.warn("webhook refused: authentication failed", { reason: "audience", token: "eyJ.secret" });
    expect(out.error).not.toHaveBeenCalled();
    expect(out.warn).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(out.warn.mock.calls[0]?.[0])) as Record<string, unknown>;
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: "warn",
      message: "webhook refused: authentication failed",
      reason: "audience",
      token: "[redacted]",
    });
  });

  it("writes errors to console.error and the rest to console.log, one JSON line each", () => {
    const out = consoles();
    logger.error("job claim failed", { error: new Error("db down") });
    logger.info("portal started");
    logger.debug("marketplace call");
    expect(out.warn).not.toHaveBeenCalled();
    expect(JSON.parse(String(out.error.mock.calls[0]?.[0]))).toMatchObject({
      level: "error",
      error: { name: "Error", message: "db down" },
    });
    expect(out.log.mock.calls.map((call) => (JSON.parse(String(call[0])) as { level: string }).level)).toEqual([
      "info",
      "debug",
    ]);
  });

  it("drops lines below LOG_LEVEL", () => {
    const out = consoles();
    vi.stubEnv("LOG_LEVEL", "error");
    logger.warn("below the threshold");
    expect(out.warn).not.toHaveBeenCalled();
  });
});

describe("logger with OpenTelemetry", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const lines = (spy: { mock: { calls: unknown[][] } }) =>
    spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);

  it("puts the active span's trace_id and span_id on a line written inside it, and none outside", async () => {
    vi.stubEnv("LOG_LEVEL", "info");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const provider = new NodeTracerProvider();
    provider.register();
    const ids = await trace.getTracer("test").startActiveSpan("work", async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1)); // across an await, as in a request
      logger.info("inside the span");
      span.end();
      return span.spanContext();
    });
    logger.info("after the span");
    await provider.shutdown();

    const [inside, after] = lines(log);
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(inside).toMatchObject({ message: "inside the span", trace_id: ids.traceId, span_id: ids.spanId });
    expect(after).toEqual({ time: expect.any(String), level: "info", message: "after the span" });
  });

  it("adds no ids while telemetry is off (the API's no-op tracer)", async () => {
    vi.stubEnv("LOG_LEVEL", "info");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await trace.getTracer("test").startActiveSpan("work", async (span) => {
      logger.info("inside a span nobody records");
      span.end();
    });
    expect(lines(log)[0]).not.toHaveProperty("trace_id");
  });
});
