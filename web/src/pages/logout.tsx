/** Ends the session on the server, then shows the login page. */
import { useNavigate } from "@solidjs/router";
import { onMount } from "solid-js";
import { logOut } from "../stores/session";

export default function Logout() {
  const navigate = useNavigate();
  document.title = "Logging out · Lumiku";
  onMount(async () => {
    await logOut();
    navigate("/login", { replace: true });
  });
  return (
    <div class="auth" aria-busy="true">
      <p class="auth__lead">Logging out…</p>
    </div>
  );
}
