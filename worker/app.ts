/** The Hono app: middleware chain, route mounting and the one error path, for a catalog of apps. */
import { Hono } from "hono";
import { accountDataRoutes } from "./account-data/routes";
import { adminRoutes } from "./admin/routes";
import { avatarCreatorRoutes } from "./apps/avatar-creator/routes";
import { loopingFlowRoutes } from "./apps/looping-flow/routes";
import { carouselGenerationZipRoutes, carouselMixRoutes } from "./apps/carousel-mix/routes";
import { poseGeneratorRoutes } from "./apps/pose-generator/routes";
import { appRoutes } from "./apps/routes";
import { videoMixerRoutes } from "./apps/video-mixer/routes";
import { authRoutes } from "./auth/routes";
import { billingRoutes } from "./billing/routes";
import { sandboxRoutes } from "./billing/sandbox-page";
import { creditRoutes } from "./credits/routes";
import { statementJwks } from "./credits/statement";
import type { Catalog } from "./generations/catalog";
import { generationRoutes, startGenerationRoutes } from "./generations/routes";
import { favoriteRoutes } from "./gallery/favorites";
import { galleryRoutes } from "./gallery/routes";
import { healthRoutes } from "./health/routes";
import { accessLog } from "./http/access-log";
import type { AppEnv } from "./http/context";
import { corsAllowlist } from "./http/cors";
import { handleError } from "./http/error-handler";
import { errorBody } from "./core/errors";
import { limitBody, requestTimeout, requireConfig, wellFormedPath } from "./http/guards";
import { buildOpenApi, doc } from "./http/openapi";
import { requestId } from "./http/request-id";
import { securityHeaders } from "./http/security-headers";
import { projectRoutes } from "./projects/routes";
import { realtimeRoutes } from "./realtime/routes";
import { statsRoutes } from "./stats/routes";
import { fileRoutes } from "./storage/routes";

/** A router mounted beside the product's, by an entry that composes more (tests, benchmarks). */
export type ExtraRoutes = Record<string, Hono<AppEnv>>;

/** Every /api route; its type drives the SPA's typed client. */
const apiRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>()
    .route("/health", healthRoutes)
    .route("/auth", authRoutes)
    .route("/credits", creditRoutes)
    .route("/account/stats", statsRoutes)
    .route("/account", accountDataRoutes)
    .route("/projects", projectRoutes(catalog))
    .route("/apps/pose-generator", poseGeneratorRoutes)
    .route("/apps/avatar-creator", avatarCreatorRoutes)
    .route("/apps/carousel-mix", carouselMixRoutes)
    .route("/apps/looping-flow", loopingFlowRoutes)
    .route("/apps/video-mixer", videoMixerRoutes)
    .route("/apps", appRoutes(catalog))
    .route("/apps", startGenerationRoutes(catalog))
    .route("/generations", carouselGenerationZipRoutes)
    .route("/generations", favoriteRoutes)
    .route("/generations", generationRoutes(catalog))
    .route("/gallery", galleryRoutes(catalog))
    .route("/files", fileRoutes)
    .route("/realtime", realtimeRoutes)
    .route("/billing", billingRoutes)
    .route("/admin", adminRoutes(catalog));

export type AppType = ReturnType<typeof apiRoutes>;

export function createApp(catalog: Catalog, extra: ExtraRoutes = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId, accessLog, securityHeaders);

  /** Liveness: no I/O, no configuration. */
  app.get("/health", (c) => c.json({ status: "ok" }));

  app.use("/api/*", wellFormedPath, requireConfig, corsAllowlist, requestTimeout, limitBody());
  const api = apiRoutes(catalog);
  for (const [path, routes] of Object.entries(extra)) api.route(path, routes);
  app.route("/api", api);

  // Public keys of the ledger statements (GET /api/credits/statement), for anyone to verify them.
  app.get("/.well-known/jwks.json", requireConfig, (c) => c.json(statementJwks(c.var.config), 200, { "Cache-Control": "public, max-age=300" }));

  /** The offline payment gateway's page (sandbox only; 404 otherwise). */
  app.route("/sandbox", sandboxRoutes);

  let openApi: ReturnType<typeof buildOpenApi> | undefined;
  app.get("/api/openapi.json", doc({ summary: "This document", tags: ["meta"], auth: false }), (c) => {
    openApi ??= buildOpenApi(app, { title: "Lumiku Edge API", version: "1.0.0" });
    return c.json(openApi);
  });

  app.notFound((c) => {
    if (c.req.path.startsWith("/api/") || c.req.path === "/api") {
      return c.json(errorBody("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`, c.get("requestId")), 404);
    }
    // Everything else is the SPA (assets, with index.html for client-side routes).
    return c.env.ASSETS.fetch(c.req.raw);
  });

  app.onError(handleError);

  return app;
}
