import { describe, expect, it } from "vitest";
import { ipBucket } from "../../worker/http/client-ip";

describe("ipBucket", () => {
  it("keeps IPv4 as it is", () => {
    expect(ipBucket("1.2.3.4")).toBe("1.2.3.4");
    expect(ipBucket("203.0.113.255")).toBe("203.0.113.255");
  });

  it("expands IPv6 and cuts it to its /64", () => {
    expect(ipBucket("::1")).toBe("0:0:0:0::/64");
    expect(ipBucket("::")).toBe("0:0:0:0::/64");
    expect(ipBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(ipBucket("2001:DB8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8:0:0::/64");
    expect(ipBucket("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(ipBucket("2001:db8:1:2::")).toBe("2001:db8:1:2::/64");
    expect(ipBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("reads an IPv4-mapped IPv6 address as its IPv4 address", () => {
    expect(ipBucket("::ffff:1.2.3.4")).toBe("1.2.3.4");
    expect(ipBucket("::FFFF:0102:0304")).toBe("1.2.3.4");
    expect(ipBucket("0:0:0:0:0:ffff:1.2.3.4")).toBe("1.2.3.4");
  });

  it("puts two addresses of one /64 in one bucket, and the next /64 in another", () => {
    const a = ipBucket("2001:db8:aaaa:1::1");
    expect(ipBucket("2001:db8:aaaa:1:ffff:ffff:ffff:fffe")).toBe(a);
    expect(ipBucket("2001:0db8:aaaa:0001:1234::")).toBe(a);
    expect(ipBucket("2001:db8:aaaa:2::1")).not.toBe(a);
  });

  it("keeps what is not an address as given", () => {
    for (const odd of ["local", "1::2::3", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3.999", "12345::1", ""]) expect(ipBucket(odd)).toBe(odd);
  });
});
