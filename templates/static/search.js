// Search without a server: typed with or without diacritics ("dang cong san" finds "Đảng Cộng sản").
// The index (portal/search.py) is sharded by folded syllable; a query fetches only the postings of
// its own words, the completions of the word being typed, and the display data of the results shown.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-search]");
  if (!forms.length || !window.fetch) return;
  var root = forms[0].getAttribute("data-search");
  var cache = {};

  function getJSON(path) {
    if (!(path in cache)) {
      cache[path] = fetch(root + path).then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return cache[path];
  }
  // Postings (portal/search.py encode_postings): per document a LEB128 gap from the previous id,
  // then a score byte. Decoded into typed arrays: no parsing, no objects per posting.
  function getPostings(term) {
    var path = "t/" + term + ".bin";
    if (!(path in cache)) {
      cache[path] = fetch(root + path).then(function (r) { return r.ok ? r.arrayBuffer() : null; })
        .then(function (buffer) { return buffer && decode(new Uint8Array(buffer)); })
        .catch(function () { return null; });
    }
    return cache[path];
  }
  function decode(bytes) {
    var ids = new Uint32Array(bytes.length >> 1), scores = new Uint8Array(bytes.length >> 1);
    var n = 0, id = 0, i = 0;
    while (i < bytes.length) {
      var gap = 0, shift = 0, b;
      do { b = bytes[i++]; gap += (b & 127) * Math.pow(2, shift); shift += 7; } while (b & 128);
      id += gap;
      ids[n] = id;
      scores[n++] = bytes[i++];
    }
    return { ids: ids.subarray(0, n), scores: scores.subarray(0, n) };
  }
  function getText(path) {
    if (!(path in cache)) {
      cache[path] = fetch(root + path).then(function (r) { return r.ok ? r.text() : ""; })
        .catch(function () { return ""; });
    }
    return cache[path];
  }
  // The same folding as the build (portal/slugs.py fold): đ -> d, tones and marks removed, NFC or NFD.
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var MAX_TERM = 64;  // the build cuts longer words the same way (portal/render/search.py MAX_TERM)
  function terms(text) {
    return (fold(text).match(/[a-z0-9]+/g) || []).map(function (t) { return t.slice(0, MAX_TERM); });
  }

  // Postings of a finished word, or of the completions of the word being typed (exact first).
  function postingsFor(term, typing) {
    if (!typing || term.length < 2) {
      return getPostings(term).then(function (p) { return p ? [[p, 1]] : []; });
    }
    return getJSON("v/" + term.slice(0, 2) + ".json").then(function (vocabulary) {
      if (!vocabulary) return [];
      var words = Object.keys(vocabulary).filter(function (w) { return w.indexOf(term) === 0; });
      words.sort(function (a, b) { return (a !== term) - (b !== term) || vocabulary[b] - vocabulary[a]; });
      return Promise.all(words.slice(0, 4).map(function (w) {
        return getPostings(w).then(function (p) { return p ? [p, w === term ? 1 : 0.8] : null; });
      })).then(function (lists) { return lists.filter(Boolean); });
    });
  }

  // `completing`: expand the word being typed to its completions; without it every word is taken
  // as typed, which needs fewer files and gives the first results sooner.
  function run(query, completing) {
    var words = terms(query);
    if (!words.length) return Promise.resolve({ words: [], ids: [], count: 0 });
    var typing = !/\s$/.test(query);
    return Promise.all(words.map(function (w, i) { return postingsFor(w, completing && typing && i === words.length - 1); }))
      .then(function (perWord) {
        // Per word, each id's best score among its lists (exact or completions), in a typed array
        // indexed by id (0: the word is not in that document); then the ids every word has.
        var size = 1;
        perWord.forEach(function (lists) {
          lists.forEach(function (pair) { var ids = pair[0].ids; if (ids.length) size = Math.max(size, ids[ids.length - 1] + 1); });
        });
        var bestOf = perWord.map(function (lists) {
          var acc = new Float32Array(size);
          lists.forEach(function (pair) {
            var ids = pair[0].ids, scores = pair[0].scores, weight = pair[1];
            for (var k = 0; k < ids.length; k++) { var s = scores[k] * weight; if (s > acc[ids[k]]) acc[ids[k]] = s; }
          });
          return acc;
        });
        // Walk the rarest word's postings only: every match is among them.
        var rarest = 0, fewest = Infinity;
        perWord.forEach(function (lists, w) {
          var count = lists.reduce(function (sum, pair) { return sum + pair[0].ids.length; }, 0);
          if (count < fewest) { fewest = count; rarest = w; }
        });
        var seen = new Uint8Array(size), matched = [];
        perWord[rarest].forEach(function (pair) {
          var ids = pair[0].ids;
          for (var k = 0; k < ids.length; k++) {
            var id = ids[k], total = 0;
            if (seen[id]) continue;
            seen[id] = 1;
            for (var w = 0; w < bestOf.length && total >= 0; w++) total = bestOf[w][id] ? total + bestOf[w][id] : -1;
            if (total > 0) matched.push([id, total]);
          }
        });
        return { words: words, typing: typing && completing, count: matched.length, ids: best(matched, 30) };
      });
  }

  // The `limit` best ids (score, then newer first) without sorting thousands of matches.
  function best(matched, limit) {
    var top = [];
    matched.forEach(function (pair) {
      var id = pair[0], score = pair[1];
      if (top.length === limit) {
        var last = top[limit - 1];
        if (score < last[1] || (score === last[1] && id > last[0])) return;
        top.pop();
      }
      var at = top.length;
      while (at > 0 && (top[at - 1][1] < score || (top[at - 1][1] === score && top[at - 1][0] > id))) at--;
      top.splice(at, 0, [id, score]);
    });
    return top.map(function (pair) { return pair[0]; });
  }

  function escapeHTML(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function matches(word, result) {
    var folded = fold(word);
    return result.words.some(function (w, i) {
      return folded === w || (result.typing && i === result.words.length - 1 && folded.indexOf(w) === 0);
    });
  }
  function highlight(text, result) {
    return text.replace(/[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu, function (part) {
      return /[\p{L}\p{N}]/u.test(part) && matches(part, result) ? "<mark>" + escapeHTML(part) + "</mark>" : escapeHTML(part);
    });
  }
  function wordMatches(word, result, i) {
    var folded = fold(word), w = result.words[i];
    return folded === w || (result.typing && i === result.words.length - 1 && folded.indexOf(w) === 0);
  }
  // The window around the first place where the query's words follow each other (the phrase),
  // or else around the first word that matches.
  function snippet(text, result) {
    var re = /[\p{L}\p{N}]+/gu, m, found = [], at = -1;
    while ((m = re.exec(text))) found.push(m);
    for (var i = 0; i < found.length && at < 0; i++) {
      var k = 0;
      while (k < result.words.length && i + k < found.length && wordMatches(found[i + k][0], result, k)) k++;
      if (k === result.words.length) at = found[i].index;
    }
    for (var j = 0; j < found.length && at < 0; j++) if (matches(found[j][0], result)) at = found[j].index;
    if (at < 0) return text.slice(0, 240);
    var start = Math.max(0, at - 80);
    return (start > 0 ? "…" : "") + text.slice(start, start + 240) + (start + 240 < text.length ? "…" : "");
  }

  function display(result, limit) {
    var shown = result.ids.slice(0, limit);
    var chunks = {};
    shown.forEach(function (id) { chunks[Math.floor(id / 128)] = true; });
    return Promise.all(Object.keys(chunks).map(function (c) {
      return getJSON("d/" + c + ".json").then(function (rows) { return [Number(c), rows || []]; });
    })).then(function (loaded) {
      var byChunk = {};
      loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
      return shown.map(function (id) { return { id: id, row: byChunk[Math.floor(id / 128)][id % 128] }; });
    });
  }

  function render(list, items, result) {
    list.innerHTML = items.map(function (item) {
      var r = item.row;  // [url, title, kind, number, date, issuer, lead]
      var meta = [r[2], r[3], r[4], r[5]].filter(Boolean).map(escapeHTML).join(" · ");
      return '<li class="search-result"><a href="' + escapeHTML(r[0]) + '">' + highlight(r[1], result) + "</a>" +
        '<p class="result-meta">' + meta + "</p>" +
        '<p class="result-snippet" data-id="' + item.id + '">' + highlight(snippet(r[6], result), result) + "</p></li>";
    }).join("");
    // Better snippets: the text around the first match, for the results on screen only.
    items.forEach(function (item) {
      getText("x/" + item.id + ".txt").then(function (text) {
        var target = list.querySelector('.result-snippet[data-id="' + item.id + '"]');
        if (text && target) target.innerHTML = highlight(snippet(text, result), result);
      });
    });
  }

  forms.forEach(function (form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector(".search-results") || document.getElementById(form.getAttribute("data-results"));
    var status = form.querySelector("[role=status]") || document.getElementById(form.getAttribute("data-status"));
    var limit = Number(form.getAttribute("data-limit") || 6);
    var more = form.querySelector(".search-more");
    var latest = 0;
    function update() {
      var query = input.value, ticket = ++latest;
      if (!query.trim()) { list.innerHTML = ""; if (status) status.textContent = ""; if (more) more.hidden = true; return; }
      function show(result, final) {
        if (ticket !== latest) return;
        if (!final && !result.count) return;  // nothing yet as typed: wait for the completions
        if (status) status.textContent = result.count ? result.count + " kết quả" : "Không tìm thấy văn bản nào.";
        if (more) {
          more.hidden = result.count <= limit;
          more.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query.trim());
        }
        return display(result, limit).then(function (items) { if (ticket === latest) render(list, items, result); });
      }
      // First the words as typed (fast), then with the completions of the last word, if it is
      // still being typed: the list refines itself in place.
      var typing = !/\s$/.test(query);
      var asTyped = run(query, false);
      var shown = asTyped.then(function (result) { return show(result, !typing); });
      if (typing) {
        Promise.all([run(query, true), shown]).then(function (both) { show(both[0], true); });
      }
    }
    var timer;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 80); });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") { input.value = ""; update(); } });
    if (form.hasAttribute("data-page")) {
      var q = new URLSearchParams(window.location.search).get("q");
      if (q) { input.value = q; update(); }
      input.addEventListener("input", function () {
        history.replaceState(null, "", input.value.trim() ? "?q=" + encodeURIComponent(input.value.trim()) : window.location.pathname);
      });
    }
  });
})();
