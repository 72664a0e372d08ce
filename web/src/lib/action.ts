/**
 * One user action's state: busy while it runs, its error (with per-field messages), a success
 * note, and which row it runs for when a list offers the same action on every row.
 */
import { createSignal } from "solid-js";
import { fieldErrors } from "./form";

export function createAction(fields: readonly string[] = []) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [target, setTarget] = createSignal<string | null>(null);
  const errors = () => fieldErrors(error(), fields);
  /** Runs `work` (for the row `rowId`) unless it is already running; a string it answers becomes the success note. */
  async function run(work: () => Promise<unknown>, rowId: string | null = null) {
    if (busy()) return;
    setBusy(true);
    setTarget(rowId);
    setError(null);
    setDone(null);
    try {
      const note = await work();
      setDone(typeof note === "string" ? note : null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setTarget(null);
    }
  }
  return { busy, error, errors, done, run, target, generalError: () => (error() && Object.keys(errors()).length === 0 ? error() : null) };
}
