/** Admin test helpers: an admin client (the role set in D1, as the seed does) and audit reads. */
import { env } from "cloudflare:test";
import { api, register, type Client, type ClientInit } from "./client";

export async function registerAdmin(): Promise<Client> {
  const admin = await register();
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(admin.userId).run();
  return admin;
}

export const adminApi = (admin: Client, path: string, init: ClientInit = {}) => api(`/api/admin${path}`, { ...init, token: admin.token });

export interface AuditItem {
  id: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  createdAt: string;
}

/** The audit rows an admin sees for one target, newest first. */
export async function auditOf(admin: Client, targetId: string, action?: string): Promise<AuditItem[]> {
  const q = new URLSearchParams({ targetId, limit: "100", ...(action ? { action } : {}) });
  const res = await adminApi(admin, `/audit?${q}`);
  if (res.status !== 200) throw new Error(`audit read failed: ${res.status}`);
  return (await res.json<{ items: AuditItem[] }>()).items;
}
