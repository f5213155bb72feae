import { defineConfig } from "vite";

// The pdf.js baseline page of the window benchmark, built apart from the app (the app never
// ships pdf.js): `npm run build:bench` (root: bench/) writes bench/dist, which the benchmark serves from
// loopback into a plain Tauri window. Same browser target as the app's build.
export default defineConfig({
  base: "./",
  clearScreen: false,
  build: {
    target: "safari16",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
});
