import { afterEach, describe, expect, it, vi } from "vitest";

const sandbox = {
  AUTH_SECRET: "local-sandbox-only-secret-do-not-use-in-production-000",
  AUTH_MICROSOFT_ENTRA_ID_ID: "5a1e0000-0000-4000-8000-00000000a001",
  AUTH_MICROSOFT_ENTRA_ID_SECRET: "s",
  MARKETPLACE_TENANT_ID: "11111111-1111-4111-8111-111111111111",
  MARKETPLACE_CLIENT_ID: "f0f00000-0000-4000-8000-00000000f001",
  MARKETPLACE_CLIENT_SECRET: "s",
  ENTRA_AUTHORITY_HOST: "https://localhost:8443",
  MARKETPLACE_API_BASE: "https://localhost:8443/api",
};

async function validateWith(values: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
  const { validateEnv } = await import("./env");
  return () => validateEnv();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("validateEnv", () => {
  it("accepts the sandbox configuration of .env.example", async () => {
    expect(await validateWith(sandbox)).not.toThrow();
  });

  it("stops the boot naming every missing production secret", async () => {
    const validate = await validateWith({ ...sandbox, MARKETPLACE_CLIENT_SECRET: "", AUTH_SECRET: "" });
    expect(validate).toThrow(/AUTH_SECRET[\s\S]*MARKETPLACE_CLIENT_SECRET/);
  });

  it("reads the fulfillment app's credential into the marketplace section, and stops on a missing certificate file naming it", async () => {
    vi.resetModules();
    for (const [key, value] of Object.entries(sandbox)) vi.stubEnv(key, value);
    const { marketplaceEnv } = await import("./env");
    expect(marketplaceEnv().credential).toEqual({ type: "secret", secret: "s" });
    expect(marketplaceEnv()).not.toHaveProperty("MARKETPLACE_CLIENT_SECRET");
    const validate = await validateWith({
      ...sandbox,
      MARKETPLACE_CLIENT_SECRET: "",
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: "/etc/portal/missing-certificate.pem",
    });
    expect(validate).toThrow(
      /Invalid marketplace configuration:\n {2}- MARKETPLACE_CLIENT_CERTIFICATE_PATH: cannot read \/etc\/portal\/missing-certificate\.pem: there is no such file/,
    );
    expect(await validateWith({ ...sandbox, MARKETPLACE_CREDENTIAL_TYPE: "password" })).toThrow(
      /MARKETPLACE_CREDENTIAL_TYPE: must be one of secret, certificate, federated, managed-identity/,
    );
  });

  it("refuses malformed ids and non-https authorities", async () => {
    expect(await validateWith({ ...sandbox, MARKETPLACE_TENANT_ID: "contoso" })).toThrow(/MARKETPLACE_TENANT_ID/);
    expect(await validateWith({ ...sandbox, ENTRA_AUTHORITY_HOST: "http://login.example" })).toThrow(
      /ENTRA_AUTHORITY_HOST/,
    );
  });

  it("reads the events' allow-list of host names, addresses and ranges, and names a bad entry", async () => {
    vi.resetModules();
    for (const [key, value] of Object.entries({
      ...sandbox,
      EVENT_ENDPOINT_ALLOWED_HOSTS: " localhost, Product.Internal ,10.20.0.0/16,::1",
    }))
      vi.stubEnv(key, value);
    expect((await import("./env")).eventsEnv()).toMatchObject({
      EVENT_ENDPOINT_ALLOWED_HOSTS: ["localhost", "product.internal", "10.20.0.0/16", "::1"],
      EVENT_DELIVERY_TIMEOUT_SECONDS: 15,
      EVENT_RETRY_WINDOW_HOURS: 72,
    });
    expect(await validateWith({ ...sandbox, EVENT_ENDPOINT_ALLOWED_HOSTS: "localhost,https://x.example/" })).toThrow(
      /EVENT_ENDPOINT_ALLOWED_HOSTS: "https:\/\/x.example\/" is not a host name, an IP address or a CIDR range/,
    );
    expect(await validateWith({ ...sandbox, EVENT_ENDPOINT_ALLOWED_HOSTS: "10.0.0.0/40" })).toThrow(/prefix length/);
    expect(await validateWith({ ...sandbox, EVENT_ENDPOINT_ALLOWED_HOSTS: "intranet/8" })).toThrow(
      /needs an IP address/,
    );
  });

  it("refuses the sample AUTH_SECRET against Microsoft's endpoints", async () => {
    const validate = await validateWith({
      ...sandbox,
      ENTRA_AUTHORITY_HOST: "https://login.microsoftonline.com",
      MARKETPLACE_API_BASE: "https://marketplaceapi.microsoft.com/api",
    });
    expect(validate).toThrow(/sample value/);
  });

  it("takes a webhook token maximum age of at least 2 hours (Entra's tokens live up to 90 minutes)", async () => {
    vi.resetModules();
    for (const [key, value] of Object.entries({ ...sandbox, WEBHOOK_TOKEN_MAX_AGE_SECONDS: "7200" }))
      vi.stubEnv(key, value);
    const { webhookEnv } = await import("./env");
    expect(webhookEnv().WEBHOOK_TOKEN_MAX_AGE_SECONDS).toBe(7200);
    vi.unstubAllEnvs();
    vi.resetModules();
    for (const [key, value] of Object.entries(sandbox)) vi.stubEnv(key, value);
    expect((await import("./env")).webhookEnv().WEBHOOK_TOKEN_MAX_AGE_SECONDS).toBe(24 * 60 * 60);
    expect(await validateWith({ ...sandbox, WEBHOOK_TOKEN_MAX_AGE_SECONDS: "3600" })).toThrow(
      /WEBHOOK_TOKEN_MAX_AGE_SECONDS: must be at least 7200/,
    );
  });

  it("reads WEBHOOK_AUDIENCE as a comma list of app ids and App ID URIs, and refuses anything else", async () => {
    vi.resetModules();
    for (const [key, value] of Object.entries({
      ...sandbox,
      WEBHOOK_AUDIENCE: " f0f00000-0000-4000-8000-00000000f001 , api://contoso.example/fulfillment,",
    }))
      vi.stubEnv(key, value);
    const { webhookEnv } = await import("./env");
    expect(webhookEnv().WEBHOOK_AUDIENCE).toEqual([
      "f0f00000-0000-4000-8000-00000000f001",
      "api://contoso.example/fulfillment",
    ]);
    expect(await validateWith({ ...sandbox, WEBHOOK_AUDIENCE: "fulfillment-app" })).toThrow(
      /WEBHOOK_AUDIENCE(\.\d+)?: "fulfillment-app" is neither an application id \(GUID\) nor an App ID URI/,
    );
    expect(await validateWith({ ...sandbox, WEBHOOK_AUDIENCE: " , " })).toThrow(/WEBHOOK_AUDIENCE/);
  });

  it("reads the usage reconciliation settings with their defaults, and refuses values out of range", async () => {
    vi.resetModules();
    for (const [key, value] of Object.entries(sandbox)) vi.stubEnv(key, value);
    const env = await import("./env");
    expect(env.meteringEnv()).toMatchObject({
      USAGE_RECONCILE_INTERVAL_MINUTES: 60,
      USAGE_RECONCILE_DAYS: 7,
      USAGE_RECONCILE_GRACE_HOURS: 24,
    });
    expect(env.retentionEnv().USAGE_RECONCILIATION_RETENTION_DAYS).toBe(90);
    expect(await validateWith({ ...sandbox, USAGE_RECONCILE_INTERVAL_MINUTES: "7" })).toThrow(
      /USAGE_RECONCILE_INTERVAL_MINUTES: must be 0 \(off\)/,
    );
    expect(await validateWith({ ...sandbox, USAGE_RECONCILE_DAYS: "45" })).toThrow(/USAGE_RECONCILE_DAYS/);
    expect(await validateWith({ ...sandbox, USAGE_RECONCILE_GRACE_HOURS: "-1" })).toThrow(
      /USAGE_RECONCILE_GRACE_HOURS/,
    );
    expect(await validateWith({ ...sandbox, USAGE_RECONCILIATION_RETENTION_DAYS: "10" })).toThrow(
      /USAGE_RECONCILIATION_RETENTION_DAYS: must be at least 35/,
    );
  });

  describe("plain http for a local emulator", () => {
    const local = (url: string) => ({ ...sandbox, ENTRA_AUTHORITY_HOST: url, MARKETPLACE_API_BASE: `${url}/api` });

    it.each(["http://localhost:9000", "http://127.0.0.1:9000", "http://127.8.9.10:9000", "http://[::1]:9000"])(
      "allows %s outside production",
      async (url) => {
        expect(await validateWith({ ...local(url), NODE_ENV: "development" })).not.toThrow();
        expect(await validateWith({ ...local(url), NODE_ENV: "test" })).not.toThrow();
        vi.resetModules();
        const { marketplaceEnv } = await import("./env");
        expect(marketplaceEnv()).toMatchObject({ ENTRA_AUTHORITY_HOST: url, MARKETPLACE_API_BASE: `${url}/api` });
        expect(marketplaceEnv()).not.toHaveProperty("NODE_ENV");
      },
    );

    it("refuses it in production, saying why", async () => {
      const validate = await validateWith({ ...local("http://127.0.0.1:9000"), NODE_ENV: "production" });
      expect(validate).toThrow(
        /ENTRA_AUTHORITY_HOST: must be an https:\/\/ URL \(plain http:\/\/ to a local emulator is allowed only when NODE_ENV is not production\)/,
      );
      expect(validate).toThrow(/MARKETPLACE_API_BASE: must be an https:\/\/ URL/);
    });

    it.each([
      "http://marketplace.example",
      "http://10.0.0.5:9000",
      "http://localhost.evil.example",
      "http://app.localhost:9000",
    ])("refuses %s (not loopback) in development too", async (url) => {
      expect(await validateWith({ ...local(url), NODE_ENV: "development" })).toThrow(
        /ENTRA_AUTHORITY_HOST: must be an https:\/\/ URL \(plain http:\/\/ is allowed only to a local emulator on localhost, 127.0.0.0\/8 or \[::1\]\)/,
      );
    });

    it("refuses other schemes and keeps https anywhere", async () => {
      expect(
        await validateWith({ ...sandbox, MARKETPLACE_API_BASE: "ftp://127.0.0.1/api", NODE_ENV: "development" }),
      ).toThrow(/MARKETPLACE_API_BASE: must be an https:\/\/ URL/);
      expect(await validateWith({ ...sandbox, NODE_ENV: "production" })).not.toThrow();
    });
  });
});

describe("product hand-off keys", () => {
  const es256 = {
    kty: "EC",
    crv: "P-256",
    x: "MIxOH-beTii_EcCnXBGcRip0PZ6eVPtvJMUtXp_jV8E",
    y: "jXe9iJ4mxT31SQwQOM90ZysQHAxXqvpQu1lDuffoVsI",
    d: "tgCVAFKZ4Nl1e_jnhOuGUqy1iYMAO4NrJ0GOowmF2gA",
    kid: "handoff-2026-11-30-97ac95",
  };
  const ed25519 = {
    kty: "OKP",
    crv: "Ed25519",
    x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
    d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    kid: "ed-2026",
  };
  const keysEnv = async (value: string) => {
    vi.resetModules();
    for (const [key, item] of Object.entries({ ...sandbox, HANDOFF_SIGNING_KEYS: value })) vi.stubEnv(key, item);
    return (await import("./env")).handoffEnv;
  };

  it("takes one key or a list of ES256 and EdDSA keys, the first one signing", async () => {
    expect((await keysEnv(JSON.stringify(es256)))().HANDOFF_SIGNING_KEYS).toEqual([
      { kid: es256.kid, alg: "ES256", jwk: { kty: "EC", crv: "P-256", x: es256.x, y: es256.y, d: es256.d } },
    ]);
    const both = (await keysEnv(JSON.stringify([ed25519, { ...es256, alg: "ES256" }])))().HANDOFF_SIGNING_KEYS;
    expect(both?.map((key) => [key.kid, key.alg])).toEqual([
      ["ed-2026", "EdDSA"],
      [es256.kid, "ES256"],
    ]);
  });

  it("refuses a key that cannot sign a hand-off, naming the field and never repeating the key", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...es256, crv: "P-384" }, /HANDOFF_SIGNING_KEYS\.0\.crv: must be "P-256"/],
      [{ ...es256, alg: "RS256" }, /HANDOFF_SIGNING_KEYS\.0\.alg: must be "ES256"/],
      [{ ...es256, kid: undefined }, /HANDOFF_SIGNING_KEYS\.0\.kid: is required/],
      [{ ...es256, d: undefined }, /HANDOFF_SIGNING_KEYS\.0\.d: is required: this is the private key/],
      [{ ...es256, y: es256.x }, /HANDOFF_SIGNING_KEYS\.0: is not a valid private key/],
      [{ kty: "RSA", n: "x", e: "AQAB", d: "y", kid: "r" }, /HANDOFF_SIGNING_KEYS\.0\.kty/],
      [[es256, { ...ed25519, kid: es256.kid }], /each key its own kid/],
      [[es256, ed25519, { ...es256, kid: "b" }, { ...es256, kid: "c" }], /at most 3 keys/],
      [[], /at least one key/],
    ];
    for (const [value, message] of cases) {
      let thrown: unknown;
      try {
        (await keysEnv(JSON.stringify(value)))();
      } catch (error) {
        thrown = error;
      }
      expect(String(thrown)).toMatch(message);
      expect(String(thrown)).not.toContain(es256.d);
    }
    await expect(keysEnv("{not json").then((read) => read())).rejects.toThrow(
      /HANDOFF_SIGNING_KEYS: must be valid JSON/,
    );
  });

  it("keeps a token's lifetime within 5 minutes", async () => {
    expect(await validateWith({ ...sandbox, HANDOFF_TOKEN_TTL_SECONDS: "301" })).toThrow(
      /HANDOFF_TOKEN_TTL_SECONDS: must be at most 300/,
    );
    expect(await validateWith({ ...sandbox, HANDOFF_TOKEN_TTL_SECONDS: "300" })).not.toThrow();
  });

  it("requires configured keys against Microsoft (a generated key is for the sandbox)", async () => {
    const microsoft = {
      ...sandbox,
      AUTH_SECRET: "a-real-secret-a-real-secret-a-real-secret",
      ENTRA_AUTHORITY_HOST: "https://login.microsoftonline.com",
      MARKETPLACE_API_BASE: "https://marketplaceapi.microsoft.com/api",
    };
    expect(await validateWith(microsoft)).toThrow(/HANDOFF_SIGNING_KEYS: required against Microsoft/);
    expect(await validateWith({ ...microsoft, HANDOFF_SIGNING_KEYS: JSON.stringify(es256) })).not.toThrow();
    expect(await validateWith(sandbox)).not.toThrow();
  });
});

describe("OpenTelemetry settings", () => {
  const unset = Object.fromEntries(
    [
      "OTEL_SDK_DISABLED",
      "OTEL_SERVICE_NAME",
      "OTEL_RESOURCE_ATTRIBUTES",
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
      "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
      "OTEL_EXPORTER_OTLP_PROTOCOL",
      "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
      "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
      "OTEL_EXPORTER_OTLP_HEADERS",
      "OTEL_EXPORTER_OTLP_TIMEOUT",
      "OTEL_TRACES_EXPORTER",
      "OTEL_METRICS_EXPORTER",
      "OTEL_TRACES_SAMPLER",
      "OTEL_TRACES_SAMPLER_ARG",
      "OTEL_LOG_LEVEL",
    ].map((key) => [key, ""]),
  );
  async function telemetryWith(values: Record<string, string>) {
    vi.resetModules();
    for (const [key, value] of Object.entries({ ...sandbox, ...unset, ...values })) vi.stubEnv(key, value);
    return (await import("./env")).telemetryEnv();
  }

  it("is off unless asked for", async () => {
    expect(await telemetryWith({})).toMatchObject({ enabled: false, traces: null, metrics: null });
    expect(await telemetryWith({ OTEL_SERVICE_NAME: "portal-eu" })).toMatchObject({ enabled: false });
  });

  it("sends both signals to OTEL_EXPORTER_OTLP_ENDPOINT with the signal's path, protobuf by default", async () => {
    expect(
      await telemetryWith({
        OTEL_EXPORTER_OTLP_ENDPOINT: "https://collector.example:4318/",
        OTEL_EXPORTER_OTLP_HEADERS: "api-key=s%3Dcret, x-tenant = contoso",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=production,service.namespace=billing",
      }),
    ).toEqual({
      enabled: true,
      serviceName: "marketplace-portal",
      resourceAttributes: { "deployment.environment.name": "production", "service.namespace": "billing" },
      traces: { url: "https://collector.example:4318/v1/traces", protocol: "http/protobuf" },
      metrics: { url: "https://collector.example:4318/v1/metrics", protocol: "http/protobuf" },
      headers: { "api-key": "s=cret", "x-tenant": "contoso" },
      timeoutMs: 5000,
      sampler: { name: "parentbased_always_on", ratio: 1 },
      metricExportIntervalMs: 60_000,
      spanExportDelayMs: 5000,
      spanQueueSize: 2048,
      logLevel: "none",
    });
  });

  it("takes a signal's own endpoint and protocol as they are, and turns a signal off with none", async () => {
    const settings = await telemetryWith({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://localhost:4318/custom/traces",
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
    });
    expect(settings).toMatchObject({
      enabled: true,
      traces: { url: "http://localhost:4318/custom/traces", protocol: "http/json" },
      metrics: null,
    });
    expect(
      await telemetryWith({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318", OTEL_METRICS_EXPORTER: "none" }),
    ).toMatchObject({ traces: { url: "http://localhost:4318/v1/traces" }, metrics: null });
    // Named explicitly without an endpoint: the specification's default collector.
    expect(await telemetryWith({ OTEL_METRICS_EXPORTER: "otlp" })).toMatchObject({
      traces: null,
      metrics: { url: "http://localhost:4318/v1/metrics" },
    });
  });

  it("is off with OTEL_SDK_DISABLED whatever else is set", async () => {
    expect(
      await telemetryWith({
        OTEL_SDK_DISABLED: "true",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
        OTEL_TRACES_EXPORTER: "otlp",
      }),
    ).toMatchObject({ enabled: false, traces: null, metrics: null });
  });

  it("stops the boot naming a wrong value, without repeating a header's value", async () => {
    expect(await validateWith({ ...unset, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL: must be "http\/protobuf" or "http\/json".*not gRPC/,
    );
    expect(await validateWith({ ...unset, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(await validateWith({ ...unset, OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(
      /OTEL_TRACES_EXPORTER: must be "otlp" or "none"/,
    );
    expect(await validateWith({ ...unset, OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    const validate = await validateWith({ ...unset, OTEL_EXPORTER_OTLP_HEADERS: "Bearer-secret-value" });
    expect(validate).toThrow(/OTEL_EXPORTER_OTLP_HEADERS: each entry must be key=value/);
    expect(validate).not.toThrow(/secret-value/);
  });
});

describe("notifications configuration", () => {
  const notifications = async (values: Record<string, string>) => {
    vi.resetModules();
    for (const [key, value] of Object.entries({ ...sandbox, ...values })) vi.stubEnv(key, value);
    return (await import("./env")).notificationsEnv();
  };

  it("reads the sender, the alert routes per kind and the TLS choice", async () => {
    const env = await notifications({
      SMTP_HOST: "smtp.office365.com",
      SMTP_AUTH: "oauth2",
      SMTP_USER: "no-reply@contoso.com",
      SMTP_OAUTH_TENANT_ID: "11111111-1111-4111-8111-111111111111",
      SMTP_OAUTH_CLIENT_ID: "f0f00000-0000-4000-8000-00000000f001",
      SMTP_OAUTH_CLIENT_SECRET: "s",
      MAIL_FROM: "Contoso SaaS <no-reply@contoso.com>",
      NOTIFY_ALERT_EMAILS: "Ops@Contoso.com, finance@contoso.com",
      NOTIFY_ALERT_ROUTES: '{"usage_rejected":{"email":["finance@contoso.com"],"teams":false}}',
    });
    expect(env).toMatchObject({
      SMTP_PORT: 587,
      SMTP_SECURITY: "starttls",
      SMTP_AUTH: "oauth2",
      MAIL_FROM: { name: "Contoso SaaS", address: "no-reply@contoso.com" },
      NOTIFY_ALERT_EMAILS: ["ops@contoso.com", "finance@contoso.com"],
      NOTIFY_ALERT_ROUTES: { usage_rejected: { email: ["finance@contoso.com"], teams: false } },
      NOTIFY_SETUP_REMINDER_HOURS: [24, 72],
    });
  });

  it("names what is wrong: an unknown alert, a missing sender or OAuth2 setting, plain SMTP to another host", async () => {
    expect(await validateWith({ ...sandbox, NOTIFY_ALERT_ROUTES: '{"new_purchases":{"teams":false}}' })).toThrow(
      /"new_purchases" is not an alert/,
    );
    expect(await validateWith({ ...sandbox, SMTP_HOST: "smtp.example.com" })).toThrow(/MAIL_FROM: is required/);
    expect(
      await validateWith({ ...sandbox, SMTP_HOST: "smtp.example.com", MAIL_FROM: "a@b.example", SMTP_AUTH: "oauth2" }),
    ).toThrow(/SMTP_OAUTH_CLIENT_ID: is required with SMTP_AUTH=oauth2/);
    expect(
      await validateWith({
        ...sandbox,
        SMTP_HOST: "smtp.example.com",
        MAIL_FROM: "a@b.example",
        SMTP_SECURITY: "none",
      }),
    ).toThrow(/SMTP_SECURITY: must be starttls or tls \(plain SMTP is allowed only to a server on localhost\)/);
    expect(await validateWith({ ...sandbox, NOTIFY_ALERT_EMAILS: "ops@contoso.com, not an address" })).toThrow(
      /"not an address" is not an email address/,
    );
    expect(await validateWith({ ...sandbox, NOTIFY_ALERT_TEAMS_URL: "http://teams.example/hook" })).toThrow(
      /NOTIFY_ALERT_TEAMS_URL/,
    );
  });
});
