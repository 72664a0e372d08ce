/** Create an account; the signup grant is waiting on the dashboard. */
import { A, Navigate } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import { ErrorNotice } from "../components/error-notice";
import { Field } from "../components/field";
import { createAuthForm } from "../lib/auth-form";
import { currentUser, signUp } from "../stores/session";

const MIN_PASSWORD = 12;

export default function Signup() {
  const [name, setName] = createSignal("");
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");
  const { busy, error, errors, next, carryNext, submit } = createAuthForm(["name", "email", "password"], () => signUp(name(), email(), password()));
  document.title = "Sign up · Lumiku";

  return (
    <Show when={!currentUser() || busy()} fallback={<Navigate href={next()} />}>
      <div class="auth">
        <div class="auth__card">
          <h1 class="auth__title">Create your account</h1>
          <p class="auth__lead">Start with free credits for avatars, poses, carousels and more.</p>
          <Show when={error() && Object.keys(errors()).length === 0}>
            <ErrorNotice error={error()} urgent />
          </Show>
          <form class="form" onSubmit={submit}>
            <Field label="Name" name="name" autocomplete="name" required maxLength={100} value={name()} onInput={(e) => setName(e.currentTarget.value)} error={errors().name} />
            <Field label="Email" name="email" type="email" autocomplete="email" required maxLength={254} value={email()} onInput={(e) => setEmail(e.currentTarget.value)} error={errors().email} />
            <Field
              label="Password"
              name="password"
              type="password"
              autocomplete="new-password"
              required
              minLength={MIN_PASSWORD}
              maxLength={128}
              hint={`At least ${MIN_PASSWORD} characters. A few unrelated words work well.`}
              value={password()}
              onInput={(e) => setPassword(e.currentTarget.value)}
              error={errors().password}
            />
            <button type="submit" class="button button--primary button--block" disabled={busy()}>
              {busy() ? "Creating account…" : "Create account"}
            </button>
          </form>
          <p class="auth__switch">
            Already have an account? <A href={carryNext("/login")}>Log in</A>
          </p>
        </div>
      </div>
    </Show>
  );
}
