/**
 * What kind of address an IP is, for the SSRF guard of event deliveries (delivery-target.ts): only
 * `public` addresses are reachable without the allow-list. Ranges from the IANA special-purpose
 * address registries (IPv4 and IPv6); IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they carry. Pure.
 */
import { isIP } from "node:net";

export type AddressClass =
  | "public"
  | "private"
  | "loopback"
  | "link-local"
  | "unspecified"
  | "shared"
  | "multicast"
  | "documentation"
  | "benchmarking"
  | "reserved";

type Range = readonly [prefix: bigint, bits: number, kind: AddressClass | "embedded-ipv4"];

function v4(text: string): bigint {
  return text.split(".").reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function v6(text: string): bigint {
  let address = text.toLowerCase();
  const zone = address.indexOf("%");
  if (zone >= 0) address = address.slice(0, zone);
  // A trailing dotted quad (::ffff:127.0.0.1) is two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (quad) {
    const value = v4(quad[1]!);
    address = `${address.slice(0, -quad[1]!.length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = address.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group || "0", 16)), 0n);
}

const ipv4Ranges: Range[] = [
  [v4("0.0.0.0"), 8, "unspecified"],
  [v4("10.0.0.0"), 8, "private"],
  [v4("100.64.0.0"), 10, "shared"],
  [v4("127.0.0.0"), 8, "loopback"],
  [v4("169.254.0.0"), 16, "link-local"],
  [v4("172.16.0.0"), 12, "private"],
  [v4("192.0.0.0"), 24, "reserved"],
  [v4("192.0.2.0"), 24, "documentation"],
  [v4("192.88.99.0"), 24, "reserved"],
  [v4("192.168.0.0"), 16, "private"],
  [v4("198.18.0.0"), 15, "benchmarking"],
  [v4("198.51.100.0"), 24, "documentation"],
  [v4("203.0.113.0"), 24, "documentation"],
  [v4("224.0.0.0"), 4, "multicast"],
  [v4("240.0.0.0"), 4, "reserved"],
];

const ipv6Ranges: Range[] = [
  [v6("::"), 128, "unspecified"],
  [v6("::1"), 128, "loopback"],
  [v6("::ffff:0:0"), 96, "embedded-ipv4"],
  [v6("64:ff9b::"), 96, "embedded-ipv4"],
  [v6("64:ff9b:1::"), 48, "private"],
  [v6("100::"), 64, "reserved"],
  [v6("2001:db8::"), 32, "documentation"],
  [v6("2001::"), 23, "reserved"],
  [v6("2002::"), 16, "embedded-ipv4"],
  [v6("fc00::"), 7, "private"],
  [v6("fe80::"), 10, "link-local"],
  [v6("fec0::"), 10, "private"],
  [v6("ff00::"), 8, "multicast"],
];

function within(value: bigint, width: number, [prefix, bits]: Range): boolean {
  const shift = BigInt(width - bits);
  return value >> shift === prefix >> shift;
}

function classifyV4(value: bigint): AddressClass {
  const range = ipv4Ranges.find((candidate) => within(value, 32, candidate));
  return (range?.[2] as AddressClass | undefined) ?? "public";
}

/** The class of an IPv4 or IPv6 address (as text); anything that is not an IP address is `reserved`. */
export function classifyAddress(address: string): AddressClass {
  const version = isIP(address.split("%")[0]!);
  if (version === 4) return classifyV4(v4(address));
  if (version !== 6) return "reserved";
  const value = v6(address);
  // The longest matching prefix decides (2001:db8::/32 inside 2001::/23, say).
  const range = ipv6Ranges.filter((candidate) => within(value, 128, candidate)).sort((a, b) => b[1] - a[1])[0];
  if (range?.[2] === "embedded-ipv4") {
    const carried = range[0] === v6("2002::") ? (value >> 80n) & 0xffffffffn : value & 0xffffffffn;
    return classifyV4(carried);
  }
  if (range) return range[2];
  // Global unicast is 2000::/3; everything else is not handed out.
  return value >> 125n === 1n ? "public" : "reserved";
}

/** Whether an address lies in a range given as an address or CIDR (`10.0.0.0/8`, `fd00::/8`); IPv4-mapped IPv6 counts as IPv4. */
export function addressInRange(address: string, range: string): boolean {
  const [base = "", bitsText] = range.split("/");
  const unmapped = (text: string) => {
    const lower = text.toLowerCase();
    return isIP(lower) === 6 && lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4 ? lower.slice(7) : text;
  };
  const target = unmapped(address);
  const baseAddress = unmapped(base);
  const version = isIP(baseAddress);
  if (version === 0 || isIP(target) !== version) return false;
  const width = version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  const parse = version === 4 ? v4 : v6;
  return within(parse(target), width, [parse(baseAddress), bits, "public"]);
}
