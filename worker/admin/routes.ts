/** /api/admin: operator tools. One requireAuth + requireAdmin guards the whole router, before any lookup. */
import { Hono } from "hono";
import { requireAdmin, requireAuth } from "../auth/middleware";
import type { Catalog } from "../generations/catalog";
import type { AppEnv } from "../http/context";
import { adminAppRoutes } from "./apps";
import { adminCreditRoutes } from "./credits";
import { adminGenerationRoutes } from "./generations";
import { adminMetricsRoutes } from "./metrics";
import { adminOperationRoutes } from "./operations";
import { adminOrderRoutes } from "./orders";
import { adminUserRoutes } from "./users";

export const adminRoutes = (catalog: Catalog) =>
  new Hono<AppEnv>()
    .use(requireAuth, requireAdmin)
    .route("/", adminMetricsRoutes)
    .route("/users", adminUserRoutes)
    .route("/users", adminCreditRoutes)
    .route("/apps", adminAppRoutes(catalog))
    .route("/", adminGenerationRoutes)
    .route("/", adminOperationRoutes)
    .route("/orders", adminOrderRoutes);
