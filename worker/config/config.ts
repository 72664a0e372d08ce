/** Typed, validated configuration: parsed from the Env on first use, never at import time. */
import { z } from "zod";

const PLACEHOLDER = /change[-_ ]?me|placeholder|example|secret|^x+$|^0+$/i;
const MIN_SECRET_BYTES = 32;

const strongSecret = (name: string) =>
  z
    .string({ error: `${name} is missing` })
    .refine((v) => new TextEncoder().encode(v).length >= MIN_SECRET_BYTES, {
      message: `${name} is shorter than ${MIN_SECRET_BYTES} bytes`,
    })
    .refine((v) => !PLACEHOLDER.test(v), { message: `${name} is a placeholder value` });

/** wrangler.toml declares optional settings as "" (so an env file may set them): blank means unset. */
const blankAsUnset = <T extends z.ZodType<string>>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `kid:secret,kid:secret` — the first key signs, all of them verify (rotation). */
const jwtKeys = z
  .string({ error: "JWT_KEYS is missing" })
  .transform((raw, ctx) => {
    const keys: Array<{ kid: string; secret: string }> = [];
    for (const part of raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const colon = part.indexOf(":");
      if (colon < 1) {
        ctx.addIssue({ code: "custom", message: "JWT_KEYS entries must be kid:secret" });
        return z.NEVER;
      }
      keys.push({ kid: part.slice(0, colon), secret: part.slice(colon + 1) });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: "custom", message: "JWT_KEYS has no key" });
      return z.NEVER;
    }
    return keys;
  })
  .pipe(z.array(z.object({ kid: z.string().regex(/^[\w.-]{1,64}$/), secret: strongSecret("a JWT key") })));

/**
 * Ed25519 private keys (OKP JWKs with a `kid`) as a JSON array: the first signs ledger
 * statements, all are published at /.well-known/jwks.json (rotation). Optional: without
 * it the statement route answers 503.
 */
const statementKeys = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || raw.trim() === "") return [];
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "STATEMENT_KEYS is not JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), kid: z.string().regex(/^[\w.-]{1,64}$/), x: z.string().min(43), d: z.string().min(43) })));

/** Origins compare as browsers send them (`scheme://host[:port]`), so a trailing slash or path is dropped. */
const origins = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)));

const ConfigSchema = z
  .object({
    ENVIRONMENT: z.enum(["development", "test", "production"]).default("production"),
    JWT_ISSUER: z.string().min(1),
    JWT_AUDIENCE: z.string().min(1),
    JWT_KEYS: jwtKeys,
    FILE_URL_SECRET: strongSecret("FILE_URL_SECRET"),
    STATEMENT_KEYS: statementKeys,
    ACCESS_TOKEN_TTL_SECONDS: int(60, 3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: int(1, 90).default(30),
    CORS_ORIGINS: origins,
    /** `None` when the studio runs on another site (Pages): the refresh cookie then rides cross-site requests from CORS_ORIGINS. */
    REFRESH_COOKIE_SAME_SITE: z.enum(["Strict", "None"]).default("Strict"),
    SIGNUP_CREDITS: int(0, 1_000_000).default(100),
    AUTH_RATE_LIMIT_PER_IP: int(1, 100_000).default(30),
    /** Failed logins per email from one address (/64), and registrations per email, per window. */
    AUTH_RATE_LIMIT_PER_EMAIL: int(1, 100_000).default(10),
    /** Failed logins per email from all addresses together, per window; unset: ten times AUTH_RATE_LIMIT_PER_EMAIL. */
    AUTH_RATE_LIMIT_PER_EMAIL_GLOBAL: int(1, 1_000_000).optional(),
    AUTH_RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(900),
    MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
    REQUEST_TIMEOUT_MS: int(100, 120_000).default(20_000),
    GENERATION_ITEMS_PER_HOUR: int(1, 1_000_000).default(500),
    /** First queue retry delay; later ones double (tests use 0 to retry at once). */
    QUEUE_RETRY_BASE_SECONDS: int(0, 60).default(2),
    /** Which image provider generates: the offline procedural one unless configured otherwise. */
    AI_PROVIDER: z.enum(["procedural", "workers-ai", "huggingface"]).default("procedural"),
    /** Model id for the remote providers (each has a sensible default). */
    AI_MODEL: z.string().min(1).max(200).optional(),
    HF_TOKEN: z.string().min(8).optional(),
    /** Who animates loops: the offline frame-by-frame effects unless an image-to-video model is configured. */
    LOOP_PROVIDER: z.enum(["procedural", "huggingface"]).default("procedural"),
    LOOP_MODEL: z.string().min(1).max(200).optional(),
    /** Test-only: the offline provider fails any prompt containing this text. Refused in production. */
    PROCEDURAL_FAIL_TRIGGER: z.string().min(3).max(40).optional(),
    /** Test-only: cheaper scrypt (log2 N). Refused in production. */
    PASSWORD_SCRYPT_LOG_N: int(10, 17).optional(),
    /** Who takes payments: Duitku, or the offline sandbox (development and test only). Unset: duitku in production, else sandbox. */
    PAYMENT_GATEWAY: z.enum(["sandbox", "duitku"]).optional(),
    DUITKU_MERCHANT_CODE: blankAsUnset(z.string().regex(/^[\w-]{1,64}$/, "DUITKU_MERCHANT_CODE must be the merchant code Duitku issued")),
    DUITKU_API_KEY: blankAsUnset(z.string().min(16, "DUITKU_API_KEY is shorter than 16 characters").max(200)),
    /** Which Duitku endpoints the duitku gateway talks to. */
    DUITKU_ENV: z.enum(["sandbox", "production"]).default("sandbox"),
    /** Where browsers and the gateway reach this Worker (callback, return and payment URLs); unset: the request's own origin. */
    PUBLIC_URL: z
      .string()
      .default("")
      .pipe(z.union([z.literal(""), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)]))
      .transform((v) => v || null),
  })
  .transform((c) => ({
    ...c,
    AUTH_RATE_LIMIT_PER_EMAIL_GLOBAL: c.AUTH_RATE_LIMIT_PER_EMAIL_GLOBAL ?? 10 * c.AUTH_RATE_LIMIT_PER_EMAIL,
    PAYMENT_GATEWAY: c.PAYMENT_GATEWAY ?? (c.ENVIRONMENT === "production" ? ("duitku" as const) : ("sandbox" as const)),
  }));

export type Config = z.output<typeof ConfigSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const cache = new WeakMap<object, ConfigResult>();

/** Parses the Env once per Env object; the result (good or bad) is cached with it. */
export function loadConfig(env: object): ConfigResult {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(env);
  let result: ConfigResult;
  if (!parsed.success) {
    result = {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`),
    };
  } else if (parsed.data.ENVIRONMENT === "production" && (parsed.data.PASSWORD_SCRYPT_LOG_N !== undefined || parsed.data.PROCEDURAL_FAIL_TRIGGER !== undefined)) {
    result = { ok: false, problems: ["PASSWORD_SCRYPT_LOG_N and PROCEDURAL_FAIL_TRIGGER must not be set in production"] };
  } else if (parsed.data.ENVIRONMENT === "production" && parsed.data.PAYMENT_GATEWAY === "sandbox") {
    result = { ok: false, problems: ["PAYMENT_GATEWAY=sandbox is for development and test only; production takes payments through duitku"] };
  } else if (parsed.data.PAYMENT_GATEWAY === "duitku" && (!parsed.data.DUITKU_MERCHANT_CODE || !parsed.data.DUITKU_API_KEY)) {
    result = { ok: false, problems: ["PAYMENT_GATEWAY is duitku but DUITKU_MERCHANT_CODE or DUITKU_API_KEY is not set"] };
  } else if (parsed.data.REFRESH_COOKIE_SAME_SITE === "None" && parsed.data.CORS_ORIGINS.length === 0) {
    result = { ok: false, problems: ["REFRESH_COOKIE_SAME_SITE=None is only for a studio on another site: list its origin in CORS_ORIGINS"] };
  } else if (parsed.data.AI_PROVIDER === "workers-ai" && !("AI" in env && env.AI)) {
    result = { ok: false, problems: ['AI_PROVIDER is workers-ai but there is no AI binding ([ai] binding = "AI")'] };
  } else if ((parsed.data.AI_PROVIDER === "huggingface" || parsed.data.LOOP_PROVIDER === "huggingface") && !parsed.data.HF_TOKEN) {
    result = { ok: false, problems: ["AI_PROVIDER or LOOP_PROVIDER is huggingface but HF_TOKEN is not set"] };
  } else {
    result = { ok: true, config: parsed.data };
  }
  cache.set(env, result);
  return result;
}
