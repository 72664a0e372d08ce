/**
 * The benchmarks' Worker (`wrangler dev bench/support/worker.ts`): the product with the /api/bench
 * routes and the test-pipeline app the pipeline benchmark drives.
 */
import { testPipelineApp } from "../../test/support/test-pipeline";
import { PRODUCT_APPS } from "../../worker/apps/registry";
import { createCatalog } from "../../worker/generations/catalog";
import { createApp } from "../../worker/app";
import { createWorker } from "../../worker/worker";
import { benchRoutes } from "./routes";

export { Account } from "../../worker/account/account";

const catalog = createCatalog([...PRODUCT_APPS, testPipelineApp]);

export default createWorker(catalog, createApp(catalog, { "/bench": benchRoutes(catalog) }));
