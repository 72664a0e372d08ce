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

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: Config;
    user: AuthUser;
  };
}
