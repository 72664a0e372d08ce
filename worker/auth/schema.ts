/** Request and response shapes of the auth routes. */
import { z } from "zod";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "must be a valid email address" }));

export const Password = z.string().min(12, { message: "must be at least 12 characters" }).max(128, { message: "must be at most 128 characters" });

export const Name = z.string().trim().min(1).max(100);

/** Unknown keys (role, tags, credits …) are stripped: a client never sets them. */
export const RegisterBody = z.object({
  email: Email,
  password: Password,
  name: Name,
});

export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1).max(128),
});

export const SessionParams = z.object({ id: z.string().min(1).max(64) });

export const PublicUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(["user", "admin"]),
  tags: z.array(z.string()),
  createdAt: z.string(),
});
export type PublicUser = z.infer<typeof PublicUser>;

export const AuthResult = z.object({ user: PublicUser, accessToken: z.string() });

export const SessionView = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
