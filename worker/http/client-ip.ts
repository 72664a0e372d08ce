/**
 * The caller's address as per-IP limits count it. One IPv6 subscriber is usually handed a
 * whole /64 and can take a fresh address for every attempt, so IPv6 counts by its /64.
 */

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/** The eight hextets of an IPv6 address (with `::` and a dotted IPv4 tail), or null. */
function hextets(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((n) => n > 255)) return null;
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  if (![...head, ...tail].every((h) => HEXTET.test(h))) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array<string>(missing).fill("0"), ...tail].map((h) => parseInt(h, 16));
}

/**
 * IPv4 as is; IPv6 expanded and cut to its first four hextets (`2001:db8:0:0::/64`); an
 * IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is its IPv4 address. Anything else is kept as given.
 */
export function ipBucket(address: string): string {
  if (IPV4.test(address)) return address;
  const h = hextets(address);
  if (!h) return address;
  if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) return [h[6]! >> 8, h[6]! & 0xff, h[7]! >> 8, h[7]! & 0xff].join(".");
  return `${h
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(":")}::/64`;
}

/** The bucket of the address Cloudflare reports for the caller; local dev has none. */
export const clientIp = (req: Request) => ipBucket(req.headers.get("CF-Connecting-IP") ?? "local");
