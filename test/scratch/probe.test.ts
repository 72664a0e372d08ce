import { env } from "cloudflare:test";
import { it } from "vitest";

it("probe", async () => {
  const key = "users/u1/a.png";
  await env.FILES.put(key, new TextEncoder().encode("0123456789abcdefghij"));
  for (const r of [{ suffix: 1e20 }, { offset: 1e20 }, { offset: 2, length: 1e20 }, { offset: Number.MAX_SAFE_INTEGER }, { suffix: Number.MAX_SAFE_INTEGER }, { offset: 2, length: Number.MAX_SAFE_INTEGER - 2 }] as R2Range[]) {
    try { const o = await env.FILES.get(key, { range: r }); console.log(JSON.stringify(r), o && (await o.text()), JSON.stringify(o?.range)); } catch (e) { console.log(JSON.stringify(r), "ERR", String(e), (e as Error).constructor.name); }
  }
  try { const o = await env.FILES.get(key, { range: {offset: 100}, onlyIf: new Headers({"If-Match": '"x"'}) }); console.log("both", o && "body" in o); } catch (e) { console.log("both ERR", String(e)); }
  const o = await env.FILES.get(key, { onlyIf: new Headers({"If-Unmodified-Since": new Date(Date.now() - 86400000).toUTCString()}) }); console.log("ius", o && "body" in o, o?.uploaded.toISOString());
  const o2 = await env.FILES.get(key, { onlyIf: new Headers({"If-Match": 'W/' + (o!.httpEtag)}) }); console.log("weak ifmatch", o2 && "body" in o2, o!.httpEtag);
  const o3 = await env.FILES.get(key, { onlyIf: new Headers({"If-None-Match": 'W/' + (o!.httpEtag)}) }); console.log("weak inm", o3 && "body" in o3);
  const o4 = await env.FILES.get(key, { onlyIf: new Headers({"If-Match": '"a", ' + (o!.httpEtag)}) }); console.log("list", o4 && "body" in o4);
});
