/** The submit cycle both auth pages share: one request at a time, errors kept, then back where the user came from. */
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal } from "solid-js";
import { safeNext } from "./format";
import { fieldErrors } from "./form";

export function createAuthForm(fields: readonly string[], send: () => Promise<unknown>) {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const next = () => safeNext(search.next);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(null);
    try {
      await send();
      navigate(next(), { replace: true });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return {
    busy,
    error,
    errors: () => fieldErrors(error(), fields),
    next,
    /** A link to the other auth page that keeps where the user was going. */
    carryNext: (path: string) => `${path}${search.next ? `?next=${encodeURIComponent(next())}` : ""}`,
    submit,
  };
}
