/**
 * /api/realtime: a signed single-use ticket from an authenticated request, then a WebSocket
 * upgrade carrying only that ticket. The socket lives in the user's Account object
 * (hibernation API), so there is nothing per connection to leak here.
 */
import { Hono } from "hono";
import { z } from "zod";
import { accountOf } from "../account/client";
import { readTicket, signTicket } from "../account/tickets";
import { asCaller, requireSession } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { ApiError } from "../core/errors";
import { doc } from "../http/openapi";
import { query } from "../http/validate";

const TicketQuery = z.object({ ticket: z.string().max(512) });

export const realtimeRoutes = new Hono<AppEnv>()
  .post(
    "/ticket",
    doc({ summary: "A single-use ticket (~30 s) for the realtime socket", tags: ["realtime"], response: z.object({ ticket: z.string(), expiresAt: z.string() }) }),
    requireSession,
    async (c) => {
      const userId = c.var.caller.id;
      const { value: issued } = await asCaller(c.env, c.var.caller, (account, sessionId) => account.issueTicketAs(sessionId));
      const { nonce, expiresAt } = issued;
      const ticket = await signTicket(c.var.config.JWT_KEYS, { userId, nonce, expiresAt });
      return c.json({ ticket, expiresAt: new Date(expiresAt).toISOString() }, 200);
    },
  )
  .get("/", doc({ summary: "Upgrade to the realtime WebSocket (ticket + allowed Origin)", tags: ["realtime"], auth: false, status: 101 }), query(TicketQuery), async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new ApiError("VALIDATION_ERROR", "Expected a WebSocket upgrade");
    const origin = c.req.header("Origin");
    const allowed = origin !== undefined && (origin === new URL(c.req.url).origin || c.var.config.CORS_ORIGINS.includes(origin));
    if (!allowed) throw new ApiError("FORBIDDEN", "This origin may not open the realtime socket");
    const refused = new ApiError("UNAUTHENTICATED", "The realtime ticket is invalid, used or expired; request a new one");
    // Checked here, not in the object: a forged ticket must not bring any Account object into being.
    const ticket = await readTicket(c.var.config.JWT_KEYS, c.req.valid("query").ticket);
    if (!ticket) throw refused;
    const headers = new Headers(c.req.raw.headers);
    headers.set("X-Ticket-Nonce", ticket.nonce);
    const response = await accountOf(c.env, ticket.userId).fetch(new Request(c.req.raw.url, { headers }));
    if (response.status === 401) throw refused;
    return response;
  });
