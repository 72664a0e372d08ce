/** Worker entry: the product's apps, and the Durable Object classes. Nothing runs at import time. */
import { productCatalog } from "./apps/registry";
import { createWorker } from "./worker";

export { Account } from "./account/account";

export default createWorker(productCatalog);
