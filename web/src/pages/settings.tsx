/** Settings: name, password, sessions, taking my data with me, and deleting my account. */
import { A, useNavigate } from "@solidjs/router";
import { Show, createSignal } from "solid-js";
import { ErrorNotice } from "../components/error-notice";
import { Field } from "../components/field";
import { Page } from "../components/page";
import { Panel } from "../components/panel";
import { ApiError, api, call, toApiError } from "../lib/api";
import { createAction } from "../lib/action";
import { accountDeleted, currentUser, userChanged } from "../stores/session";

type Action = ReturnType<typeof createAction>;

/** The password the form sent was wrong (the server's 403), said at the field rather than above the form. */
const wrongPassword = (action: Action, message: string) => {
  const e = action.error();
  return e instanceof ApiError && e.code === "FORBIDDEN" ? message : undefined;
};

/** An action's outcome under its form: the error no field shows (unless `shown` elsewhere), then its success note. */
function Outcome(props: { action: Action; shown?: boolean }) {
  return (
    <>
      <Show when={!props.shown && props.action.generalError()}>
        <ErrorNotice error={props.action.generalError()} />
      </Show>
      <p class="form__status" role="status">
        {props.action.done()}
      </p>
    </>
  );
}

function NameForm() {
  const [name, setName] = createSignal(currentUser()?.name ?? "");
  const action = createAction(["name"]);
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const { user } = await call(api.auth.me.$patch({ json: { name: name() } }));
      userChanged(user);
      setName(user.name);
      return "Name saved.";
    });
  };
  return (
    <Panel title="Your name">
      <form class="form" onSubmit={submit}>
        <Field label="Name" name="name" autocomplete="name" required maxLength={100} value={name()} onInput={(e) => setName(e.currentTarget.value)} error={action.errors().name} />
        <Outcome action={action} />
        <button type="submit" class="button button--primary" disabled={action.busy()}>
          {action.busy() ? "Saving…" : "Save name"}
        </button>
      </form>
    </Panel>
  );
}

function PasswordForm() {
  const [current, setCurrent] = createSignal("");
  const [next, setNext] = createSignal("");
  const action = createAction(["currentPassword", "newPassword"]);
  const wrongCurrent = () => wrongPassword(action, "The current password is wrong");
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await call(api.auth.password.$post({ json: { currentPassword: current(), newPassword: next() } }));
      setCurrent("");
      setNext("");
      return "Password changed. Every other device is logged out.";
    });
  };
  return (
    <Panel title="Change password">
      <form class="form" onSubmit={submit}>
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autocomplete="current-password"
          required
          value={current()}
          onInput={(e) => setCurrent(e.currentTarget.value)}
          error={action.errors().currentPassword ?? wrongCurrent()}
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autocomplete="new-password"
          required
          minLength={12}
          maxLength={128}
          hint="At least 12 characters. Changing it logs out every other device."
          value={next()}
          onInput={(e) => setNext(e.currentTarget.value)}
          error={action.errors().newPassword}
        />
        <Outcome action={action} shown={wrongCurrent() !== undefined} />
        <button type="submit" class="button button--primary" disabled={action.busy()}>
          {action.busy() ? "Changing…" : "Change password"}
        </button>
      </form>
    </Panel>
  );
}

function ExportPanel() {
  const action = createAction();
  const download = () =>
    void action.run(async () => {
      const res = await api.account.export.$get();
      if (!res.ok) throw await toApiError(res as unknown as Response);
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? "lumiku-export.zip";
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return "Your export is downloading.";
    });
  return (
    <Panel title="Export my data">
      <p>A ZIP of your profile, credit ledger (with its hash chain), orders, generations and every file you uploaded or made.</p>
      <Outcome action={action} />
      <button type="button" class="button button--secondary" disabled={action.busy()} onClick={download}>
        {action.busy() ? "Preparing…" : "Download my data"}
      </button>
    </Panel>
  );
}

function DeletePanel() {
  const navigate = useNavigate();
  const [password, setPassword] = createSignal("");
  const [confirmed, setConfirmed] = createSignal(false);
  const action = createAction(["password"]);
  const wrong = () => wrongPassword(action, "The password is wrong");
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await call(api.account.$delete({ json: { password: password() } }));
      accountDeleted();
      navigate("/login", { replace: true });
      return null;
    });
  };
  return (
    <Panel title="Delete my account">
      <form class="form" onSubmit={submit}>
        <p>This logs you out everywhere at once and erases your projects, generations, files and credits. Paid orders are kept, without your name or email, as the tax receipts the law requires.</p>
        <Field
          label="Password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
          error={action.errors().password ?? wrong()}
        />
        <label class="checkbox">
          <input type="checkbox" checked={confirmed()} onChange={(e) => setConfirmed(e.currentTarget.checked)} /> I understand this cannot be undone
        </label>
        <Outcome action={action} shown={wrong() !== undefined} />
        <button type="submit" class="button button--danger" disabled={action.busy() || !confirmed()}>
          {action.busy() ? "Deleting…" : "Delete my account"}
        </button>
      </form>
    </Panel>
  );
}

export default function Settings() {
  document.title = "Settings · Lumiku";
  return (
    <Page title="Settings" lead={<>Your name, your password, your data. Signed in as {currentUser()?.email}.</>}>
      <div class="stack settings">
        <NameForm />
        <PasswordForm />
        <Panel title="Sessions">
          <p>
            See every device where you are logged in, and end any of them: <A href="/sessions">Sessions</A>.
          </p>
        </Panel>
        <ExportPanel />
        <DeletePanel />
      </div>
    </Page>
  );
}
