// Search without a server, typed with or without diacritics ("dang cong san" finds "Đảng Cộng sản").
// The index (portal/render/search.py) is a bounded number of shards keyed by a CRC-32 of the folded
// syllable or adjacent syllable pair, each with a small directory: a query fetches the shards of its
// own words and pairs (all at once), decodes only their entries, then the display rows of the
// results shown and one text block per snippet.
(function () {
  "use strict";
  var PHRASE = 1e6, EXACT = 1e4, SCORE_CAP = 9999;  // ranking keys: phrase pairs, then exact forms, then scores
  var OTHER_FORM = 0.3;  // a folded match when the query has diacritics ("công" for "cộng")
  var COMPLETION = 0.8;  // a completion of the word being typed
  var RESULTS = 30;

  // The same folding as the build (portal/content/slugs.py fold): đ -> d, tones and marks removed.
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  // Many words folded in one call: four string passes per word cost tens of milliseconds over a
  // text block on a slow phone, one pass over the joined words a fraction of that. A word holds
  // no newline and folding keeps one, so the parts line up with the words.
  function foldEach(tokens) {
    return tokens.length ? fold(tokens.join("\n")).split("\n") : [];
  }
  // The query's syllables as the build tokenizes text (search.py tokens): folded term, exact form,
  // and whether it was typed with diacritics.
  var MAX_TERM = 64;  // portal/render/search.py MAX_TERM
  function words(query) {
    var out = [];
    (query.normalize("NFC").match(/[\p{L}\p{N}\p{M}]+/gu) || []).forEach(function (token) {
      var folded = fold(token), parts = folded.match(/[a-z0-9]+/g) || [], form = token.toLowerCase();
      // Longer words are cut as the build cuts them (search.py MAX_TERM).
      if (parts.length === 1 && parts[0] === folded) out.push({ term: folded.slice(0, MAX_TERM), form: form, marked: form !== folded });
      else parts.forEach(function (part) { out.push({ term: part.slice(0, MAX_TERM), form: part.slice(0, MAX_TERM), marked: false }); });
    });
    return out;
  }
  // CRC-32 of an ASCII key, a term or a pair (search.py shard_of: zlib.crc32), modulo the shard count.
  var CRC = [];
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var b = 0; b < 8; b++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC[n] = c >>> 0;
  }
  function shardOf(key, shards) {
    var crc = 0xffffffff;
    for (var i = 0; i < key.length; i++) crc = CRC[(crc ^ key.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
    return ((crc ^ 0xffffffff) >>> 0) % shards;
  }
  // Sections (search.py encode_section): key, count, then per page a LEB128 id gap, a score byte
  // and a LEB128 block. Decoded into typed arrays: no parsing, no objects per posting.
  var utf8 = typeof TextDecoder === "undefined" ? null : new TextDecoder();
  function decode(bytes) {
    var sections = Object.create(null), i = 0;
    function varint() {  // one byte in the common case; Math.pow past 2^31
      var b = bytes[i++];
      if (b < 128) return b;
      var value = b & 127, shift = 7;
      do { b = bytes[i++]; value += (b & 127) * Math.pow(2, shift); shift += 7; } while (b & 128);
      return value;
    }
    while (i < bytes.length) {
      var length = bytes[i++], key = utf8.decode(bytes.subarray(i, i + length));
      i += length;
      var n = varint(), ids = new Uint32Array(n), scores = new Uint8Array(n), blocks = new Uint32Array(n), id = 0, b;
      // One-byte varints inline: this loop runs once per posting, often before the JIT has seen it.
      for (var k = 0; k < n; k++) {
        b = bytes[i];
        if (b < 128) { i++; id += b; } else id += varint();
        ids[k] = id;
        scores[k] = bytes[i++];
        b = bytes[i];
        if (b < 128) { i++; blocks[k] = b; } else blocks[k] = varint();
      }
      sections[key] = { ids: ids, scores: scores, blocks: blocks };
    }
    return sections;
  }
  // A shard (search.py encode_shard): the number of entries, each entry's key (length byte, ASCII)
  // and body length (LEB128), then the bodies. Only the directory is read on arrival.
  function directory(bytes) {
    var i = 0, dir = Object.create(null), keys = [], lengths = [];
    function varint() {
      var value = 0, shift = 0, b;
      do { b = bytes[i++]; value += (b & 127) * Math.pow(2, shift); shift += 7; } while (b & 128);
      return value;
    }
    for (var n = varint(), e = 0; e < n; e++) {
      var length = bytes[i++];
      keys.push(String.fromCharCode.apply(null, bytes.subarray(i, i + length)));
      i += length;
      lengths.push(varint());
    }
    for (e = 0; e < keys.length; e++) { dir[keys[e]] = [i, i + lengths[e]]; i += lengths[e]; }
    return dir;
  }
  function find(postings, id) {  // binary search: the index of `id` in the postings, or -1
    var lo = 0, hi = postings.ids.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, v = postings.ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }
  // One edit (insertion, deletion, substitution, adjacent swap) between a and b.
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The engine: ranking, snippets and highlighting, with no page in sight. `load(path, type)`
  // ("json", "bytes" or "text") resolves to the index file under tim-kiem/, or null when it is
  // missing: fetch in the browser, the file system in benchmarks/relevance.py (Node), so the
  // benchmark measures the very ranking readers get.
  function createSearch(load) {
    var cache = {};
    function cached(path, type) {
      if (!(path in cache)) cache[path] = load(path, type).catch(function () { return null; });
      return cache[path];
    }
    var manifest = cached("index.json", "json").then(function (m) { return m || { pages: 0, chunk: 16, shards: 1, popular: [] }; });
    function shard(n) {
      var key = "#" + n;
      if (!(key in cache)) {
        cache[key] = cached("s/" + n + ".bin", "bytes").then(function (bytes) { return bytes && { bytes: bytes, dir: directory(bytes) }; });
      }
      return cache[key];
    }
    // One entry of the index, decoded once: a term's sections (one per exact form), or a pair's.
    function entry(key) {
      var slot = "@" + key;
      if (!(slot in cache)) {
        cache[slot] = manifest.then(function (m) { return shard(shardOf(key, m.shards)); }).then(function (s) {
          var at = s && s.dir[key];
          return at ? decode(s.bytes.subarray(at[0], at[1])) : null;
        });
      }
      return cache[slot];
    }
    function vocabulary(prefix) { return cached("v/" + prefix + ".json", "json").then(function (v) { return v || {}; }); }
    function pair(key) {  // "dang cong": the postings of that pair, or null
      return entry(key).then(function (found) { return (found && found[""]) || null; });
    }

    // The terms a word stands for: itself; for the word being typed, its completions too (exact
    // first); for a word of four letters or more found nowhere, its closest known term.
    // The pairs a term found late (a completion, a correction) is ranked with, asked with the term
    // itself: one round trip, not two or three. With a neighbour only if it is found as typed
    // (else the pair would be of another term), and with the query's ends if `ends`.
    function pairsOf(t, near, ends) {
      if (near.before) entry(near.before).then(function (s) { if (s) pair(near.before + " " + t); });
      if (near.after) entry(near.after).then(function (s) { if (s) pair(t + " " + near.after); });
      if (ends && near.first) pair("^ " + t);
      if (ends && near.last) pair(t + " $");
    }
    // `near`: the neighbouring words' terms (before, after) and whether this one is the first or last.
    function candidates(word, completing, unfinished, near) {
      var term = word.term;
      var exact = entry(term).then(function (s) { return s ? [{ term: term, weight: 1, forms: s }] : []; });
      var completions = !completing || term.length < 2 ? Promise.resolve([]) : vocabulary(term.slice(0, 2)).then(function (v) {
        var found = Object.keys(v).filter(function (w) { return w !== term && w.indexOf(term) === 0; });
        found.sort(function (a, b) { return v[b][0] - v[a][0] || (a < b ? -1 : 1); });
        return Promise.all(found.slice(0, 3).map(function (w) {
          pairsOf(w, near, true);
          return entry(w).then(function (s) { return s && { term: w, weight: COMPLETION, forms: s }; });
        })).then(function (lists) { return lists.filter(Boolean); });
      });
      return Promise.all([exact, completions]).then(function (both) {
        var lists = both[0].concat(both[1]);
        // A word still being typed, taken as typed, is not a typo yet: its completions come next.
        if (lists.length || unfinished || term.length < 4 || /^[0-9]+$/.test(term)) return { lists: lists };
        return correction(term).then(function (found) {
          // Every alternative is tried with its neighbours (corrected); the most frequent one is
          // usually the pick, and the query's ends are asked for it alone.
          found.forEach(function (c, k) { pairsOf(c.term, near, k === 0); });
          return Promise.all(found.map(function (c) {
            return entry(c.term).then(function (s) { return s && { term: c.term, weight: 1, forms: s, corrected: c }; });
          })).then(function (lists) { return { lists: [], alternatives: lists.filter(Boolean) }; });
        });
      });
    }
    // The terms one edit away, most frequent first (five at most), among the vocabularies of the
    // prefixes an edit in the first two letters can lead to (deletion, swap), or the same prefix.
    function correction(term) {
      var prefixes = [term.slice(0, 2), term[1] + term[0], term[0] + term[2], term.slice(1, 3)];
      prefixes = prefixes.filter(function (p, i) { return prefixes.indexOf(p) === i; });
      return Promise.all(prefixes.map(vocabulary)).then(function (vocabularies) {
        var found = {};
        vocabularies.forEach(function (v) {
          Object.keys(v).forEach(function (w) { if (oneEdit(term, w)) found[w] = { term: w, count: v[w][0], form: v[w][1] }; });
        });
        return Object.keys(found).map(function (w) { return found[w]; })
          .sort(function (a, b) { return b.count - a.count || (a.term < b.term ? -1 : 1); }).slice(0, 5);
      });
    }
    // For each word found nowhere, the correction that makes a phrase with a neighbour (as typed
    // or corrected), else the most frequent one.
    function corrected(perWord) {
      return Promise.all(perWord.map(function (c, i) {
        if (!c.alternatives || !c.alternatives.length) return c;
        function first(j) {
          var w = perWord[j];
          return w && (w.lists.length ? w.lists[0].term : w.alternatives && w.alternatives.length ? w.alternatives[0].term : null);
        }
        var before = first(i - 1), after = first(i + 1);
        return Promise.all(c.alternatives.map(function (alt) {
          return Promise.all([before ? pair(before + " " + alt.term) : null, after ? pair(alt.term + " " + after) : null])
            .then(function (p) { return Boolean(p[0] || p[1]); });
        })).then(function (phrase) {
          var at = Math.max(0, phrase.indexOf(true)), pick = c.alternatives[at];
          return { lists: [pick], corrected: pick.corrected };
        });
      }));
    }

    // `completing`: expand the word being typed to its completions; without it every word is
    // taken as typed, which needs fewer files and gives the first results sooner. `shown`: how
    // many results will be displayed (their rows are fetched while a suggestion is worked out).
    function run(query, completing, shown) {
      var typed = words(query);
      if (!typed.length) return Promise.resolve({ words: [], ids: [], count: 0 });
      var unfinished = !/\s$/.test(query), typing = completing && unfinished;
      // The pairs of the words as typed are asked with the words themselves: one round trip, not two.
      pair("^ " + typed[0].term);
      pair(typed[typed.length - 1].term + " $");
      for (var p = 0; p + 1 < typed.length; p++) pair(typed[p].term + " " + typed[p + 1].term);
      var loading = Promise.all([manifest, Promise.all(typed.map(function (w, i) {
        var last = i === typed.length - 1;
        var near = { before: i ? typed[i - 1].term : null, after: last ? null : typed[i + 1].term, first: !i, last: last };
        return candidates(w, typing && last, last && unfinished && !completing, near);
      }))
        .then(corrected)]);
      // The vocabulary of the word being typed, read next for its completions (run(query, true)),
      // asked in the same round trip (after the shards, which the manifest's callbacks above
      // request first): no byte more, and one round trip less when the word is a typo.
      var typedLast = typed[typed.length - 1].term;
      if (unfinished && typedLast.length >= 2) manifest.then(function () { vocabulary(typedLast.slice(0, 2)); });
      return loading
        .then(function (loaded) {
          var size = Math.max(1, loaded[0].pages), perWord = loaded[1];
          var used = typed.map(function (w, i) {
            var c = perWord[i].corrected;
            return c ? { term: c.term, form: c.form, marked: false, corrected: true } : w;
          });
          // Pairs of neighbouring words over their candidate terms, and the query's ends as a
          // title's ends ("^ gio", "vuong $"): each slot counts once, by its best pair.
          var slots = [];
          function terms(i) { return perWord[i].lists.map(function (l) { return l.term; }); }
          slots.push(terms(0).map(function (t) { return "^ " + t; }));
          for (var i = 0; i + 1 < used.length; i++) {
            var next = terms(i + 1), keys = [];
            terms(i).forEach(function (a) { next.forEach(function (b) { keys.push(a + " " + b); }); });
            slots.push(keys);
          }
          slots.push(terms(used.length - 1).map(function (t) { return t + " $"; }));
          return Promise.all(slots.map(function (keys) { return Promise.all(keys.map(function (key) { return pair(key); })); })).then(function (pairLists) {
            var result = rank(used, perWord, pairLists, size, typing);
            if (!used.some(function (w) { return w.corrected; })) return result;
            if (shown) display(result, shown);  // the rows on screen, fetched with the suggestion's
            return suggestion(used, perWord, result).then(function (text) { result.suggestion = text; return result; });
          });
        });
    }

    function rank(used, perWord, pairLists, size, typing) {
      // Per word, each page's score (its best candidate, exact forms summed) and whether the
      // exact form typed is there, in typed arrays indexed by id.
      // Only the pages in the postings are visited, never every id of the site.
      var scores = [], exact = [];
      used.forEach(function (word, w) {
        var acc = new Float32Array(size), hit = new Uint8Array(size), lists = perWord[w].lists;
        lists.forEach(function (list) {
          var alone = lists.length === 1, sum = alone ? acc : new Float32Array(size), touched = [];
          Object.keys(list.forms).forEach(function (form) {
            var p = list.forms[form], same = form === word.form, ids = p.ids, s = p.scores, n = ids.length, k, id;
            var weight = list.weight * (word.marked && !same ? OTHER_FORM : 1);
            // The common case (one candidate term) in a loop with no branch per posting.
            if (alone) for (k = 0; k < n; k++) sum[ids[k]] += s[k] * weight;
            else {
              for (k = 0; k < n; k++) {
                id = ids[k];
                if (!sum[id]) touched.push(id);
                sum[id] += s[k] * weight;
              }
            }
            if (same && word.marked) for (k = 0; k < n; k++) hit[ids[k]] = 1;
          });
          for (var t = 0; t < touched.length; t++) if (sum[touched[t]] > acc[touched[t]]) acc[touched[t]] = sum[touched[t]];
        });
        scores.push(acc);
        exact.push(hit);
      });
      // Phrase pairs: how many pair slots each page holds, and their scores. A title's ends count
      // only for a page holding the whole phrase (then it is the page's name) and count half.
      var pairCount = new Uint8Array(size), ends = new Uint8Array(size), pairScore = new Float32Array(size), present = [];
      pairLists.forEach(function (lists, slot) {
        var inner = slot > 0 && slot < pairLists.length - 1, counts = inner ? pairCount : ends;
        var found = lists.filter(Boolean), k, id;
        if (inner) present.push.apply(present, found);  // pairs in the text, for the snippet (not a title's ends)
        if (found.length === 1) {
          var p = found[0];
          for (k = 0; k < p.ids.length; k++) { id = p.ids[k]; counts[id]++; pairScore[id] += p.scores[k]; }
          return;
        }
        var strongest = new Float32Array(size), touched = [];
        found.forEach(function (p) {
          for (k = 0; k < p.ids.length; k++) {
            id = p.ids[k];
            if (!strongest[id]) touched.push(id);
            if (p.scores[k] > strongest[id]) strongest[id] = p.scores[k];
          }
        });
        touched.forEach(function (id) { counts[id]++; pairScore[id] += strongest[id]; });
      });
      var whole = pairLists.length - 2;  // the inner pairs of a whole phrase
      // Every word must match: walk the rarest word's postings only.
      var rarest = 0, fewest = Infinity;
      perWord.forEach(function (c, w) {
        var count = c.lists.reduce(function (s, l) { return s + Object.keys(l.forms).reduce(function (t, f) { return t + l.forms[f].ids.length; }, 0); }, 0);
        if (count < fewest) { fewest = count; rarest = w; }
      });
      // The best RESULTS kept as they come (score, then lower id: newer documents first), in typed
      // arrays: no object per matching page and no sort of thousands.
      var seen = new Uint8Array(size), count = 0, top = new Int32Array(RESULTS), keys = new Float64Array(RESULTS), kept = 0;
      var lastScores = scores.length - 1;
      perWord[rarest].lists.forEach(function (list) {
        Object.keys(list.forms).forEach(function (form) {
          var ids = list.forms[form].ids;
          for (var k = 0; k < ids.length; k++) {
            var id = ids[k];
            if (seen[id]) continue;
            seen[id] = 1;
            var total = 0, hits = 0;
            for (var w = 0; w <= lastScores; w++) {
              var v = scores[w][id];
              if (!v) { total = -1; break; }
              total += v;
              hits += exact[w][id];
            }
            if (total <= 0) continue;
            count++;
            var phrase = 2 * pairCount[id] + (pairCount[id] === whole ? ends[id] : 0);
            var key = phrase * PHRASE + hits * EXACT + Math.min(SCORE_CAP, total + 2 * pairScore[id]);
            if (kept === RESULTS && (key < keys[kept - 1] || (key === keys[kept - 1] && id > top[kept - 1]))) continue;
            var at = kept < RESULTS ? kept++ : kept - 1;
            while (at > 0 && (keys[at - 1] < key || (keys[at - 1] === key && top[at - 1] > id))) {
              keys[at] = keys[at - 1]; top[at] = top[at - 1]; at--;
            }
            keys[at] = key; top[at] = id;
          }
        });
      });
      return {
        words: used, typing: typing, count: count, ids: Array.prototype.slice.call(top, 0, kept), present: present,
        lists: perWord.map(function (c) { return c.lists; }), suggestion: "",
      };
    }
    // The query as corrected: each word as typed with diacritics, or else in the form the first
    // result has it (else its most common form).
    function suggestion(used, perWord, result) {
      var top = result.ids.length ? result.ids[0] : -1;
      if (top < 0) return byForms();
      // Best: the words as the first result writes them where they follow each other, in its text
      // block, its title or its signer's name.
      return Promise.all([cached("x/" + top + "-" + blockOf(result, top) + ".txt", "text"), rowOf(top)]).then(function (both) {
        var row = both[1] || [], texts = [both[0] || "", row[1] || "", row[7] || ""];
        for (var t = 0; t < texts.length; t++) {
          var found = texts[t].normalize("NFC").match(/[\p{L}\p{N}\p{M}]+/gu) || [], folded = foldEach(found);
          for (var j = 0; j + used.length <= found.length; j++) {
            var k = 0;
            while (k < used.length && folded[j + k] === used[k].term) k++;
            if (k === used.length) return found.slice(j, j + k).map(function (w, i) { return used[i].marked ? used[i].form : w.toLowerCase(); }).join(" ");
          }
        }
        return byForms();
      });
      function byForms() { return Promise.all(used.map(function (w, i) {
        if (w.marked) return w.form;
        var form = "", strongest = 0;
        perWord[i].lists.forEach(function (list) {
          if (list.term !== w.term) return;
          Object.keys(list.forms).forEach(function (f) {
            var k = find(list.forms[f], top);
            if (k >= 0 && list.forms[f].scores[k] > strongest) { strongest = list.forms[f].scores[k]; form = f; }
          });
        });
        return form || vocabulary(w.term.slice(0, 2)).then(function (v) { return v[w.term] ? v[w.term][1] : w.form; });
      })).then(function (forms) { return forms.join(" "); }); }
    }

    // The text block where a result's phrase (else its rarest word) first occurs.
    function blockOf(result, id) {
      for (var i = 0; i < result.present.length; i++) {
        var k = find(result.present[i], id);
        if (k >= 0) return result.present[i].blocks[k];
      }
      var block = 0, bestScore = -1;
      result.lists.forEach(function (lists) {
        lists.forEach(function (list) {
          Object.keys(list.forms).forEach(function (form) {
            var p = list.forms[form], k = find(p, id);
            if (k >= 0 && p.scores[k] > bestScore && p.ids.length) { bestScore = p.scores[k]; block = p.blocks[k]; }
          });
        });
      });
      return block;
    }

    function rowOf(id) {  // a page's display row, or null
      return manifest.then(function (m) { return cached("d/" + Math.floor(id / m.chunk) + ".json", "json"); })
        .then(function (rows) { return manifest.then(function (m) { return (rows && rows[id % m.chunk]) || null; }); });
    }
    function display(result, limit) {
      var shown = result.ids.slice(0, limit);
      return manifest.then(function (m) {
        var chunks = {};
        shown.forEach(function (id) { chunks[Math.floor(id / m.chunk)] = true; });
        return Promise.all(Object.keys(chunks).map(function (c) {
          return cached("d/" + c + ".json", "json").then(function (rows) { return [Number(c), rows || []]; });
        })).then(function (loaded) {
          var byChunk = {};
          loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
          return shown.map(function (id) {
            return { id: id, row: byChunk[Math.floor(id / m.chunk)][id % m.chunk] || ["", "", "", "", "", "", 0], block: blockOf(result, id) };
          });
        });
      });
    }
    // A result's snippet text: one block of its text (nothing for a page without text).
    function snippetText(item) {
      if (!item.row[6]) return Promise.resolve("");
      return cached("x/" + item.id + "-" + Math.min(item.block, item.row[6] - 1) + ".txt", "text").then(function (t) { return t || ""; });
    }

    // Where the query's words are in a text: runs of neighbouring query words (phrases) when the
    // query has several words and the text holds such a run, else each matching word. A word
    // typed with diacritics matches its exact form, if the text has it.
    function marks(text, result) {
      var re = /[\p{L}\p{N}\p{M}]+/gu, m, found = [], tokens = [];
      while ((m = re.exec(text))) {
        tokens.push(m[0]);
        found.push({ start: m.index, end: m.index + m[0].length, term: "", form: m[0].toLowerCase() });
      }
      foldEach(tokens).forEach(function (folded, i) { found[i].term = folded; });
      var qs = result.words, last = qs.length - 1;
      var exactThere = qs.map(function (q) { return q.marked && found.some(function (t) { return t.form === q.form; }); });
      function matches(t, i) {
        var q = qs[i];
        var same = t.term === q.term || (result.typing && i === last && t.term.indexOf(q.term) === 0);
        return same && (!exactThere[i] || t.form === q.form);
      }
      var spans = [];
      if (qs.length > 1) {
        for (var j = 0; j < found.length; j++) {
          for (var i = 0; i < last; i++) {
            var k = 0;
            while (i + k < qs.length && j + k < found.length && matches(found[j + k], i + k)) k++;
            if (k >= 2) { spans.push([found[j].start, found[j + k - 1].end]); j += k - 1; break; }
          }
        }
      }
      if (!spans.length) {
        found.forEach(function (t) {
          for (var i = 0; i < qs.length; i++) if (matches(t, i)) { spans.push([t.start, t.end]); break; }
        });
      }
      return spans;
    }
    function highlight(text, result, spans) {
      spans = spans || marks(text, result);
      var out = "", at = 0;
      spans.forEach(function (s) { out += escapeHTML(text.slice(at, s[0])) + "<mark>" + escapeHTML(text.slice(s[0], s[1])) + "</mark>"; at = s[1]; });
      return out + escapeHTML(text.slice(at));
    }
    // The window around the first mark, cut at spaces.
    function snippet(text, result) {
      var spans = marks(text, result);
      var from = spans.length ? Math.max(0, spans[0][0] - 60) : 0;
      if (from > 0) { var space = text.indexOf(" ", from); if (space >= 0 && space < spans[0][0]) from = space + 1; }
      var to = Math.min(text.length, from + 240);
      if (to < text.length) { var cut = text.lastIndexOf(" ", to); if (cut > from + 120) to = cut; }
      var part = text.slice(from, to);
      return (from > 0 ? "…" : "") + highlight(part, result) + (to < text.length ? "…" : "");
    }

    // What a reader sees once typing pauses: the results with their rows and snippets, best first.
    function results(query, limit) {
      return run(query, true, limit).then(function (result) {
        return display(result, limit).then(function (items) {
          return Promise.all(items.map(snippetText)).then(function (texts) {
            return {
              count: result.count, suggestion: result.suggestion,
              results: items.map(function (item, i) {
                return { url: item.row[0], title: highlight(item.row[1], result), type: item.row[2],
                         snippet: texts[i] ? snippet(texts[i], result) : "" };
              }),
            };
          });
        });
      });
    }
    return { run: run, display: display, snippetText: snippetText, snippet: snippet, highlight: highlight,
             results: results, manifest: manifest };
  }

  function escapeHTML(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  if (typeof document === "undefined") {  // Node (benchmarks/relevance.py): the engine alone
    module.exports = createSearch;
    return;
  }
  var forms = document.querySelectorAll("form[data-search]");
  if (!forms.length || !window.fetch) return;
  // The Unicode word pattern is compiled on its first use (milliseconds on a slow phone): compile
  // it while the page is idle rather than in the reader's first query.
  (window.requestIdleCallback || setTimeout)(function () { words("a"); });
  var root = forms[0].getAttribute("data-search");
  var engine = createSearch(function (path, type) {
    return fetch(root + path).then(function (r) {
      if (!r.ok) return null;
      return type === "json" ? r.json() : type === "text" ? r.text() : r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
    });
  });

  function render(list, items, result, query, action, popular) {
    var notes = "";
    if (result.suggestion) {
      notes += '<li class="search-note">Có phải bạn muốn tìm <a href="' + escapeHTML(action + "?q=" + encodeURIComponent(result.suggestion)) +
        '">' + escapeHTML(result.suggestion) + "</a>?" + (result.count ? " Kết quả cho từ này:" : "") + "</li>";
    }
    if (!result.count) {
      notes += '<li class="search-note search-empty"><strong>Không tìm thấy</strong> kết quả cho “' + escapeHTML(query.trim()) + "”." +
        (popular.length ? " Thử một chủ đề: " + popular.map(function (t) { return '<a href="' + escapeHTML(t[1]) + '">' + escapeHTML(t[0]) + "</a>"; }).join(", ") + "; hoặc" : " Thử") +
        ' <a href="' + escapeHTML(action) + '">trang tìm kiếm</a> với từ khác, gõ có dấu hoặc không dấu.</li>';
    }
    list.innerHTML = notes + items.map(function (item) {
      var r = item.row;  // [url, title, type, number, date, issuer, blocks]
      var meta = [r[2], r[3], r[4], r[5]].filter(Boolean).map(escapeHTML).join(" · ");
      return '<li class="search-result"><a href="' + escapeHTML(r[0]) + '">' + engine.highlight(r[1], result) + "</a>" +
        '<p class="result-meta">' + meta + "</p>" +
        '<p class="result-snippet" data-id="' + item.id + '"></p></li>';
    }).join("");
    // Snippets: one text block per result on screen, once the list itself is on screen (their
    // requests and highlighting would otherwise delay its first frame).
    afterPaint(function () {
      items.forEach(function (item) {
        engine.snippetText(item).then(function (text) {
          var target = list.querySelector('.result-snippet[data-id="' + item.id + '"]');
          if (text && target) target.innerHTML = engine.snippet(text, result);
        });
      });
    });
  }
  // `then` once the next frame is painted (at once in a hidden tab, which paints no frame).
  function afterPaint(then) {
    if (document.hidden || !window.requestAnimationFrame) setTimeout(then, 0);
    else requestAnimationFrame(function () { setTimeout(then, 0); });
  }

  forms.forEach(function (form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector(".search-results") || document.getElementById(form.getAttribute("data-results"));
    var status = form.querySelector("[role=status]") || document.getElementById(form.getAttribute("data-status"));
    var limit = Number(form.getAttribute("data-limit") || 6);
    var more = form.querySelector(".search-more");
    var action = form.getAttribute("action");
    var latest = 0;
    function update() {
      var query = input.value, ticket = ++latest;
      if (!query.trim()) { list.innerHTML = ""; if (status) status.textContent = ""; if (more) more.hidden = true; return; }
      function show(result, final) {
        if (ticket !== latest) return;
        if (!final && !result.count) return;  // nothing yet as typed: wait for the completions
        if (status) {
          status.textContent = (result.count ? result.count + " kết quả" : "Không tìm thấy kết quả nào.") +
            (result.suggestion ? " Có phải bạn muốn tìm: " + result.suggestion + "?" : "");
        }
        if (more) {
          more.hidden = result.count <= limit;
          more.href = action + "?q=" + encodeURIComponent(query.trim());
        }
        return Promise.all([engine.display(result, limit), engine.manifest]).then(function (both) {
          if (ticket !== latest) return;
          render(list, both[0], result, query, action, both[1].popular || []);
          return new Promise(afterPaint);
        });
      }
      // First the words as typed (fast), then with the completions of the last word, if it is
      // still being typed: the list refines itself in place.
      var typing = !/\s$/.test(query);
      // The completions start once the first list is painted: they would only slow it down.
      var shown = engine.run(query, false, limit).then(function (result) { return show(result, !typing); });
      if (typing) {
        shown.then(function () { return ticket === latest && engine.run(query, true, limit); })
          .then(function (result) { if (result) show(result, true); });
      }
    }
    var timer;
    input.addEventListener("input", function (e) {
      clearTimeout(timer);
      // A keystroke waits 80 ms for the next one, so that a word is not searched letter by letter.
      // Text that arrives whole (pasted, dropped, an autocorrection, several characters in one
      // event) has no next keystroke to wait for; an IME's composition still waits.
      var type = e.inputType || "";
      var whole = !e.isComposing && (/^insertFrom(Paste|Drop)|^insertReplacementText/.test(type) ||
        (type === "insertText" && (e.data || "").length > 1));
      if (whole) update(); else timer = setTimeout(update, 80);
    });
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
