/**
 * /api/realtime: a single-use ticket from an authenticated request, then a WebSocket
 * upgrade carrying only that ticket. The socket lives in the user's Account object
 * (hibernation API), so there is nothing per connection to leak here.
 */
import { Hono } from "hono";
import { z } from "zod";
import { accountOf } from "../account/client";
import { requireAuth } from "../http/auth";
import type { AppEnv } from "../http/context";
import { ApiError } from "../http/errors";
import { doc } from "../http/openapi";
import { query } from "../http/validate";

const TicketQuery = z.object({ ticket: z.string().regex(/^[\w-]{1,64}\.[0-9a-f]{48}$/, "malformed ticket") });

export const realtimeRoutes = new Hono<AppEnv>()
  .post("/ticket", doc({ summary: "A single-use ticket (~30 s) for the realtime socket", tags: ["realtime"], response: z.object({ ticket: z.string(), expiresAt: z.string() }) }), requireAuth, async (c) => {
    const { secret, expiresAt } = await accountOf(c.env, c.var.user.id).issueTicket();
    return c.json({ ticket: `${c.var.user.id}.${secret}`, expiresAt: new Date(expiresAt).toISOString() }, 200);
  })
  .get("/", doc({ summary: "Upgrade to the realtime WebSocket (ticket + allowed Origin)", tags: ["realtime"], auth: false, status: 101 }), query(TicketQuery), async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new ApiError("VALIDATION_ERROR", "Expected a WebSocket upgrade");
    const origin = c.req.header("Origin");
    const allowed = origin !== undefined && (origin === new URL(c.req.url).origin || c.var.config.CORS_ORIGINS.includes(origin));
    if (!allowed) throw new ApiError("FORBIDDEN", "This origin may not open the realtime socket");
    const [userId, secret] = c.req.valid("query").ticket.split(".") as [string, string];
    const headers = new Headers(c.req.raw.headers);
    headers.set("X-Ticket-Secret", secret);
    const response = await accountOf(c.env, userId).fetch(new Request(c.req.raw.url, { headers }));
    if (response.status === 401) throw new ApiError("UNAUTHENTICATED", "The realtime ticket is invalid, used or expired; request a new one");
    return response;
  });
