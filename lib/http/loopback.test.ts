import { describe, expect, it } from "vitest";
import { isLoopbackHostname } from "./loopback";

const host = (url: string) => isLoopbackHostname(new URL(url).hostname);

describe("isLoopbackHostname", () => {
  it.each([
    "http://localhost:8080",
    "http://LOCALHOST",
    "http://127.0.0.1:1",
    "http://127.255.10.3",
    "http://127.1",
    "http://[::1]:3000",
    "http://[0:0:0:0:0:0:0:1]",
  ])("accepts %s", (url) => {
    expect(host(url)).toBe(true);
  });
  it.each([
    "http://localhost.evil.example",
    "http://127.0.0.1.nip.io",
    "http://app.localhost",
    "http://128.0.0.1",
    "http://10.0.0.1",
    "http://[::2]",
    "http://[::ffff:127.0.0.1]",
    "http://0.0.0.0",
    "http://marketplaceapi.microsoft.com",
  ])("refuses %s", (url) => {
    expect(host(url)).toBe(false);
  });
});
