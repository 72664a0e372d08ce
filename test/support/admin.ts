/** Admin test helpers: an admin client (the role set in D1, as an operator does) and audit reads. */
import { api, register, type Client, type ClientInit } from "./client";
import { changeUser } from "./users";

export async function registerAdmin(): Promise<Client> {
  const admin = await register();
  await changeUser(admin.userId, { role: "admin" });
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
