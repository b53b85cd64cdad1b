// The portal's side of the web editor (Decap CMS) at /admin/. Hand-written because Decap's own
// YAML front-matter format rewrites the whole file on every save (comments dropped, keys in its
// own order, every string re-quoted, empty fields written as `""`), which `check` then refuses or
// a reviewer cannot read in the pull request. This format:
// - writes keys in the order of the generated config (the models' order), dates as DD/MM/YYYY,
//   ids plain, texts in double quotes, lists of ids in [a, b], empty optional fields left out;
// - when a document is edited, keeps the exact text (comments included) of every top-level field
//   whose value the editor did not change, and the body when it did not change.
// The data files (units.yaml, topics.yaml, commemorations.yaml) get the same care, item by item.
// It also registers the preview (the site's stylesheet and the document page's layout).
(function () {
  "use strict";
  window.CMS_MANUAL_INIT = true;
  var script = document.currentScript;
  var SOURCE = "__portal_source"; // the file as read, kept in the entry to write untouched fields back
  var FORMAT = "portal-frontmatter";

  function fieldsOf(config) {
    return config.collections[0].fields.filter(function (field) { return field.name !== "body"; });
  }

  function isEmpty(value) {
    return value === undefined || value === null || (typeof value === "string" && value.trim() === "") ||
      (Array.isArray(value) && value.length === 0);
  }

  // The value as the portal would store it: empty optional parts dropped, so that "not given"
  // compares equal however the form holds it (absent, null, "", []).
  function clean(field, value) {
    if (field.widget === "object") {
      if (!value || typeof value !== "object") return undefined;
      var out = {};
      field.fields.forEach(function (child) {
        var v = clean(child, value[child.name]);
        if (v !== undefined) out[child.name] = v;
      });
      return Object.keys(out).length ? out : undefined;
    }
    if (field.widget === "list" && field.fields) {
      if (!Array.isArray(value)) return undefined;
      var items = value.map(function (item) { return clean({ widget: "object", fields: field.fields }, item); })
        .filter(function (item) { return item !== undefined; });
      return items.length ? items : undefined;
    }
    if (field.widget === "list" || (field.widget === "select" && field.multiple)) {
      if (!Array.isArray(value)) return isEmpty(value) ? undefined : [value];
      var texts = value.filter(function (item) { return !isEmpty(item); });
      return texts.length ? texts : undefined;
    }
    if (field.widget === "boolean") return value === true ? true : undefined;
    if (field.widget === "number") return isEmpty(value) || isNaN(Number(value)) ? undefined : Number(value);
    if (isEmpty(value)) return undefined;
    return typeof value === "string" ? value : String(value);
  }

  var PLAIN_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
  var YAML_WORDS = /^(?:true|false|yes|no|on|off|null|y|n)$/;
  var DATE = /^\d{1,2}\/\d{1,2}\/\d{4}$/;

  function scalar(field, value) {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (field.widget === "datetime" && DATE.test(value)) return value;
    if ((field.widget === "select" || field.pattern) && PLAIN_ID.test(value) && !YAML_WORDS.test(value)) return value;
    return JSON.stringify(value); // a JSON string is a YAML double-quoted scalar
  }

  function flowMap(fields, value) {
    return "{" + fields.filter(function (child) { return value[child.name] !== undefined; })
      .map(function (child) { return child.name + ": " + scalar(child, value[child.name]); }).join(", ") + "}";
  }

  function emit(field, value, indent) {
    var key = indent + field.name + ":";
    if (field.widget === "object") return key + " " + flowMap(field.fields, value);
    if (field.widget === "select" && field.multiple) {
      return key + " [" + value.map(function (item) { return scalar(field, item); }).join(", ") + "]";
    }
    if (field.widget === "list" && !field.fields) {
      return key + "\n" + value.map(function (item) { return indent + "  - " + JSON.stringify(item); }).join("\n");
    }
    if (field.widget === "list") {
      var nested = field.fields.some(function (child) { return child.widget === "list"; });
      return key + "\n" + value.map(function (item) {
        return nested ? blockItem(field.fields, item, indent + "  ") : indent + "  - " + flowMap(field.fields, item);
      }).join("\n");
    }
    return key + " " + scalar(field, value);
  }

  // "- key: value" and the other keys below it, one per line.
  function blockItem(fields, item, indent) {
    return fields.filter(function (child) { return item[child.name] !== undefined; })
      .map(function (child, n) {
        var text = emit(child, item[child.name], indent + "  ");
        return n === 0 ? indent + "- " + text.slice(indent.length + 2) : text;
      }).join("\n");
  }

  // The front matter's text cut into one piece per top-level key (with the comments above it).
  function pieces(front) {
    var out = { prelude: [], keys: {}, order: [], trailing: [] };
    var pending = [];
    var current = null;
    front.split("\n").forEach(function (line) {
      var match = /^([A-Za-z_][\w-]*)\s*:/.exec(line);
      if (match) {
        current = match[1];
        out.keys[current] = pending.concat([line]);
        out.order.push(current);
        pending = [];
      } else if (current !== null && /^[\s-]/.test(line) && line.trim() !== "" && !pending.length) {
        out.keys[current].push(line);
      } else if (current === null && line.trim() !== "" && !/^#/.test(line)) {
        out.prelude.push(line);
      } else {
        pending.push(line);
      }
    });
    if (current === null) out.prelude = out.prelude.concat(pending); else out.trailing = pending;
    return out;
  }

  function split(text) {
    var match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text);
    if (!match) return { front: "", meta: {}, body: text };
    return { front: match[1], meta: window.jsyaml.load(match[1], { schema: window.jsyaml.CORE_SCHEMA }) || {},
             body: match[2] };
  }

  function makeFormat(config) {
    var fields = fieldsOf(config);
    return {
      fromFile: function (text) {
        var parts = split(text);
        var data = Object.assign({}, parts.meta, { body: parts.body });
        data[SOURCE] = text;
        return data;
      },
      toFile: function (data) {
        var before = data[SOURCE] ? split(data[SOURCE]) : null;
        var cut = before ? pieces(before.front) : null;
        var lines = cut ? cut.prelude.slice() : [];
        var known = {};
        fields.forEach(function (field) {
          known[field.name] = true;
          var value = clean(field, data[field.name]);
          if (cut && cut.keys[field.name] &&
              JSON.stringify(clean(field, before.meta[field.name])) === JSON.stringify(value)) {
            lines = lines.concat(cut.keys[field.name]);
          } else if (value !== undefined) {
            lines.push(emit(field, value, ""));
          }
        });
        if (cut) {  // keys the form does not know stay, for `check` to report
          cut.order.forEach(function (name) { if (!known[name]) lines = lines.concat(cut.keys[name]); });
          lines = lines.concat(cut.trailing);
        }
        var body = data.body || "";
        if (before && body.replace(/\s+$/, "") === before.body.replace(/\s+$/, "")) body = before.body;
        else body = (body.charAt(0) === "\n" ? "" : "\n") + body.replace(/\s+$/, "") + "\n";
        return "---\n" + lines.join("\n").replace(/\n+$/, "") + "\n---\n" + body;
      },
    };
  }

  // A data file (units.yaml…): a list of items. An item the editor did not change is written back
  // as it was, with the comment lines above it; a new or changed one in the portal's style.
  function makeListFormat(fields) {
    var item = { widget: "object", fields: fields };
    function cut(text) {
      var out = { header: [], items: [], trailer: [] };
      var pending = [];
      var current = null;
      text.split("\n").forEach(function (line) {
        if (/^- /.test(line) || line === "-") {
          current = pending.concat([line]);
          out.items.push(current);
          pending = [];
        } else if (current !== null && /^\s/.test(line) && line.trim() !== "" && !pending.length) {
          current.push(line);
        } else if (current === null) {
          out.header.push(line);
        } else {
          pending.push(line);
        }
      });
      out.trailer = pending;
      return out;
    }
    return {
      fromFile: function (text) {
        var data = { items: window.jsyaml.load(text, { schema: window.jsyaml.CORE_SCHEMA }) || [] };
        data[SOURCE] = text;
        return data;
      },
      toFile: function (data) {
        var before = data[SOURCE] ? cut(data[SOURCE]) : { header: [], items: [], trailer: [] };
        var originals = data[SOURCE] ? (window.jsyaml.load(data[SOURCE], { schema: window.jsyaml.CORE_SCHEMA }) || [])
          .map(function (value) { return JSON.stringify(clean(item, value)); }) : [];
        var used = {};
        var lines = before.header.slice();
        (data.items || []).forEach(function (value) {
          var cleaned = clean(item, value);
          if (cleaned === undefined) return;
          var same = originals.findIndex(function (text, n) { return !used[n] && text === JSON.stringify(cleaned); });
          if (same >= 0 && before.items[same]) {
            used[same] = true;
            lines = lines.concat(before.items[same]);
          } else {
            lines.push(blockItem(fields, cleaned, ""));
          }
        });
        return lines.concat(before.trailer).join("\n").replace(/\n+$/, "") + "\n";
      },
    };
  }

  function labels(config) {
    var names = {};
    fieldsOf(config).forEach(function walk(field) {
      (field.options || []).forEach(function (option) { names[option.value] = option.label; });
      (field.fields || []).forEach(walk);
    });
    return names;
  }

  function registerPreview(config) {
    var h = window.h;
    var names = labels(config);
    var label = function (id) { return names[id] || id; };
    var Preview = window.createClass({
      render: function () {
        var entry = this.props.entry;
        var get = function (name) {
          var value = entry.getIn(["data", name]);
          return value && value.toJS ? value.toJS() : value;
        };
        var kind = get("kind");
        var facts = [["Loại văn bản", label(kind)], ["Số, ký hiệu", get("number") || "Chưa có số"],
          ["Cơ quan ban hành", label(get("issuer"))], ["Ngày ban hành", get("issued") || get("issued_year") || "Chưa ghi ngày"]];
        var list = function (ids) { return (ids || []).map(label).join("; "); };
        if ((get("recipients") || []).length) facts.push(["Đơn vị nhận", list(get("recipients"))]);
        if ((get("topics") || []).length) facts.push(["Chủ đề", list(get("topics"))]);
        var phases = get("phases") || [];
        var duties = get("duties") || [];
        return h("main", { className: "container" }, h("article", { className: "document" },
          h("header", { className: "doc-header" },
            h("div", { className: "doc-heading" },
              h("div", { className: "doc-heading-left" }, h("p", { className: "issuer-name" }, label(get("issuer"))),
                h("p", { className: "doc-no" }, get("number") ? "Số: " + get("number") : "Số: …")),
              h("div", { className: "doc-heading-right" },
                h("p", { className: "place-date" }, [get("place"), get("issued")].filter(Boolean).join(", ")))),
            kind !== "cong-van" ? h("p", { className: "doc-kind" }, String(label(kind) || "").toUpperCase()) : null,
            h("h1", { className: "doc-title-main" }, (kind === "cong-van" ? "V/v " : "") + (get("title") || ""))),
          h("section", { className: "doc-facts" }, h("dl", {}, facts.map(function (fact, n) {
            return h("div", { key: n }, h("dt", {}, fact[0]), h("dd", {}, fact[1]));
          }))),
          phases.length ? h("section", { className: "phases" }, h("h2", {}, "Các giai đoạn tuyên truyền"),
            h("ol", { className: "timeline" }, phases.map(function (phase, n) {
              return h("li", { key: n }, h("p", { className: "phase-when" },
                [phase.start, phase.end].filter(Boolean).join(" – ")), h("p", { className: "phase-name" }, phase.name));
            }))) : null,
          duties.length ? h("section", { className: "duties" }, h("h2", {}, "Nhiệm vụ của từng đơn vị"),
            duties.map(function (duty, n) {
              return h("details", { key: n, open: true }, h("summary", {}, label(duty.unit)),
                h("ul", {}, (duty.tasks || []).map(function (task, m) { return h("li", { key: m }, task); })));
            })) : null,
          h("section", { className: "doc-body" }, h("h2", { className: "section-title" }, "Toàn văn"),
            this.props.widgetFor("body"))));
      },
    });
    window.CMS.registerPreviewStyle(script.dataset.stylesheet);
    window.CMS.registerPreviewTemplate(config.collections[0].name, Preview);
  }

  function start() {
    fetch(script.dataset.config).then(function (answer) { return answer.text(); }).then(function (text) {
      var config = window.jsyaml.load(text, { schema: window.jsyaml.CORE_SCHEMA });
      config.load_config_file = false;
      window.CMS.registerCustomFormat(FORMAT, "md", makeFormat(config));
      config.collections.forEach(function (collection) {
        if (collection.files && collection.format.indexOf("portal-list-") === 0) {
          window.CMS.registerCustomFormat(collection.format, "yaml", makeListFormat(collection.files[0].fields[0].fields));
        }
      });
      registerPreview(config);
      window.CMS.init({ config: config });
    });
  }

  window.addEventListener("DOMContentLoaded", start);
  window.portalCms = { makeFormat: makeFormat, makeListFormat: makeListFormat }; // for the tests
})();
