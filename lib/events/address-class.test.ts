import { describe, expect, it } from "vitest";
import { addressInRange, classifyAddress } from "./address-class";

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["172.15.255.255", "public"],
    ["172.32.0.1", "public"],
    ["100.63.255.255", "public"],
    ["11.0.0.1", "public"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.10", "private"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["169.254.169.254", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["100.64.0.1", "shared"],
    ["100.127.255.255", "shared"],
    ["192.0.2.5", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["224.0.0.251", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["192.0.0.8", "reserved"],
  ])("IPv4 %s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ["2606:4700:4700::1111", "public"],
    ["2a00:1450:4001:80b::200e", "public"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["fd12:3456:789a::1", "private"],
    ["fc00::1", "private"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["2001::1", "reserved"],
    ["100::1", "reserved"],
    ["3fff::1", "public"],
    ["4000::1", "reserved"],
    ["::7f00:1", "reserved"],
  ])("IPv6 %s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("judges IPv6 forms that carry an IPv4 address by that address", () => {
    expect(classifyAddress("::ffff:127.0.0.1")).toBe("loopback");
    expect(classifyAddress("::ffff:7f00:1")).toBe("loopback");
    expect(classifyAddress("::ffff:10.1.2.3")).toBe("private");
    expect(classifyAddress("::ffff:8.8.8.8")).toBe("public");
    expect(classifyAddress("64:ff9b::a9fe:a9fe")).toBe("link-local"); // NAT64 of 169.254.169.254
    expect(classifyAddress("64:ff9b::808:808")).toBe("public");
    expect(classifyAddress("2002:c0a8:0101::1")).toBe("private"); // 6to4 of 192.168.1.1
    expect(classifyAddress("2002:0808:0808::1")).toBe("public");
  });

  it("treats what is not an IP address as reserved", () => {
    expect(classifyAddress("localhost")).toBe("reserved");
    expect(classifyAddress("")).toBe("reserved");
    expect(classifyAddress("999.1.1.1")).toBe("reserved");
  });
});

describe("addressInRange", () => {
  it("matches addresses and CIDR ranges of both families", () => {
    expect(addressInRange("10.20.3.4", "10.20.0.0/16")).toBe(true);
    expect(addressInRange("10.21.3.4", "10.20.0.0/16")).toBe(false);
    expect(addressInRange("127.0.0.1", "127.0.0.1")).toBe(true);
    expect(addressInRange("127.0.0.2", "127.0.0.1")).toBe(false);
    expect(addressInRange("fd00::5", "fd00::/8")).toBe(true);
    expect(addressInRange("fe80::5", "fd00::/8")).toBe(false);
    expect(addressInRange("::ffff:10.0.0.1", "10.0.0.0/8")).toBe(true);
    expect(addressInRange("10.0.0.1", "fd00::/8")).toBe(false);
    expect(addressInRange("10.0.0.1", "0.0.0.0/0")).toBe(true);
  });
});
