// Bundles the demo into demo/dist/ with esbuild: main.js, worker.js, index.html and
// the .wasm next to them (the glue's default URL resolves to it). No network.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { main: join(here, "main.js"), worker: join(here, "..", "codemirror", "worker.js") },
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  outdir: out,
  loader: { ".md": "text" },
  logLevel: "warning",
});
copyFileSync(join(here, "index.html"), join(out, "index.html"));
copyFileSync(join(here, "..", "pkg", "web", "unblame_bg.wasm"), join(out, "unblame_bg.wasm"));
console.log(`demo built in ${out}`);
