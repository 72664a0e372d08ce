/** The configured payment gateway, and the URLs it sends people and notifications to. */
import type { Config } from "../config/config";
import { ApiError } from "../core/errors";
import { createDuitkuGateway } from "./duitku";
import type { PaymentGateway } from "./gateway";
import { createSandboxGateway } from "./sandbox";

/** Signing keys of the configured gateway; the sandbox signs with them too. */
export interface MerchantKeys {
  merchantCode: string;
  apiKey: string;
}

/** The keys, or 503: a sandbox without them (loadConfig already refuses duitku without them). */
export function merchantKeys(config: Config): MerchantKeys {
  if (!config.DUITKU_MERCHANT_CODE || !config.DUITKU_API_KEY) {
    throw new ApiError("SERVICE_UNAVAILABLE", "Payments are not configured on this server (DUITKU_MERCHANT_CODE, DUITKU_API_KEY)");
  }
  return { merchantCode: config.DUITKU_MERCHANT_CODE, apiKey: config.DUITKU_API_KEY };
}

export function gatewayFor(config: Config, env: Env): PaymentGateway {
  if (config.PAYMENT_GATEWAY === "sandbox") return createSandboxGateway(env);
  return createDuitkuGateway({ ...merchantKeys(config), environment: config.DUITKU_ENV });
}

/** PUBLIC_URL, or the origin this request came to (so any local port works). */
export const publicBase = (config: Config, requestUrl: string) => config.PUBLIC_URL ?? new URL(requestUrl).origin;
