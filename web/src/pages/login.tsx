/** Log in, then go back to the page that asked for it. */
import { A, Navigate } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import { ErrorNotice } from "../components/error-notice";
import { Field } from "../components/field";
import { createAuthForm } from "../lib/auth-form";
import { currentUser, logIn, session } from "../stores/session";

export default function Login() {
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  const { busy, error, errors, next, carryNext, submit } = createAuthForm(["email", "password"], () => logIn(email(), password()));
  document.title = "Log in · Lumiku";

  const ended = () => {
    const s = session();
    return s.status === "signedOut" && s.reason !== "none" ? s.reason : null;
  };

  return (
    <Show when={!currentUser() || busy()} fallback={<Navigate href={next()} />}>
      <div class="auth">
        <div class="auth__card">
          <h1 class="auth__title">Log in to Lumiku</h1>
          <Show when={ended()}>
            {(reason) => (
              <p class="notice notice--info" role="status">
                {reason() === "loggedOut" ? "You are logged out. See you soon." : "Your session ended. Log in again to continue."}
              </p>
            )}
          </Show>
          <Show when={error() && Object.keys(errors()).length === 0}>
            <ErrorNotice error={error()} urgent />
          </Show>
          <form class="form" onSubmit={submit} aria-describedby={undefined}>
            <Field label="Email" name="email" type="email" autocomplete="username" required value={email()} onInput={(e) => setEmail(e.currentTarget.value)} error={errors().email} />
            <Field
              label="Password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password()}
              onInput={(e) => setPassword(e.currentTarget.value)}
              error={errors().password}
            />
            <button type="submit" class="button button--primary button--block" disabled={busy()}>
              {busy() ? "Logging in…" : "Log in"}
            </button>
          </form>
          <p class="auth__switch">
            New to Lumiku? <A href={carryNext("/signup")}>Create an account</A>
          </p>
        </div>
      </div>
    </Show>
  );
}
