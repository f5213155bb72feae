import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri loads the built files from `dist/`; in development it points the window at this server.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  // The translations as `JSON.parse("...")`, which JavaScript engines read faster than the same
  // data written as object literals: part of the window's start.
  json: { stringify: true },
  server: { port: 1420, strictPort: true, host: "127.0.0.1" },
  build: {
    target: "safari16",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
