// Runs the site's own search engine (templates/static/search.js, the code readers' browsers run)
// over a built site in Node: reads {"site": folder, "queries": [...], "limit": n} on stdin and
// writes, for each query, the URLs of its results best first, with what was downloaded.
"use strict";
const fs = require("fs");
const path = require("path");
const createSearch = require(path.join(__dirname, "..", "templates", "static", "search.js"));

const input = JSON.parse(fs.readFileSync(0, "utf-8"));
const root = path.join(input.site, "tim-kiem");

async function main() {
  const answers = [];
  for (const query of input.queries) {
    let bytes = 0;
    const files = [];
    const engine = createSearch((file, type) => fs.promises.readFile(path.join(root, file)).then((data) => {
      bytes += data.length;
      files.push(file);
      return type === "json" ? JSON.parse(data.toString("utf-8")) : type === "text" ? data.toString("utf-8") : new Uint8Array(data);
    }, () => null));
    const found = await engine.results(query, input.limit);
    answers.push({ query, count: found.count, urls: found.results.map((r) => r.url), types: found.results.map((r) => r.type || ""),
                   titles: found.results.map((r) => r.title), snippets: found.results.map((r) => r.snippet),
                   suggestion: found.suggestion || "", bytes, files: files.length });
  }
  process.stdout.write(JSON.stringify(answers));
}
main().catch((error) => { console.error(error); process.exit(1); });
