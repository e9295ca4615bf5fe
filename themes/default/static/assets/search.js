/* salesbook search: reads the index salesbook writes under search/ (see
   src/search.rs for the format). Loaded on every page, it fetches nothing
   until the search box is used; then the page list, then only the shards
   of the words typed, and the texts of the results shown (for their
   excerpts; never the pages themselves). All URLs are relative to the page, so it works at a
   domain root, under a sub-path and inside an LMS iframe. */
(function () {
  "use strict";

  var container = document.querySelector("[data-search]");
  if (!container || !window.fetch) return;
  var root = document.documentElement.getAttribute("data-root") || "./";
  var box = container.querySelector(".site-search-box");
  var fallback = container.querySelector(".site-search-fallback");
  var input = container.querySelector("input[type=search]");
  var list = container.querySelector(".site-search-results");
  var status = container.querySelector("[role=status]");
  if (!box || !input || !list || !status) return;
  box.hidden = false;
  if (fallback) fallback.hidden = true;

  var FORMAT_VERSION = 2;
  var MAX_RESULTS = 8;
  // An excerpt is about this long, and starts about LEAD_CHARS before the
  // first word it shows marked.
  var EXCERPT_CHARS = 160;
  var LEAD_CHARS = 50;
  var WORD = /[\p{L}\p{N}'\u2019]+/gu;
  // The same stop words as the index builder (src/search.rs).
  var STOP = new Set(("a an and are as at be but by for from has have he her his if in into is it its me my " +
    "no not of on or our she so than that the their them then there these they this to too us was we were " +
    "what when which who will with you your").split(" "));
  /* The words of the page's language, as salesbook.js reads them (docs/themes.md). */
  var STRINGS = (function () {
    try { return JSON.parse(document.getElementById("sb-strings").textContent) || {}; } catch (e) { return {}; }
  })();
  var numbers = null;
  var plurals = null;
  try {
    numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
    plurals = new Intl.PluralRules(document.documentElement.lang || undefined);
  } catch (e) { /* numbers stay as they are, plurals English-style */ }
  function say(key, args) {
    args = args || {};
    var text = STRINGS[key];
    if (text === undefined && typeof args.count === "number") {
      var form = plurals ? plurals.select(args.count) : args.count === 1 ? "one" : "other";
      text = STRINGS[key + "." + (form === "one" ? "one" : "other")];
    }
    if (text === undefined) { return key; }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      var value = args[name];
      if (value === undefined) { return whole; }
      return typeof value === "number" && numbers ? numbers.format(value) : String(value);
    });
  }

  var manifest = null;
  var manifestPromise = null;
  var shardPromises = {};
  var pageTexts = {};
  var current = 0;

  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function loadManifest() {
    if (!manifestPromise) {
      manifestPromise = fetchJson(root + "search/docs.json").then(function (data) {
        if (data.version !== FORMAT_VERSION) throw new Error("unknown search index version");
        manifest = { docs: data.docs, shards: new Set(data.shards) };
        return manifest;
      });
    }
    return manifestPromise;
  }

  function shardKey(term) {
    var prefix = Array.from(term).slice(0, 2).join("");
    return Array.from(new TextEncoder().encode(prefix)).map(function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function loadShard(key) {
    if (!manifest.shards.has(key)) return Promise.resolve({});
    if (!shardPromises[key]) shardPromises[key] = fetchJson(root + "search/t/" + key + ".json");
    return shardPromises[key];
  }

  function tokenize(text) {
    return text.split(/[^\p{L}\p{N}'\u2019]+/u)
      .map(function (word) { return word.replace(/['\u2019]/g, "").toLowerCase(); })
      .filter(function (word) { return Array.from(word).length >= 2 && !STOP.has(word); });
  }

  // True when a and b differ by at most one edit.
  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < la && j < lb) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (la > lb) i++; else if (lb > la) j++; else { i++; j++; }
    }
    return edits + (la - i) + (lb - j) <= 1;
  }

  // How well an index term answers a query word: exact, prefix (the word
  // is still being typed) or one typo away.
  function matchWeight(word, term) {
    if (term === word) return 1;
    if (term.startsWith(word)) return 0.75;
    if (word.length >= 4) {
      if (withinOneEdit(word, term)) return 0.45;
      if (term.length > word.length && withinOneEdit(word, term.slice(0, word.length))) return 0.35;
    }
    return 0;
  }

  function scoresFor(word, shard) {
    var scores = new Map();
    Object.keys(shard).forEach(function (term) {
      var weight = matchWeight(word, term);
      if (!weight) return;
      var postings = shard[term];
      for (var k = 0; k < postings.length; k += 2) {
        var doc = postings[k], score = postings[k + 1] * weight;
        if (!scores.has(doc) || scores.get(doc) < score) scores.set(doc, score);
      }
    });
    return scores;
  }

  function rank(perWord) {
    var all = new Map(), counts = new Map();
    perWord.forEach(function (scores) {
      scores.forEach(function (score, doc) {
        all.set(doc, (all.get(doc) || 0) + score);
        counts.set(doc, (counts.get(doc) || 0) + 1);
      });
    });
    var docs = Array.from(all.keys());
    // Pages with every word first; then pages with some of them.
    return docs.sort(function (a, b) {
      return (counts.get(b) - counts.get(a)) || (all.get(b) - all.get(a)) || (a - b);
    });
  }

  function search(query) {
    var words = tokenize(query);
    if (!words.length) return Promise.resolve({ words: words, docs: [] });
    return loadManifest().then(function () {
      return Promise.all(words.map(function (word) { return loadShard(shardKey(word)); }));
    }).then(function (shards) {
      var perWord = words.map(function (word, i) { return scoresFor(word, shards[i]); });
      return { words: words, docs: rank(perWord).slice(0, MAX_RESULTS) };
    });
  }

  // How much of a word of a text to mark for the query: all of it when it
  // is a query word or one typo from one, the typed part when it starts
  // with one (the word is still being typed), else 0. Apostrophes, straight
  // or curly, are left out as the index leaves them out.
  function markedLength(token, words) {
    var key = token.replace(/['\u2019]/g, "").toLowerCase();
    var best = 0;
    words.forEach(function (word) {
      var weight = matchWeight(word, key);
      if (!weight) return;
      best = Math.max(best, weight === 0.75 ? typedLength(token, Array.from(word).length) : token.length);
    });
    return best;
  }

  // Where the first `letters` characters of a word, apostrophes aside, end.
  function typedLength(token, letters) {
    var at = 0;
    Array.from(token).some(function (c) {
      if (letters === 0) return true;
      if (c !== "'" && c !== "\u2019") letters--;
      at += c.length;
      return false;
    });
    return at;
  }

  // Appends `text` to `element` with the words that answer the query marked.
  function appendMarked(element, text, words) {
    var last = 0, match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text))) {
      var length = markedLength(match[0], words);
      if (!length) continue;
      element.appendChild(document.createTextNode(text.slice(last, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0].slice(0, length);
      element.appendChild(mark);
      last = match.index + length;
    }
    element.appendChild(document.createTextNode(text.slice(last)));
  }

  function highlight(element, text, words) {
    element.textContent = "";
    appendMarked(element, text, words);
  }

  // A page's text from the index: [[heading, text], ...], one line per block
  // (some lines empty).
  function loadText(doc) {
    if (!pageTexts[doc]) {
      pageTexts[doc] = fetchJson(root + "search/t/doc-" + doc + ".json").catch(function () { return []; });
    }
    return pageTexts[doc];
  }

  // The block of a page's text with the most of the query's words, and
  // where the first of them is, with its section's heading.
  function bestBlock(sections, words) {
    var best = null;
    sections.forEach(function (section) {
      section[1].split("\n").forEach(function (line) {
        // The index keeps the page's white space: runs of it are one space here.
        var block = line.replace(/\s+/g, " ").trim();
        var first = -1, found = new Set(), match;
        WORD.lastIndex = 0;
        while ((match = WORD.exec(block))) {
          if (!markedLength(match[0], words)) continue;
          if (first < 0) first = match.index;
          found.add(match[0].toLowerCase());
        }
        if (first >= 0 && (!best || found.size > best.found)) {
          best = { heading: section[0], block: block, at: first, found: found.size };
        }
      });
    });
    return best;
  }

  // About EXCERPT_CHARS of `block` around `at`, cut between words.
  function cut(block, at) {
    var start = 0, end = block.length;
    if (end > EXCERPT_CHARS && at > LEAD_CHARS) {
      var space = block.indexOf(" ", at - LEAD_CHARS);
      start = space >= 0 && space < at ? space + 1 : at;
    }
    if (end - start > EXCERPT_CHARS) {
      var back = block.lastIndexOf(" ", start + EXCERPT_CHARS);
      var after = block.indexOf(" ", at);
      end = back > at ? back : (after > 0 ? after : end);
    }
    return (start > 0 ? "\u2026 " : "") + block.slice(start, end).replace(/[\s,;:]+$/, "") +
      (end < block.length ? " \u2026" : "");
  }

  // Shows the passage of the page's text around the query's words under a
  // result, with the heading of its section; the summary stays otherwise.
  function showExcerpt(item, doc, words, current) {
    loadText(doc).then(function (sections) {
      var best = bestBlock(sections, words);
      if (!best || !current()) return;
      var excerpt = item.querySelector(".site-search-excerpt");
      excerpt.textContent = "";
      if (best.heading) {
        var section = document.createElement("span");
        section.className = "site-search-section";
        appendMarked(section, best.heading, words);
        excerpt.appendChild(section);
      }
      var text = document.createElement("span");
      appendMarked(text, cut(best.block, best.at), words);
      excerpt.appendChild(text);
    });
  }

  function show(result, query, started) {
    list.textContent = "";
    result.docs.forEach(function (doc) {
      var row = manifest.docs[doc];
      var url = row[0], kind = row[1], title = row[2], summary = row[3];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + url;
      var badge = document.createElement("span");
      badge.className = "site-search-kind";
      badge.textContent = STRINGS["kind." + kind] || kind;
      var heading = document.createElement("span");
      heading.className = "site-search-title";
      highlight(heading, title, result.words);
      var excerpt = document.createElement("span");
      excerpt.className = "site-search-excerpt";
      highlight(excerpt, summary, result.words);
      link.appendChild(badge);
      link.appendChild(heading);
      link.appendChild(excerpt);
      item.appendChild(link);
      list.appendChild(item);
      showExcerpt(link, doc, result.words, function () { return input.value === query; });
    });
    if (!result.docs.length && result.words.length) {
      var empty = document.createElement("li");
      empty.className = "site-search-empty";
      empty.textContent = say("search.none", { query: query });
      list.appendChild(empty);
    }
    list.hidden = list.children.length === 0;
    list.setAttribute("data-search-ms", String(Math.round(performance.now() - started)));
    status.textContent = result.words.length
      ? (result.docs.length ? say("search.results", { count: result.docs.length, query: query }) : say("search.no_results", { query: query }))
      : "";
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++current;
    var started = performance.now();
    if (!query) { list.hidden = true; list.textContent = ""; status.textContent = ""; return; }
    search(query).then(function (result) {
      if (ticket === current) show(result, input.value, started);
    }).catch(function () {
      if (ticket === current) status.textContent = say("search.unavailable");
    });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("focus", function () { loadManifest().catch(function () {}); });
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) { event.preventDefault(); links()[0].focus(); }
    else if (event.key === "Enter" && links().length) { event.preventDefault(); links()[0].click(); }
    else if (event.key === "Escape") { input.value = ""; run(); }
  });
  list.addEventListener("keydown", function (event) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < all.length - 1) { event.preventDefault(); all[at + 1].focus(); }
    else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
    else if (event.key === "Escape") { event.preventDefault(); input.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing) return;
    event.preventDefault();
    input.focus();
  });
  document.addEventListener("click", function (event) {
    if (!container.contains(event.target)) list.hidden = true;
  });
  input.addEventListener("focus", function () { if (list.children.length) list.hidden = false; });
})();
