/**
 * The Worker the tests run (vitest's `main`, and `wrangler dev` for the browser tests): the
 * product's apps plus the test-pipeline app that proves the engine, and the benchmark routes
 * that write ledger entries quickly. The deployed Worker (worker/index.ts) has neither.
 */
import { benchRoutes } from "../../bench/support/routes";
import { createApp } from "../../worker/app";
import { PRODUCT_APPS } from "../../worker/apps/registry";
import { createCatalog } from "../../worker/generations/catalog";
import { createWorker } from "../../worker/worker";
import { testPipelineApp } from "./test-pipeline";

export { Account } from "../../worker/account/account";

export const testCatalog = createCatalog([...PRODUCT_APPS, testPipelineApp]);

/** Also called in-process by tests that hand it another Env (fault injection, other configuration). */
export const testApp = createApp(testCatalog, { "/bench": benchRoutes(testCatalog) });

export default createWorker(testCatalog, testApp);
