import { render } from "solid-js/web";

const root = document.getElementById("root");
if (root) render(() => <main><h1>Lumiku</h1></main>, root);
