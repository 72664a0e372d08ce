/** Who is signed in: restored once at start from the refresh cookie, then kept by login, register and logout. */
import { createSignal } from "solid-js";
import { api, ApiError, call, publicApi, refreshAccessToken, setAccessToken, setSessionLostHandler, type Data } from "../lib/api";

export type User = Data<typeof api.auth.me.$get>["user"];

export type SessionState =
  | { status: "restoring" }
  /** The server could not be reached while restoring; nothing is known yet. */
  | { status: "unreachable" }
  | { status: "signedIn"; user: User }
  | { status: "signedOut"; reason: "none" | "expired" | "loggedOut" };

const [state, setState] = createSignal<SessionState>({ status: "restoring" });

export const session = state;
export const currentUser = () => {
  const s = state();
  return s.status === "signedIn" ? s.user : null;
};

function signOutLocally(reason: "expired" | "loggedOut") {
  setAccessToken(null);
  setState({ status: "signedOut", reason });
}

setSessionLostHandler(() => {
  if (state().status === "signedIn") signOutLocally("expired");
});

/** Runs once at start: a silent refresh, then the user. Never throws. */
export async function restoreSession(): Promise<void> {
  setState({ status: "restoring" });
  const outcome = await refreshAccessToken();
  if (outcome === "rejected") return void setState({ status: "signedOut", reason: "none" });
  if (outcome === "unreachable") return void setState({ status: "unreachable" });
  try {
    const { user } = await call(api.auth.me.$get());
    setState({ status: "signedIn", user });
  } catch (e) {
    setState(e instanceof ApiError && e.status === 401 ? { status: "signedOut", reason: "none" } : { status: "unreachable" });
  }
}

export async function logIn(email: string, password: string): Promise<void> {
  const { user, accessToken } = await call(publicApi.auth.login.$post({ json: { email, password } }));
  setAccessToken(accessToken);
  setState({ status: "signedIn", user });
}

export async function signUp(name: string, email: string, password: string): Promise<void> {
  const { user, accessToken } = await call(publicApi.auth.register.$post({ json: { name, email, password } }));
  setAccessToken(accessToken);
  setState({ status: "signedIn", user });
}

/** Ends the session on the server; signed out locally whatever the server says. */
export async function logOut(): Promise<void> {
  try {
    await call(api.auth.logout.$post());
  } catch {
    // Offline or already ended: the token is dropped below either way.
  }
  signOutLocally("loggedOut");
}

/** The signed-in user changed (a new name). */
export function userChanged(user: User): void {
  if (state().status === "signedIn") setState({ status: "signedIn", user });
}

/** The account was deleted: its sessions ended on the server already. */
export function accountDeleted(): void {
  signOutLocally("loggedOut");
}
