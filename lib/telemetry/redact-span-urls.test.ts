import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { describe, expect, it } from "vitest";
import { redactSpanUrls, redactUrl } from "./redact-span-urls";

describe("redactUrl", () => {
  it("keeps the path and the query's names, never a value", () => {
    expect(redactUrl("/landing?token=rraCfAAIxbKM%2FpZ00Rl%3D%3D")).toBe("/landing?token=[redacted]");
    expect(redactUrl("/signin?callbackUrl=%2Flanding%3Ftoken%3Dabc")).toBe("/signin?callbackUrl=[redacted]");
    expect(redactUrl("/api/auth/callback/microsoft-entra-id?code=0.AXo&state=xyz&session_state=s")).toBe(
      "/api/auth/callback/microsoft-entra-id?code=[redacted]&state=[redacted]&session_state=[redacted]",
    );
    expect(redactUrl("/admin/subscriptions?q=alice%40fabrikam.example&status=Subscribed#top")).toBe(
      "/admin/subscriptions?q=[redacted]&status=[redacted]",
    );
    expect(redactUrl("https://localhost:8443/api/saas/subscriptions/abc?api-version=2018-08-31")).toBe(
      "https://localhost:8443/api/saas/subscriptions/abc?api-version=[redacted]",
    );
  });

  it("replaces an invitation's token in the path", () => {
    expect(redactUrl("/account/invitations/Zm9vYmFyYmF6cXV4?from=mail")).toBe(
      "/account/invitations/[redacted]?from=[redacted]",
    );
    expect(redactUrl("/account/subscriptions/6a2e0f6d")).toBe("/account/subscriptions/6a2e0f6d");
  });
});

describe("redactSpanUrls", () => {
  it("redacts URL attributes set at the start and later, before the span is exported", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [redactSpanUrls, new SimpleSpanProcessor(exporter)] });
    const span = provider
      .getTracer("test")
      .startSpan("GET /landing", { attributes: { "http.target": "/landing?token=secret-purchase-token" } });
    span.setAttribute("http.url", "http://localhost:3000/account/invitations/secret-invitation");
    span.setAttribute("http.status_code", 200);
    span.end();
    await provider.forceFlush();
    const [exported] = exporter.getFinishedSpans();
    expect(exported?.attributes).toEqual({
      "http.target": "/landing?token=[redacted]",
      "http.url": "http://localhost:3000/account/invitations/[redacted]",
      "http.status_code": 200,
    });
    expect(JSON.stringify([exported?.name, exported?.attributes, exported?.events])).not.toContain("secret");
    await provider.shutdown();
    trace.disable();
  });
});
