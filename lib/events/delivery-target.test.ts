import { describe, expect, it } from "vitest";
import { findUrlProblem, isAllowed, resolveDeliveryTarget, urlProblem, type Lookup } from "./delivery-target";
import { endpointInput } from "./endpoint-input";

const resolvesTo =
  (...addresses: string[]): Lookup =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("resolveDeliveryTarget", () => {
  it("accepts a name whose every address is public, and pins the first", async () => {
    const target = await resolveDeliveryTarget(
      "https://events.contoso.example/in",
      [],
      resolvesTo("20.1.2.3", "2606:4700::1"),
    );
    expect(target).toMatchObject({ address: "20.1.2.3", family: 4 });
    expect(target.url.hostname).toBe("events.contoso.example");
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["169.254.169.254", "link-local"],
    ["::1", "loopback"],
    ["fd00::1", "private"],
    ["::ffff:192.168.0.1", "private"],
    ["100.64.1.1", "shared"],
  ])("refuses a name that resolves to %s (%s)", async (address, kind) => {
    await expect(resolveDeliveryTarget("https://events.contoso.example/in", [], resolvesTo(address))).rejects.toThrow(
      `events.contoso.example resolves to ${address}, a ${kind} address`,
    );
  });

  it("refuses when any one of the addresses is not public (the connection could land on it)", async () => {
    await expect(
      resolveDeliveryTarget("https://events.contoso.example/in", [], resolvesTo("20.1.2.3", "10.0.0.7")),
    ).rejects.toThrow("resolves to 10.0.0.7, a private address");
  });

  it("refuses literal non-public addresses, IPv6 in brackets included", async () => {
    await expect(resolveDeliveryTarget("https://127.0.0.1/x", [])).rejects.toThrow("127.0.0.1 is a loopback address");
    await expect(resolveDeliveryTarget("https://[::1]:8443/x", [])).rejects.toThrow("::1 is a loopback address");
    await expect(resolveDeliveryTarget("https://[fe80::1]/x", [])).rejects.toThrow("fe80::1 is a link-local address");
    await expect(resolveDeliveryTarget("https://0.0.0.0/x", [])).rejects.toThrow("unspecified");
  });

  it("lets the allow-list name hosts, addresses and ranges", async () => {
    await expect(
      resolveDeliveryTarget("https://localhost:8443/product", ["localhost"], resolvesTo("127.0.0.1", "::1")),
    ).resolves.toMatchObject({
      address: "127.0.0.1",
    });
    await expect(
      resolveDeliveryTarget("https://events.internal/x", ["10.20.0.0/16"], resolvesTo("10.20.3.4")),
    ).resolves.toMatchObject({ address: "10.20.3.4" });
    await expect(
      resolveDeliveryTarget("https://events.internal/x", ["10.20.0.0/16"], resolvesTo("10.21.3.4")),
    ).rejects.toThrow("private address");
    // Allowing a name does not allow another name that resolves to the same place.
    await expect(
      resolveDeliveryTarget("https://other.internal/x", ["events.internal"], resolvesTo("10.20.3.4")),
    ).rejects.toThrow("private address");
  });

  it("says so when the name does not resolve", async () => {
    const failing: Lookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    await expect(resolveDeliveryTarget("https://nowhere.example/x", [], failing)).rejects.toThrow(
      "nowhere.example could not be resolved (ENOTFOUND)",
    );
  });
});

describe("urlProblem (creating or editing an endpoint)", () => {
  it("wants https, no credentials, no fragment, and no literal private address", () => {
    expect(urlProblem("https://events.contoso.example/in", [])).toBeNull();
    expect(urlProblem("events.contoso.example", [])).toContain("full URL");
    expect(urlProblem("ftp://events.contoso.example/", [])).toContain("https://");
    expect(urlProblem("http://events.contoso.example/in", [])).toContain("Plain http:// is accepted only");
    expect(urlProblem("https://user:pw@events.contoso.example/in", [])).toContain("user name and password");
    expect(urlProblem("https://events.contoso.example/in#x", [])).toContain("fragment");
    expect(urlProblem("https://192.168.1.20/in", [])).toContain("192.168.1.20 is a private address");
    expect(urlProblem("http://localhost:8443/product/events", ["localhost"])).toBeNull();
    expect(urlProblem("http://127.0.0.1:8443/x", ["127.0.0.0/8"])).toBeNull();
  });

  it("names each problem by a code, for the console to word in the reader's language", () => {
    expect(findUrlProblem("events.contoso.example", [])).toEqual({ code: "not_a_url" });
    expect(findUrlProblem("ftp://events.contoso.example/", [])).toEqual({ code: "not_https" });
    expect(findUrlProblem("http://events.contoso.example/in", [])).toEqual({ code: "http_not_allowed" });
    expect(findUrlProblem("https://user:pw@events.contoso.example/in", [])).toEqual({ code: "credentials" });
    expect(findUrlProblem("https://events.contoso.example/in#x", [])).toEqual({ code: "fragment" });
    expect(findUrlProblem("https://[::1]/in", [])).toEqual({ code: "not_public", host: "::1", kind: "loopback" });
    expect(findUrlProblem("https://events.contoso.example/in", [])).toBeNull();
  });

  it("is what the console's form checks, with the event types", () => {
    const schema = endpointInput([]);
    const privateUrl = schema.safeParse({ url: "https://10.0.0.1/x", description: "", eventTypes: [] }).error
      ?.issues[0];
    expect(privateUrl?.message).toContain("private address");
    expect(privateUrl).toMatchObject({
      path: ["url"],
      params: { code: "not_public", host: "10.0.0.1", kind: "private" },
    });
    expect(
      schema.safeParse({ url: "https://events.contoso.example/x", description: "", eventTypes: ["subscription.nope"] })
        .error?.issues[0],
    ).toMatchObject({ params: { code: "unknown_event_type", types: ["subscription.nope"] } });
    expect(
      schema.safeParse({ url: "https://events.contoso.example/x", description: "", eventTypes: ["subscription.nope"] })
        .error?.issues[0]?.message,
    ).toBe("Unknown event type: subscription.nope.");
    expect(
      schema.parse({
        url: " https://events.contoso.example/x ",
        description: " Billing ",
        eventTypes: ["subscription.created", "subscription.created", "usage.rejected"],
      }),
    ).toEqual({
      url: "https://events.contoso.example/x",
      description: "Billing",
      eventTypes: ["subscription.created", "usage.rejected"],
    });
  });
});

describe("isAllowed", () => {
  it("matches host names exactly, and addresses by range", () => {
    expect(isAllowed("LOCALHOST", "127.0.0.1", ["localhost"])).toBe(true);
    expect(isAllowed("evil-localhost", "127.0.0.1", ["localhost"])).toBe(false);
    expect(isAllowed("[::1]", "::1", ["::1"])).toBe(true);
    expect(isAllowed("x.internal", "10.0.0.1", ["10.0.0.0/8"])).toBe(true);
    expect(isAllowed("x.internal", null, ["10.0.0.0/8"])).toBe(false);
  });
});
