/** Entry: restore the session (the static splash stays up meanwhile), then mount the app. */
import { render } from "solid-js/web";
import { App, preloadCurrentPage } from "./app";
import { restoreSession } from "./stores/session";
import "./styles/index.css";

void restoreSession();
preloadCurrentPage();

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
// The splash markup in index.html shows until here; the app renders the same splash while restoring.
root.replaceChildren();
render(() => <App />, root);
