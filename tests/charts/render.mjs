// Renders every ```mermaid block of the given Markdown files with the real Mermaid library in
// headless Chromium. A chart Mermaid rejects fails the run; so does a broken control chart that
// Mermaid accepts (the check must be able to fail).
//
//   node tests/charts/render.mjs --modules DIR --expect flowchart,gantt FILE.md...
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
let modules = null;
let expect = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--modules") modules = args[++i];
  else if (args[i] === "--expect") expect = args[++i].split(",").filter(Boolean);
  else files.push(args[i]);
}
if (!modules || files.length === 0) {
  console.error("usage: render.mjs --modules NODE_PREFIX [--expect kinds] FILE.md...");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modules), "node_modules", "x.js"));
const puppeteer = require("puppeteer-core");
const mermaidJs = require.resolve("mermaid/dist/mermaid.min.js");
const mermaidVersion = JSON.parse(
  fs.readFileSync(path.join(path.dirname(mermaidJs), "..", "package.json"), "utf8"),
).version;

const charts = [];
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const re = /```mermaid\n([\s\S]*?)```/g;
  let m;
  let n = 0;
  while ((m = re.exec(text)) !== null) {
    n += 1;
    charts.push({ name: `${path.basename(file)} #${n}`, source: m[1] });
  }
}

// Controls: Mermaid must reject each of these, or the check proves nothing.
const controls = [
  { name: "control: unclosed flowchart node", source: "flowchart LR\n  A[\"unclosed --> B\n" },
  { name: "control: gantt task without a start", source: "gantt\n  dateFormat YYYY-MM-DD\n  section s\n  task :t0, , \n" },
];

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plancheck-chromium-"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  userDataDir,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${userDataDir}`,
  ],
});
let failed = 0;
let rendered = 0;
let rejected = 0;
try {
  const page = await browser.newPage();
  await page.setContent("<!doctype html><html><body><div id=out></div></body></html>");
  await page.addScriptTag({ path: mermaidJs });
  await page.evaluate(() => {
    globalThis.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  });
  const version = mermaidVersion;
  const render = (source, id) =>
    page.evaluate(
      async (source, id) => {
        try {
          const type = (await globalThis.mermaid.parse(source)).diagramType;
          const { svg } = await globalThis.mermaid.render(id, source);
          if (!svg.includes("<svg") || /Syntax error in text/.test(svg)) {
            return { ok: false, error: "Mermaid drew its error diagram" };
          }
          return { ok: true, type, bytes: svg.length };
        } catch (e) {
          return { ok: false, error: String(e && e.message ? e.message : e) };
        }
      },
      source,
      id,
    );
  const kinds = new Map();
  for (const [i, c] of charts.entries()) {
    const r = await render(c.source, `chart${i}`);
    if (r.ok) {
      rendered += 1;
      kinds.set(r.type, (kinds.get(r.type) ?? 0) + 1);
    } else {
      failed += 1;
      console.error(`FAIL ${c.name}: ${r.error}\n${c.source}`);
    }
  }
  for (const [i, c] of controls.entries()) {
    const r = await render(c.source, `control${i}`);
    if (r.ok) {
      failed += 1;
      console.error(`FAIL ${c.name}: Mermaid accepted a broken chart, so this check cannot fail`);
    } else {
      rejected += 1;
      if (process.env.VERBOSE) console.error(`${c.name}: rejected: ${r.error}`);
    }
  }
  for (const k of expect) {
    if (!kinds.has(k)) {
      failed += 1;
      console.error(`FAIL: no ${k} chart among the ${charts.length} plancheck wrote`);
    }
  }
  const summary = [...kinds.entries()].map(([k, n]) => `${n} ${k}`).join(", ");
  console.log(
    `${rendered} of ${charts.length} charts rendered by Mermaid ${version} in ${await browser.version()} (${summary || "none"}); ${rejected} of ${controls.length} broken control charts rejected`,
  );
} finally {
  await browser.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
