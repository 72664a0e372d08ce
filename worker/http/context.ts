/** The one typed Hono context every route and middleware shares. */
import type { Config } from "../config/config";

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: "user" | "admin";
  tags: string[];
  createdAt: string;
  sessionId: string;
}

/**
 * Who an access token names, before or after their session is checked: `user` is set once
 * the user's object has confirmed the session (requireAuth up front; requireSession in
 * the route's own call to the object, or after the route at the latest).
 */
export interface Caller {
  id: string;
  sessionId: string;
  user: AuthUser | null;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: Config;
    user: AuthUser;
    caller: Caller;
  };
}
