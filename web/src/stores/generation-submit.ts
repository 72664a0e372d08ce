/**
 * Starting a generation without ever starting two: one Idempotency-Key per attempt, reused
 * when the same attempt is sent again after an unknown outcome (offline, 5xx, 429), and the
 * submit stays busy while a request is out, so a double click sends one request.
 */
import { createSignal } from "solid-js";
import { api, ApiError, call, type Data } from "../lib/api";

export type StartedGeneration = Data<(typeof api.apps)[":appId"]["generations"]["$post"]>["generation"];

/** The request may have reached the server: only the same key may ask again. */
const isUnknownOutcome = (e: unknown) => e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500);

export function createGenerationSubmitter(appId: string) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  let attempt: { key: string; body: string } | null = null;

  /** The started generation, or null when refused (see error()) or already in flight. */
  async function submit(body: Record<string, unknown>): Promise<StartedGeneration | null> {
    if (busy()) return null;
    const serialized = JSON.stringify(body);
    if (attempt?.body !== serialized) attempt = { key: crypto.randomUUID(), body: serialized };
    const { key } = attempt;
    setBusy(true);
    setError(null);
    try {
      const { generation } = await call(api.apps[":appId"].generations.$post({ param: { appId }, json: body }, { headers: { "Idempotency-Key": key } }));
      attempt = null;
      // Stays busy: the page navigates away, and nothing may be sent in between.
      return generation;
    } catch (e) {
      // A refusal (400, 402, 409, 422…) settles this attempt; the next submit is a new one.
      if (!isUnknownOutcome(e)) attempt = null;
      setError(e);
      setBusy(false);
      return null;
    }
  }

  /** For a page that stays after a successful submit: the next submit is a new attempt. */
  const release = () => setBusy(false);

  return { busy, error, clearError: () => setError(null), submit, release };
}
