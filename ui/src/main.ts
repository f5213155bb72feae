// Marks of the window's start, read by the start-up benchmark (tests/benches/window).
performance.mark("desk:modules-evaluated");

import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { resolveLanguage, setLanguage } from "./lib/i18n/index.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("index.html lacks the #app element");

// The system's language until the settings are read (they may choose another); loaded before
// the first screen so it does not show in English first.
await setLanguage(resolveLanguage("system", navigator.languages));

const app = mount(App, { target });
performance.mark("desk:mounted");

export default app;
