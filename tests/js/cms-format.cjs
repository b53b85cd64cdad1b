// Runs the portal's Decap formats (templates/admin/portal-cms.js) outside the browser, for
// tests/test_cms.py. Reads JSON from stdin: {config, cases: [{collection, text, change}]};
// `change` is {key: value} set on the data read (for a list, {index: item}). Prints each written text.
"use strict";
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..", "..");
global.window = { addEventListener() {}, jsyaml: require(path.join(root, "cms", "node_modules", "js-yaml")) };
global.document = { currentScript: { dataset: {} } };
new Function(fs.readFileSync(path.join(root, "templates", "admin", "portal-cms.js"), "utf8"))();
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const written = input.cases.map(({ collection, text, change }) => {
  const entry = input.config.collections.find((c) => c.name === collection);
  const format = entry.files ? window.portalCms.makeListFormat(entry.files[0].fields[0].fields)
    : window.portalCms.makeFormat(input.config);
  const data = text === null ? {} : format.fromFile(text);
  for (const [key, value] of Object.entries(change || {})) {
    if (entry.files) data.items[Number(key)] = value; else data[key] = value;
  }
  return format.toFile(data);
});
process.stdout.write(JSON.stringify(written));
