// Lints Dockerfiles with dockerfile-utils (the checks of the VS Code Docker language server): every diagnostic, error
// or warning, fails. Usage: node lint-dockerfiles.mjs FILE...
import { readFileSync } from "node:fs";
import { validate } from "dockerfile-utils";

let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const d of validate(readFileSync(file, "utf8"))) {
    problems++;
    console.error(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`);
  }
}
console.log(`${process.argv.length - 2} Dockerfile(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
