/* salesbook — built-in theme script.
   Progressive enhancement only: every page works without it, and nothing here may
   break a page (every entry point is guarded). No framework, no request to any origin.

   What it adds:
   - the practice log on exercise pages (attempts, dates, notes, progress), kept in
     localStorage, with export / import as a JSON file and reset;
   - progress on track pages and exercise cards, and "continue where you left off"
     on the home page;
   - spaced review: once an exercise's attempts are done, reviews on the days of its
     `data-review`, "Due for practice" on the home page, and an .ics file of the dates;
   - the quiz check on exercise pages: a wrong answer can be tried again, the answers
     are remembered and scored ("2 of 3 right"); a track's quiz score across its exercises;
   - a printable, self-reported certificate on a track page once its exercises are done;
   - role-play exercises: each attempt's rubric ticks kept with the attempt, and the
     model answer shown once the first attempt is logged;
   - the side navigation and "On this page" open on wide screens, the heading being read
     marked in "On this page", and the light / dark / auto switch.

   Storage keys (see "The practice log" in docs/output.md):
     salesbook:practice:<site>:<ref>   one exercise's log (JSON, the same shape as in an export)
     salesbook:read:<site>:<ref>       the day a non-exercise track step (an interview) was opened
     salesbook:quiz:<site>:<ref>       an exercise's quiz: for question N (from 1), {choice: index
                                       of the last choice checked (a list of the indices ticked
                                       for a question with several answers), right: bool}
     salesbook:name:<site>             the learner's name as typed for a track's certificate
     salesbook:color-scheme            "light" or "dark" from the header's switch (none: auto)
   <site> is encodeURIComponent of <html data-salesbook-site> (the site's `extra.practice_key`,
   else its title); <ref> is the page's ref (`exercises/three-tries`), never its URL, so the
   log survives a rebuild and a move of the site to another host or path. */
(function () {
  "use strict";

  var FORMAT = "salesbook-practice-log";
  var VERSION = 2;
  var MAX_ATTEMPTS = 100;
  var MAX_NOTES = 100000;
  var MAX_LOGS = 10000;
  /* The most rubric criteria an exercise may have (src/content/roleplay.rs, MAX_RUBRIC). */
  var MAX_RUBRIC = 20;
  var doc = document;
  var html = doc.documentElement;

  /* The words of the page's language: the `js.` texts of the site's table, which the page
     carries in <script id="sb-strings"> (docs/themes.md), read once. say("quiz.choose"),
     with placeholders: say("practice.marked", { n: 2, date: "…" }); a `count` picks the
     text's singular or plural (`KEY.one`, `KEY.other`) by the language's rule. */
  var STRINGS = (function () {
    try { return JSON.parse(doc.getElementById("sb-strings").textContent) || {}; } catch (e) { return {}; }
  })();
  var numbers = null;
  var plurals = null;
  try {
    numbers = new Intl.NumberFormat(html.lang || undefined);
    plurals = new Intl.PluralRules(html.lang || undefined);
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
  /* An empty progress bar says so in words, as a track step does. */
  var NOT_STARTED = say("practice.not_started");

  function guard(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (e) {
        /* never break the page */
      }
    };
  }

  guard(function () { html.classList.add("js"); })();

  var siteName = html.getAttribute("data-salesbook-site") || "";
  var siteRoot = html.getAttribute("data-root") || "";
  var PRACTICE = "salesbook:practice:" + encodeURIComponent(siteName) + ":";
  var READ = "salesbook:read:" + encodeURIComponent(siteName) + ":";
  var QUIZ = "salesbook:quiz:" + encodeURIComponent(siteName) + ":";

  /* ------------------------------------------------------------ storage */

  /* localStorage, or an in-memory stand-in when the browser refuses it (private modes,
     an LMS iframe with blocked storage): the page still works for this visit. */
  var memory = {
    data: {},
    keys: [],
    getItem: function (k) { return Object.prototype.hasOwnProperty.call(this.data, k) ? this.data[k] : null; },
    setItem: function (k, v) {
      if (!Object.prototype.hasOwnProperty.call(this.data, k)) { this.keys.push(k); }
      this.data[k] = String(v);
    },
    removeItem: function (k) {
      if (Object.prototype.hasOwnProperty.call(this.data, k)) {
        delete this.data[k];
        this.keys.splice(this.keys.indexOf(k), 1);
      }
    },
    key: function (i) { return i < this.keys.length ? this.keys[i] : null; },
    get length() { return this.keys.length; }
  };
  var persistent = true;
  var store = (function () {
    try {
      /* Inside an LMS package, the launch page's store (assets/scorm.js): the LMS keeps it. */
      var s = window.salesbookStorage || window.localStorage;
      var probe = "salesbook:probe";
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) {
      persistent = false;
      return memory;
    }
  })();

  function storedKeys(prefix) {
    var out = [];
    for (var i = 0; i < store.length; i++) {
      var k = store.key(i);
      if (k && k.indexOf(prefix) === 0) { out.push(k); }
    }
    return out;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  var DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

  function displayDate(iso) {
    try {
      var parts = iso.split("-");
      var d = new Date(+parts[0], +parts[1] - 1, +parts[2]);
      /* English pages read "3 March 2026", as the templates print dates. */
      var lang = /^en\b/i.test(html.lang || "") ? "en-GB" : html.lang || undefined;
      return d.toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
    } catch (e) {
      return iso;
    }
  }

  /* A ref: a path under content/ without `.md`. */
  function validRef(ref) {
    return typeof ref === "string" && ref.length > 0 && ref.length <= 500 &&
      !/[\u0000-\u001f\u007f]/.test(ref) && ref.charAt(0) !== "/";
  }

  /* A page URL relative to the site root, as the templates write them (`exercises/x/`);
     anything else (a scheme, `//host`, `..`) is dropped, so an imported file cannot plant
     a link to somewhere else. */
  function safeUrl(url) {
    if (typeof url !== "string" || url.length > 500) { return null; }
    if (url === "") { return ""; }
    if (!/^[A-Za-z0-9._~%\-\/]+$/.test(url)) { return null; }
    if (url.charAt(0) === "/" || /(^|\/)\.\.?(\/|$)/.test(url)) { return null; }
    return url;
  }

  /* Checks one attempt or review ({done, date, notes}) of a log; `at` names it in messages.
     Returns a clean copy, or a string saying what is wrong. */
  function cleanEntry(a, at) {
    if (!a || typeof a !== "object" || Array.isArray(a)) { return at + " is not an object"; }
    if (typeof a.done !== "boolean") { return at + ": \"done\" must be true or false"; }
    var date = a.date === undefined ? null : a.date;
    if (date !== null && (typeof date !== "string" || !DATE.test(date))) {
      return at + ": \"date\" must be YYYY-MM-DD or null";
    }
    var notes = a.notes === undefined ? "" : a.notes;
    if (typeof notes !== "string") { return at + ": \"notes\" must be text"; }
    if (notes.length > MAX_NOTES) { return at + ": \"notes\" is too long"; }
    return { done: a.done, date: a.done ? date : null, notes: notes };
  }

  /* Checks one log (from storage or from a file). Returns a clean copy, or a string saying
     what is wrong. */
  function cleanLog(value, where) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return where + " is not an object";
    }
    if (!Array.isArray(value.attempts)) { return where + " has no \"attempts\" list"; }
    if (value.attempts.length > MAX_ATTEMPTS) { return where + " has too many attempts"; }
    var attempts = [];
    for (var i = 0; i < value.attempts.length; i++) {
      var a = value.attempts[i];
      var at = where + ", attempt " + (i + 1);
      var attempt = cleanEntry(a, at);
      if (typeof attempt === "string") { return attempt; }
      var rubric = cleanRubric(a.rubric, at);
      if (typeof rubric === "string") { return rubric; }
      if (rubric) { attempt.rubric = rubric; }
      attempts.push(attempt);
    }
    var log = { attempts: attempts };
    if (value.updated !== undefined) {
      if (typeof value.updated !== "string" || isNaN(Date.parse(value.updated))) {
        return where + ": \"updated\" must be a date and time";
      }
      log.updated = value.updated;
    }
    if (value.title !== undefined) {
      if (typeof value.title !== "string" || value.title.length > 1000) { return where + ": \"title\" must be text"; }
      log.title = value.title;
    }
    if (value.url !== undefined) {
      var url = safeUrl(value.url);
      if (url === null) { return where + ": \"url\" must be a page URL relative to the site root"; }
      log.url = url;
    }
    var reviewProblem = cleanReviewFields(value, log, where);
    if (reviewProblem) { return reviewProblem; }
    return log;
  }

  /* An attempt's rubric ticks: absent, or a list of true / false, one per criterion. Returns
     the list, null when absent, or a string saying what is wrong. */
  function cleanRubric(value, at) {
    if (value === undefined || value === null) { return null; }
    if (!Array.isArray(value) || value.length > MAX_RUBRIC) {
      return at + ": \"rubric\" must be a list of at most " + MAX_RUBRIC + " true or false values";
    }
    for (var i = 0; i < value.length; i++) {
      if (typeof value[i] !== "boolean") { return at + ": \"rubric\" must hold only true or false"; }
    }
    return value.slice();
  }

  function loadLog(ref) {
    try {
      var raw = store.getItem(PRACTICE + ref);
      if (raw === null) { return null; }
      var log = cleanLog(JSON.parse(raw), "log");
      return typeof log === "string" ? null : log;
    } catch (e) {
      return null;
    }
  }

  function saveLog(ref, log) {
    try {
      store.setItem(PRACTICE + ref, JSON.stringify(log));
      return true;
    } catch (e) {
      return false;
    }
  }

  function loadRead(ref) {
    try {
      var v = store.getItem(READ + ref);
      return v && DATE.test(v) ? v : null;
    } catch (e) {
      return null;
    }
  }

  function allLogs() {
    var logs = {};
    storedKeys(PRACTICE).sort().forEach(function (k) {
      var ref = k.slice(PRACTICE.length);
      var log = loadLog(ref);
      if (log) { logs[ref] = log; }
    });
    return logs;
  }

  function allRead() {
    var read = {};
    storedKeys(READ).sort().forEach(function (k) {
      var ref = k.slice(READ.length);
      var v = loadRead(ref);
      if (v) { read[ref] = v; }
    });
    return read;
  }

  /* How far a log is, against `total` attempts (the page's `attempts`). */
  function tally(log, total) {
    var done = 0;
    var notes = false;
    var last = null;
    if (log) {
      for (var i = 0; i < log.attempts.length; i++) {
        var a = log.attempts[i];
        if (i < total && a.done) { done++; }
        if (a.notes) { notes = true; }
        if (a.done && a.date && (!last || a.date > last)) { last = a.date; }
      }
    }
    return {
      done: done,
      total: total,
      started: done > 0 || notes,
      complete: total > 0 && done >= total,
      last: last
    };
  }

  /* ------------------------------------------------------------ small DOM helpers */

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || doc).querySelectorAll(selector));
  }

  function one(selector, scope) {
    return (scope || doc).querySelector(selector);
  }

  function el(tag, attrs, children) {
    var node = doc.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? doc.createTextNode(c) : c);
    });
    return node;
  }


  /* Everything on the page that shows stored progress registers a refresher here, so an
     import, a reset or a change in another tab redraws it. */
  var refreshers = [];
  function refreshAll() {
    refreshers.forEach(function (fn) { guard(fn)(); });
  }

  /* ------------------------------------------------------------ export / import / reset */

  function exportData() {
    var data = {
      format: FORMAT,
      version: VERSION,
      site: siteName,
      exported: new Date().toISOString(),
      logs: allLogs()
    };
    var read = allRead();
    if (Object.keys(read).length) { data.read = read; }
    return data;
  }

  function slugify(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "site";
  }

  function download(data) {
    var text = JSON.stringify(data, null, 2) + "\n";
    var blob = new Blob([text], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: "salesbook-progress-" + slugify(siteName) + "-" + today() + ".json" });
    a.hidden = true;
    doc.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(url);
      if (a.parentNode) { a.parentNode.removeChild(a); }
    }, 1000);
  }

  /* Checks a whole file. Returns {logs, read} with clean values, or a message for the learner. */
  function parseImport(text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return say("practice.file_not_json");
    }
    if (!data || typeof data !== "object" || Array.isArray(data) || data.format !== FORMAT) {
      return say("practice.file_foreign", { format: FORMAT });
    }
    if (typeof data.version !== "number" || Math.floor(data.version) !== data.version || data.version < 1) {
      return say("practice.file_no_version");
    }
    if (data.version > VERSION) {
      return say("practice.file_newer", { version: data.version, own: VERSION });
    }
    if (data.site !== undefined && data.site !== siteName) {
      return say("practice.file_other_site", { theirs: String(data.site).slice(0, 200), ours: siteName });
    }
    if (!data.logs || typeof data.logs !== "object" || Array.isArray(data.logs)) {
      return say("practice.file_no_logs");
    }
    var refs = Object.keys(data.logs);
    if (refs.length > MAX_LOGS) { return say("practice.file_too_many"); }
    var logs = {};
    for (var i = 0; i < refs.length; i++) {
      if (!validRef(refs[i])) { return say("practice.file_odd_page", { ref: refs[i].slice(0, 100) }); }
      var log = cleanLog(data.logs[refs[i]], "The log of “" + refs[i] + "”");
      if (typeof log === "string") { return say("practice.file_damaged", { detail: log }); }
      logs[refs[i]] = log;
    }
    var read = {};
    if (data.read !== undefined) {
      if (!data.read || typeof data.read !== "object" || Array.isArray(data.read)) {
        return say("practice.file_damaged", { detail: "\"read\" must be an object" });
      }
      var readRefs = Object.keys(data.read);
      if (readRefs.length > MAX_LOGS) { return say("practice.file_too_many"); }
      for (var j = 0; j < readRefs.length; j++) {
        var v = data.read[readRefs[j]];
        if (!validRef(readRefs[j]) || typeof v !== "string" || !DATE.test(v)) {
          return say("practice.file_damaged", { detail: "\"read\" must map pages to YYYY-MM-DD dates" });
        }
        read[readRefs[j]] = v;
      }
    }
    return { logs: logs, read: read };
  }

  function laterOf(a, b) {
    if (!a) { return b; }
    if (!b) { return a; }
    return Date.parse(a) >= Date.parse(b) ? a : b;
  }

  /* Merges an imported log into a stored one: an attempt is done if it is done in either;
     its date is the earlier one; notes are kept when equal or when one holds the other,
     otherwise the more recently updated log's notes win. */
  function mergeLog(mine, theirs) {
    if (!mine) { return theirs; }
    var theirsNewer = !!theirs.updated && (!mine.updated || Date.parse(theirs.updated) > Date.parse(mine.updated));
    var n = Math.max(mine.attempts.length, theirs.attempts.length);
    var attempts = [];
    for (var i = 0; i < n; i++) {
      var a = mine.attempts[i] || { done: false, date: null, notes: "" };
      var b = theirs.attempts[i] || { done: false, date: null, notes: "" };
      var done = a.done || b.done;
      var date = null;
      if (done) {
        var dates = [a.done && a.date, b.done && b.date].filter(Boolean).sort();
        date = dates.length ? dates[0] : null;
      }
      var notes;
      if (a.notes === b.notes || !b.notes || a.notes.indexOf(b.notes) !== -1) {
        notes = a.notes;
      } else if (!a.notes || b.notes.indexOf(a.notes) !== -1) {
        notes = b.notes;
      } else {
        notes = theirsNewer ? b.notes : a.notes;
      }
      var attempt = { done: done, date: date, notes: notes };
      var rubric = mergeRubric(a.rubric, b.rubric);
      if (rubric) { attempt.rubric = rubric; }
      attempts.push(attempt);
    }
    var merged = { attempts: attempts };
    var updated = laterOf(mine.updated, theirs.updated);
    if (updated) { merged.updated = updated; }
    var title = theirsNewer ? theirs.title || mine.title : mine.title || theirs.title;
    var url = theirsNewer ? theirs.url || mine.url : mine.url || theirs.url;
    if (title !== undefined) { merged.title = title; }
    if (url !== undefined) { merged.url = url; }
    mergeReviewFields(mine, theirs, merged);
    return merged;
  }

  /* A criterion is ticked if it is ticked in either log, as an attempt is done. */
  function mergeRubric(mine, theirs) {
    if (!mine || !theirs) { return mine || theirs || null; }
    var n = Math.max(mine.length, theirs.length);
    var ticks = [];
    for (var i = 0; i < n; i++) { ticks.push(mine[i] === true || theirs[i] === true); }
    return ticks;
  }

  /* Writes everything or nothing: on a storage failure the previous values come back. */
  function applyImport(parsed) {
    var writes = [];
    Object.keys(parsed.logs).forEach(function (ref) {
      writes.push([PRACTICE + ref, JSON.stringify(mergeLog(loadLog(ref), parsed.logs[ref]))]);
    });
    Object.keys(parsed.read).forEach(function (ref) {
      var mine = loadRead(ref);
      var theirs = parsed.read[ref];
      writes.push([READ + ref, mine && mine < theirs ? mine : theirs]);
    });
    var before = writes.map(function (w) { return [w[0], store.getItem(w[0])]; });
    try {
      writes.forEach(function (w) { store.setItem(w[0], w[1]); });
    } catch (e) {
      before.forEach(function (b) {
        try {
          if (b[1] === null) { store.removeItem(b[0]); } else { store.setItem(b[0], b[1]); }
        } catch (e2) { /* nothing more to do */ }
      });
      return false;
    }
    return true;
  }

  function setupTools(tools) {
    var scope = tools.parentNode;
    var status = one("[data-practice-status]", scope);
    var error = one("[data-practice-error]", scope);
    var file = one("[data-import-file]", tools);

    function tell(message) {
      if (error) { error.textContent = ""; }
      if (status) { status.textContent = message; }
    }
    function fail(message) {
      if (status) { status.textContent = ""; }
      if (error) { error.textContent = message; }
    }

    tools.addEventListener("click", guard(function (event) {
      var button = event.target.closest ? event.target.closest("button[data-action]") : null;
      if (!button || !tools.contains(button)) { return; }
      var action = button.getAttribute("data-action");
      if (action === "export") {
        var data = exportData();
        var count = Object.keys(data.logs).length;
        download(data);
        tell(say("practice.exported", { count: count }));
      } else if (action === "import" && file) {
        file.value = "";
        file.click();
      } else if (action === "reset") {
        var log = tools.closest("[data-ref]");
        if (!log) { return; }
        var ref = log.getAttribute("data-ref");
        var title = log.getAttribute("data-title") || ref;
        if (!window.confirm(say("practice.reset_confirm", { title: title }))) {
          tell(say("practice.reset_none"));
          return;
        }
        try { store.removeItem(PRACTICE + ref); } catch (e) { /* ignore */ }
        refreshAll();
        tell(say("practice.reset_done"));
      }
    }));

    if (file) {
      file.addEventListener("change", guard(function () {
        var chosen = file.files && file.files[0];
        if (!chosen) { return; }
        if (chosen.size > 20 * 1024 * 1024) {
          fail(say("practice.import_failed", { reason: say("practice.too_large") }));
          return;
        }
        var reader = new FileReader();
        reader.onload = guard(function () {
          var parsed = parseImport(String(reader.result));
          if (typeof parsed === "string") {
            fail(say("practice.not_imported") + " " + parsed);
            return;
          }
          if (!applyImport(parsed)) {
            fail(say("practice.import_failed", { reason: say("practice.no_room") }));
            return;
          }
          refreshAll();
          var count = Object.keys(parsed.logs).length;
          tell(say("practice.imported", { count: count, file: chosen.name }));
        });
        reader.onerror = guard(function () { fail(say("practice.import_failed", { reason: say("practice.unreadable") })); });
        reader.readAsText(chosen);
      }));
    }
    tools.hidden = false;
  }

  /* ------------------------------------------------------------ exercise page: the practice log */

  function setupPracticeLog(section) {
    var ref = section.getAttribute("data-ref");
    var total = parseInt(section.getAttribute("data-attempts"), 10) || 0;
    if (!validRef(ref) || total < 1) { return; }
    var title = section.getAttribute("data-title") || "";
    var url = safeUrl(section.getAttribute("data-url") || "");
    var cards = all(".attempt[data-attempt]", section);
    var progress = one("[data-practice-progress]", section);
    var bar = progress && one("progress", progress);
    var barText = progress && one("[data-practice-progress-text]", progress);
    var status = one("[data-practice-status]", section);
    var help = one("[data-practice-help]", section);
    var timer = null;

    function current() {
      var log = loadLog(ref) || { attempts: [] };
      while (log.attempts.length < total) { log.attempts.push({ done: false, date: null, notes: "" }); }
      return log;
    }

    function save(log) {
      log.updated = new Date().toISOString();
      if (title) { log.title = title; }
      if (url !== null) { log.url = url; }
      stampReview(log, section);
      return saveLog(ref, log);
    }

    function box(n, what) { return doc.getElementById("sb-attempt-" + n + "-" + what); }

    function draw() {
      var log = loadLog(ref);
      cards.forEach(function (card) {
        var n = parseInt(card.getAttribute("data-attempt"), 10);
        var a = log && log.attempts[n - 1];
        var check = box(n, "done");
        var notes = box(n, "notes");
        var date = one("[data-attempt-date]", card);
        var printed = one("[data-attempt-print]", card);
        var done = !!(a && a.done);
        if (check) { check.checked = done; }
        if (notes && doc.activeElement !== notes) { notes.value = a ? a.notes : ""; }
        card.classList.toggle("is-done", done);
        card.classList.toggle("has-date", !!(done && a.date));
        if (date) {
          date.textContent = "";
          if (done && a.date) {
            date.appendChild(doc.createTextNode(say("practice.done_on")));
            date.appendChild(el("time", { datetime: a.date, text: displayDate(a.date) }));
          }
        }
        if (printed) {
          printed.textContent = notes ? notes.value : "";
          card.classList.toggle("has-notes", !!(notes && notes.value));
        }
      });
      var t = tally(log, total);
      if (bar) {
        bar.max = total;
        bar.value = t.done;
        bar.textContent = say("practice.n_of_total", { n: t.done, total: total });
      }
      if (barText) {
        barText.textContent = t.complete
          ? say("practice.all_done", { count: total })
          : (t.done ? "" : NOT_STARTED + " · ") + say("practice.some_done", { n: t.done, count: total });
      }
      section.classList.toggle("is-complete", t.complete);
    }

    cards.forEach(function (card) {
      var n = parseInt(card.getAttribute("data-attempt"), 10);
      var check = box(n, "done");
      var notes = box(n, "notes");
      if (check) {
        check.addEventListener("change", guard(function () {
          var log = current();
          var a = log.attempts[n - 1];
          a.done = check.checked;
          a.date = check.checked ? (a.date || today()) : null;
          if (notes) { a.notes = notes.value; }
          var ok = save(log);
          draw();
          var t = tally(log, total);
          if (status) {
            status.textContent = (check.checked
              ? say("practice.marked", { n: n, date: displayDate(a.date) })
              : say("practice.unmarked", { n: n })) + " " +
              say("practice.some_done", { n: t.done, count: total }) + "." +
              (ok ? "" : " " + say("practice.not_kept"));
          }
        }));
      }
      if (notes) {
        var flush = guard(function () {
          if (timer) { clearTimeout(timer); timer = null; }
          var log = current();
          if (log.attempts[n - 1].notes === notes.value) { return; }
          log.attempts[n - 1].notes = notes.value;
          save(log);
          var printed = one("[data-attempt-print]", card);
          if (printed) { printed.textContent = notes.value; }
          card.classList.toggle("has-notes", !!notes.value);
        });
        notes.addEventListener("input", function () {
          if (timer) { clearTimeout(timer); }
          timer = setTimeout(flush, 400);
        });
        notes.addEventListener("change", flush);
        notes.addEventListener("blur", flush);
        window.addEventListener("pagehide", flush);
      }
    });

    if (progress) { progress.hidden = false; }
    if (help) {
      help.hidden = false;
      if (!persistent) {
        help.textContent = say("practice.no_storage");
      }
    }
    refreshers.push(draw);
    draw();
  }

  /* ------------------------------------------------------------ role-play: rubric and model answer */

  /* Each attempt's rubric check-boxes, kept with the attempt as "rubric": [true, false, ...]
     (one per criterion) in the practice log. */
  function setupRubric(section) {
    var ref = section.getAttribute("data-ref");
    var total = parseInt(section.getAttribute("data-attempts"), 10) || 0;
    var status = one("[data-practice-status]", section);
    if (!validRef(ref) || total < 1) { return; }
    var sets = all(".attempt[data-attempt] [data-rubric]", section);
    if (!sets.length) { return; }

    function boxesOf(set) { return all("input[data-criterion]", set); }
    function attemptOf(set) {
      return parseInt(set.parentNode.getAttribute("data-attempt"), 10);
    }

    function draw() {
      var log = loadLog(ref);
      sets.forEach(function (set) {
        var a = log && log.attempts[attemptOf(set) - 1];
        boxesOf(set).forEach(function (box, i) {
          box.checked = !!(a && a.rubric && a.rubric[i] === true);
        });
      });
    }

    sets.forEach(function (set) {
      var n = attemptOf(set);
      var boxes = boxesOf(set);
      set.addEventListener("change", guard(function () {
        var log = loadLog(ref) || { attempts: [] };
        while (log.attempts.length < Math.max(total, n)) {
          log.attempts.push({ done: false, date: null, notes: "" });
        }
        log.attempts[n - 1].rubric = boxes.map(function (box) { return box.checked; });
        log.updated = new Date().toISOString();
        var title = section.getAttribute("data-title");
        var url = safeUrl(section.getAttribute("data-url") || "");
        if (title) { log.title = title; }
        if (url !== null) { log.url = url; }
        if (!saveLog(ref, log) && status) { status.textContent = say("roleplay.not_kept"); }
      }));
    });
    refreshers.push(draw);
    draw();
  }

  /* The model answer stays folded away until the first attempt of its exercise is logged. */
  function setupModelAnswer(section) {
    var ref = section.getAttribute("data-model-answer");
    var body = one("[data-model-answer-body]", section);
    var locked = one("[data-model-answer-locked]", section);
    if (!validRef(ref) || !body || !locked) { return; }
    var status = one(".practice-log[data-ref] [data-practice-status]");

    function draw(announce) {
      var open = tally(loadLog(ref), MAX_ATTEMPTS).done > 0;
      if (open && body.hidden && announce === true && status) {
        status.textContent += " " + say("roleplay.unlocked");
      }
      body.hidden = !open;
      locked.hidden = open;
      section.classList.toggle("is-locked", !open);
    }

    /* After the practice log has saved a ticked attempt (its own listener runs first). */
    all(".practice-log[data-ref] .attempt-done input").forEach(function (box) {
      box.addEventListener("change", guard(function () { draw(true); }));
    });
    refreshers.push(draw);
    draw();
  }

  /* ------------------------------------------------------------ spaced review

     Once every attempt of an exercise is done, reviews fall due on the days after the last
     attempt the page lists (`data-review`, from `review:` in site.yaml or the exercise).
     Each review is due the gap between its day and the previous one after the previous
     practice (the last attempt, or the review before): done on time, the dates are the
     listed days; done late (or early), the following ones move by as much. A log keeps
     `reviews` (like `attempts`: done, date, notes) and `review` (the days, so the home
     page knows the schedule without the exercise page). */

  /* The review texts, from the page's table (`js.review.` keys, docs/themes.md). */
  var REVIEW_TEXT = {
    waiting: function () { return say("review.waiting"); },
    due: function (n, total, date) { return say("review.due", { n: n, total: total, date: displayDate(date) }); },
    next: function (n, total, date) { return say("review.next", { n: n, total: total, date: displayDate(date) }); },
    allDone: function (total) { return say("review.all_done", { count: total }); },
    doneOn: function () { return say("review.done_on"); },
    plannedFor: function () { return say("review.planned_for"); },
    ticked: function (n, date) { return say("review.marked", { n: n, date: displayDate(date) }) + " "; },
    unticked: function (n) { return say("review.unmarked", { n: n }) + " "; },
    dueSince: function (n, total, date) { return say("review.due_since", { n: n, total: total, date: displayDate(date) }); },
    dueToday: function (n, total) { return say("review.due_today", { n: n, total: total }); },
    calendarSummary: function (title) { return say("review.calendar_summary", { title: title }); },
    calendarDescription: function (n, total, title) { return say("review.calendar_description", { n: n, total: total, title: title }); },
    calendarSaved: function (count) { return say("review.calendar_saved", { count: count }); },
    notKept: function () { return " " + say("practice.not_kept"); }
  };
  var MAX_REVIEWS = 10;
  var MAX_REVIEW_DAY = 365;

  /* The days of a `data-review` attribute or a stored `review`, or null when they are not
     whole days from 1 to 365, ascending, at most 10. */
  function reviewDays(value) {
    var days = typeof value === "string" ? value.split(" ").map(Number) : value;
    if (!Array.isArray(days) || !days.length || days.length > MAX_REVIEWS) { return null; }
    for (var i = 0; i < days.length; i++) {
      var d = days[i];
      if (typeof d !== "number" || Math.floor(d) !== d || d < 1 || d > MAX_REVIEW_DAY) { return null; }
      if (i > 0 && d <= days[i - 1]) { return null; }
    }
    return days.slice();
  }

  /* `iso` (YYYY-MM-DD) plus `n` days, in the local calendar. */
  function addDays(iso, n) {
    var p = iso.split("-");
    var d = new Date(+p[0], +p[1] - 1, +p[2] + n);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* Checks `reviews` and `review` of a log from storage or a file into `log`; returns what
     is wrong, or null. */
  function cleanReviewFields(value, log, where) {
    if (value.reviews !== undefined) {
      if (!Array.isArray(value.reviews) || value.reviews.length > MAX_ATTEMPTS) {
        return where + ": \"reviews\" must be a list";
      }
      var reviews = [];
      for (var i = 0; i < value.reviews.length; i++) {
        var review = cleanEntry(value.reviews[i], where + ", review " + (i + 1));
        if (typeof review === "string") { return review; }
        reviews.push(review);
      }
      log.reviews = reviews;
    }
    if (value.review !== undefined) {
      var days = reviewDays(value.review);
      if (!days) { return where + ": \"review\" must list days from 1 to 365, ascending"; }
      log.review = days;
    }
    return null;
  }

  /* One review merged as attempts are (see mergeLog). */
  function mergeEntry(a, b, theirsNewer) {
    var done = a.done || b.done;
    var dates = done ? [a.done && a.date, b.done && b.date].filter(Boolean).sort() : [];
    var notes;
    if (a.notes === b.notes || !b.notes || a.notes.indexOf(b.notes) !== -1) {
      notes = a.notes;
    } else if (!a.notes || b.notes.indexOf(a.notes) !== -1) {
      notes = b.notes;
    } else {
      notes = theirsNewer ? b.notes : a.notes;
    }
    return { done: done, date: dates.length ? dates[0] : null, notes: notes };
  }

  function mergeReviewFields(mine, theirs, merged) {
    var theirsNewer = !!theirs.updated && (!mine.updated || Date.parse(theirs.updated) > Date.parse(mine.updated));
    var a = mine.reviews || [];
    var b = theirs.reviews || [];
    if (a.length || b.length) {
      var none = { done: false, date: null, notes: "" };
      merged.reviews = [];
      for (var i = 0; i < Math.max(a.length, b.length); i++) {
        merged.reviews.push(mergeEntry(a[i] || none, b[i] || none, theirsNewer));
      }
    }
    var review = theirsNewer ? theirs.review || mine.review : mine.review || theirs.review;
    if (review) { merged.review = review; }
  }

  /* The exercise page's days go into its log on every save, for the home page. */
  function stampReview(log, section) {
    var box = one("[data-review]", section);
    var days = box && reviewDays(box.getAttribute("data-review"));
    if (days) { log.review = days; } else { delete log.review; }
  }

  /* The review plan of a log: each review's date (done, or planned), and the next one;
     null until every one of `total` attempts is done with a date. */
  function reviewPlan(log, days, total) {
    var t = tally(log, total);
    if (!days || !t.complete || !t.last) { return null; }
    var reviews = log.reviews || [];
    var items = [];
    var anchor = t.last;
    var previousDay = 0;
    var next = null;
    for (var i = 0; i < days.length; i++) {
      var r = reviews[i];
      var planned = addDays(anchor, days[i] - previousDay);
      var done = !!(r && r.done);
      var item = { n: i + 1, done: done, date: done && r.date ? r.date : planned };
      items.push(item);
      if (!done && !next) { next = item; }
      anchor = item.date;
      previousDay = days[i];
    }
    return { items: items, next: next, due: !!next && next.date <= today() };
  }

  function setupReview(box) {
    var section = box.closest(".practice-log[data-ref]");
    var days = reviewDays(box.getAttribute("data-review"));
    if (!section || !days) { return; }
    var ref = section.getAttribute("data-ref");
    var total = parseInt(section.getAttribute("data-attempts"), 10) || 0;
    var title = section.getAttribute("data-title") || "";
    var url = safeUrl(section.getAttribute("data-url") || "");
    if (!validRef(ref) || total < 1) { return; }
    var cards = all("[data-review-item]", box);
    var list = one(".reviews", box);
    var nextLine = one("[data-review-next]", box);
    var calendar = one("[data-review-calendar]", box);
    var status = one("[data-practice-status]", section);
    var timer = null;

    function reviewBox(n, what) { return doc.getElementById("sb-review-" + n + "-" + what); }

    function current() {
      var log = loadLog(ref) || { attempts: [] };
      while (log.attempts.length < total) { log.attempts.push({ done: false, date: null, notes: "" }); }
      log.reviews = log.reviews || [];
      while (log.reviews.length < days.length) { log.reviews.push({ done: false, date: null, notes: "" }); }
      return log;
    }

    function save(log) {
      log.updated = new Date().toISOString();
      if (title) { log.title = title; }
      if (url !== null) { log.url = url; }
      log.review = days;
      return saveLog(ref, log);
    }

    function draw() {
      var log = loadLog(ref);
      var plan = log && reviewPlan(log, days, total);
      if (list) { list.hidden = !plan; }
      if (calendar) { calendar.hidden = !(plan && plan.next); }
      box.classList.toggle("is-due", !!(plan && plan.due));
      if (nextLine) {
        nextLine.textContent = !plan ? REVIEW_TEXT.waiting()
          : !plan.next ? REVIEW_TEXT.allDone(days.length)
          : plan.due ? REVIEW_TEXT.due(plan.next.n, days.length, plan.next.date)
          : REVIEW_TEXT.next(plan.next.n, days.length, plan.next.date);
      }
      var lastDone = 0;
      if (plan) { plan.items.forEach(function (item) { if (item.done) { lastDone = item.n; } }); }
      cards.forEach(function (card) {
        var n = parseInt(card.getAttribute("data-review-item"), 10);
        var item = plan && plan.items[n - 1];
        var r = log && log.reviews && log.reviews[n - 1];
        var check = reviewBox(n, "done");
        var notes = reviewBox(n, "notes");
        var date = one("[data-review-date]", card);
        var done = !!(item && item.done);
        if (check) {
          check.checked = done;
          check.disabled = !plan || !(n === lastDone || (plan.next && n === plan.next.n));
        }
        if (notes && doc.activeElement !== notes) { notes.value = r ? r.notes : ""; }
        card.classList.toggle("is-done", done);
        card.classList.toggle("has-date", !!item);
        card.classList.toggle("is-due", !!(plan && plan.due && plan.next === item));
        if (date) {
          date.textContent = "";
          if (item) {
            date.appendChild(doc.createTextNode(done ? REVIEW_TEXT.doneOn() : REVIEW_TEXT.plannedFor()));
            date.appendChild(el("time", { datetime: item.date, text: displayDate(item.date) }));
          }
        }
      });
    }

    cards.forEach(function (card) {
      var n = parseInt(card.getAttribute("data-review-item"), 10);
      var check = reviewBox(n, "done");
      var notes = reviewBox(n, "notes");
      if (check) {
        check.addEventListener("change", guard(function () {
          var log = current();
          var r = log.reviews[n - 1];
          r.done = check.checked;
          r.date = check.checked ? today() : null;
          if (notes) { r.notes = notes.value; }
          var ok = save(log);
          draw();
          var plan = reviewPlan(log, days, total);
          if (status) {
            status.textContent = (check.checked ? REVIEW_TEXT.ticked(n, r.date) : REVIEW_TEXT.unticked(n)) +
              (plan && plan.next ? REVIEW_TEXT.next(plan.next.n, days.length, plan.next.date) : REVIEW_TEXT.allDone(days.length)) +
              (ok ? "" : REVIEW_TEXT.notKept());
          }
        }));
      }
      if (notes) {
        var flush = guard(function () {
          if (timer) { clearTimeout(timer); timer = null; }
          var log = current();
          if (log.reviews[n - 1].notes === notes.value) { return; }
          log.reviews[n - 1].notes = notes.value;
          save(log);
        });
        notes.addEventListener("input", function () {
          if (timer) { clearTimeout(timer); }
          timer = setTimeout(flush, 400);
        });
        notes.addEventListener("change", flush);
        notes.addEventListener("blur", flush);
        window.addEventListener("pagehide", flush);
      }
    });

    /* Ticking the last attempt starts the reviews: redraw after the log's own handler. */
    section.addEventListener("change", guard(function (event) {
      if (/^sb-attempt-\d+-done$/.test(event.target.id || "")) { draw(); }
    }));

    if (calendar) {
      calendar.addEventListener("click", guard(function () {
        var plan = reviewPlan(loadLog(ref) || { attempts: [] }, days, total);
        if (!plan || !plan.next) { return; }
        var left = plan.items.filter(function (item) { return !item.done; });
        var page = String(window.location.href).split("#")[0];
        var text = reviewCalendar(ref, title || ref, page, left, days.length);
        downloadFile(text, "text/calendar", "review-" + slugify(title || ref) + ".ics");
        if (status) { status.textContent = REVIEW_TEXT.calendarSaved(left.length); }
      }));
    }

    box.hidden = false;
    refreshers.push(draw);
    draw();
  }

  /* ---- the .ics file (RFC 5545): one all-day event per review still to do */

  /* TEXT values: backslash, semicolon, comma and line breaks escaped. */
  function icsText(text) {
    return String(text).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }

  /* A content line folded after 75 octets of UTF-8 (never inside a character); each
     continuation line starts with a space. */
  function icsFold(line) {
    var out = [];
    var current = "";
    var octets = 0;
    for (var i = 0; i < line.length; i++) {
      var c = line.charAt(i);
      var code = line.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < line.length) { c += line.charAt(++i); }
      var size = code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 4 : 3;
      if (octets + size > 75) {
        out.push(current);
        current = " ";
        octets = 1;
      }
      current += c;
      octets += size;
    }
    out.push(current);
    return out.join("\r\n");
  }

  function icsStamp(date) {
    return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  }

  function reviewCalendar(ref, title, page, items, total) {
    var stamp = icsStamp(new Date());
    var host = slugify(siteName) + ".salesbook";
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//salesbook//spaced review//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
    items.forEach(function (item) {
      var day = item.date.replace(/-/g, "");
      lines.push(
        "BEGIN:VEVENT",
        "UID:review-" + item.n + "-" + day + "-" + ref.replace(/[^A-Za-z0-9._-]+/g, "-") + "@" + host,
        "DTSTAMP:" + stamp,
        "DTSTART;VALUE=DATE:" + day,
        "DTEND;VALUE=DATE:" + addDays(item.date, 1).replace(/-/g, ""),
        "SUMMARY:" + icsText(REVIEW_TEXT.calendarSummary(title)),
        "DESCRIPTION:" + icsText(REVIEW_TEXT.calendarDescription(item.n, total, title) + "\n" + page),
        "URL:" + page,
        "TRANSP:TRANSPARENT",
        "END:VEVENT"
      );
    });
    lines.push("END:VCALENDAR");
    return lines.map(icsFold).join("\r\n") + "\r\n";
  }

  function downloadFile(text, type, name) {
    var blob = new Blob([text], { type: type });
    var href = URL.createObjectURL(blob);
    var a = el("a", { href: href, download: name });
    a.hidden = true;
    doc.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(href);
      if (a.parentNode) { a.parentNode.removeChild(a); }
    }, 1000);
  }

  /* ---- home: due for practice, the oldest due first */

  function setupDue(section) {
    var body = one("[data-due-list]", section);
    if (!body) { return; }
    function draw() {
      var logs = allLogs();
      var due = [];
      Object.keys(logs).forEach(function (ref) {
        var log = logs[ref];
        if (log.url === undefined || !log.title || !log.review) { return; }
        var plan = reviewPlan(log, log.review, log.attempts.length);
        if (plan && plan.due) { due.push({ log: log, next: plan.next, total: log.review.length }); }
      });
      due.sort(function (a, b) {
        return a.next.date < b.next.date ? -1 : a.next.date > b.next.date ? 1 : a.log.title < b.log.title ? -1 : 1;
      });
      body.textContent = "";
      due.forEach(function (d) {
        var link = el("a", { href: siteRoot + d.log.url, "class": "due-link", text: d.log.title });
        var detail = d.next.date === today() ? REVIEW_TEXT.dueToday(d.next.n, d.total)
          : REVIEW_TEXT.dueSince(d.next.n, d.total, d.next.date);
        body.appendChild(el("li", { "class": "due-item" }, [link, " ", el("span", { "class": "due-detail", text: detail })]));
      });
      section.hidden = due.length === 0;
    }
    refreshers.push(draw);
    draw();
  }

  /* ------------------------------------------------------------ interview pages in a track */

  function markRead(article) {
    var ref = article.getAttribute("data-seen-ref");
    if (!validRef(ref) || loadRead(ref)) { return; }
    try { store.setItem(READ + ref, today()); } catch (e) { /* ignore */ }
  }

  /* ------------------------------------------------------------ track pages */

  function itemState(item) {
    var ref = item.getAttribute("data-ref");
    if (item.getAttribute("data-kind") === "exercise") {
      var total = parseInt(item.getAttribute("data-attempts"), 10) || 3;
      var t = tally(loadLog(ref), total);
      if (t.complete) {
        return { state: "done", text: t.last ? say("progress.done_last", { count: total, date: displayDate(t.last) }) : say("progress.done", { count: total }), done: t.done, total: total };
      }
      if (t.started) {
        return { state: "started", text: say("progress.started", { n: t.done, count: total }), done: t.done, total: total };
      }
      return { state: "new", text: NOT_STARTED, done: 0, total: total };
    }
    var read = loadRead(ref);
    if (read) { return { state: "done", text: say("progress.opened", { date: displayDate(read) }) }; }
    return { state: "new", text: NOT_STARTED };
  }

  function setupTrack(path) {
    var items = all(".track-item[data-ref]", path);
    var overall = one("[data-track-progress]", path);
    var bar = overall && one("progress", overall);
    var barText = overall && one("[data-track-progress-text]", overall);
    var next = one("[data-track-next]", path);
    var nextHref = next && next.getAttribute("href");
    var nextText = next && next.textContent;

    function draw() {
      var stepsDone = 0;
      var attemptsDone = 0;
      var attemptsTotal = 0;
      var firstOpen = null;
      var anything = false;
      items.forEach(function (item, i) {
        var s = itemState(item);
        var status = one("[data-progress]", item);
        if (status) {
          status.textContent = s.text;
          status.hidden = false;
        }
        item.classList.toggle("is-done", s.state === "done");
        item.classList.toggle("is-started", s.state === "started");
        item.setAttribute("data-state", s.state);
        if (s.state === "done") { stepsDone++; }
        if (s.state !== "new") { anything = true; }
        if (s.state !== "done" && firstOpen === null) { firstOpen = i; }
        if (s.total) {
          attemptsDone += Math.min(s.done, s.total);
          attemptsTotal += s.total;
        }
      });
      if (bar) {
        bar.max = items.length;
        bar.value = stepsDone;
        bar.textContent = say("practice.n_of_total", { n: stepsDone, total: items.length });
      }
      if (barText) {
        barText.textContent = (anything ? "" : NOT_STARTED + " · ") + say("track.steps_done", { n: stepsDone, count: items.length }) +
          (attemptsTotal ? " · " + say("track.attempts", { n: attemptsDone, count: attemptsTotal }) : "");
      }
      if (overall) { overall.hidden = false; }
      if (next) {
        if (anything && firstOpen !== null) {
          var target = items[firstOpen];
          var link = one(".track-item-title a", target);
          if (link) {
            next.setAttribute("href", link.getAttribute("href"));
            next.textContent = say("track.continue", { n: firstOpen + 1, title: titleOf(target) });
          }
        } else if (anything && firstOpen === null) {
          next.setAttribute("href", nextHref);
          next.textContent = say("track.again");
        } else {
          next.setAttribute("href", nextHref);
          next.textContent = nextText;
        }
      }
    }

    refreshers.push(draw);
    draw();
  }

  function titleOf(item) {
    var link = one(".track-item-title a", item);
    if (!link) { return ""; }
    var copy = link.cloneNode(true);
    all(".visually-hidden", copy).forEach(function (n) { n.parentNode.removeChild(n); });
    return copy.textContent.trim();
  }

  /* ------------------------------------------------------------ exercise cards */

  function setupCard(card) {
    var ref = card.getAttribute("data-ref");
    var total = parseInt(card.getAttribute("data-attempts"), 10) || 3;
    var slot = one("[data-card-progress]", card);
    if (!slot || !validRef(ref)) { return; }
    function draw() {
      var t = tally(loadLog(ref), total);
      if (!t.started) {
        slot.hidden = true;
        slot.textContent = "";
        card.classList.remove("is-done", "is-started");
        return;
      }
      slot.textContent = t.complete
        ? say("progress.done", { count: total })
        : say("progress.started", { n: t.done, count: total });
      slot.hidden = false;
      card.classList.toggle("is-done", t.complete);
      card.classList.toggle("is-started", !t.complete);
    }
    refreshers.push(draw);
    draw();
  }

  /* ------------------------------------------------------------ home: continue where you left off */

  function setupContinue(section) {
    var body = one("[data-continue-body]", section);
    if (!body) { return; }
    function draw() {
      var logs = allLogs();
      var best = null;
      Object.keys(logs).forEach(function (ref) {
        var log = logs[ref];
        if (log.url === undefined || !log.title) { return; }
        var t = tally(log, log.attempts.length);
        if (t.complete || !t.started) { return; }
        if (!best || (log.updated || "") > (best.log.updated || "")) {
          best = { ref: ref, log: log, tally: t };
        }
      });
      body.textContent = "";
      if (!best) {
        section.hidden = true;
        return;
      }
      var link = el("a", { href: siteRoot + best.log.url, "class": "continue-link", text: best.log.title });
      var detail = say("practice.some_done", { n: best.tally.done, count: best.tally.total });
      if (best.tally.last) { detail += say("practice.last_on", { date: displayDate(best.tally.last) }); }
      body.appendChild(el("p", { "class": "continue-item" }, [link, " ", el("span", { "class": "continue-detail", text: detail })]));
      section.hidden = false;
    }
    refreshers.push(draw);
    draw();
  }

  /* ------------------------------------------------------------ layout, colour scheme */

  /* The side navigation and "On this page" are folded on narrow screens; from the width
     in data-open-from they stand open beside the content (CSS does it with
     ::details-content, this for browsers without it). */
  function setupDisclosure(details) {
    var wide = window.matchMedia("(min-width: " + details.getAttribute("data-open-from") + ")");
    function follow() { details.open = wide.matches; }
    follow();
    if (wide.addEventListener) { wide.addEventListener("change", guard(follow)); }
  }

  /* Marks the "On this page" link of the section being read: the last heading above the
     top third of the window. Headings crossing that line wake it up, and a scroll checks once a frame. */
  function setupTocMarking(toc) {
    if (!window.IntersectionObserver) { return; }
    var links = {};
    var headings = [];
    all("a[href^='#']", toc).forEach(function (a) {
      var heading = doc.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (heading) { links[heading.id] = a; headings.push(heading); }
    });
    var current = null;
    function update() {
      var line = window.innerHeight / 3;
      var reading = null;
      for (var i = 0; i < headings.length && headings[i].getBoundingClientRect().top <= line; i++) {
        reading = links[headings[i].id];
      }
      if (reading === current) { return; }
      if (current) { current.removeAttribute("aria-current"); }
      if (reading) { reading.setAttribute("aria-current", "location"); }
      current = reading;
    }
    var observer = new IntersectionObserver(guard(update), { rootMargin: "0px 0px -66% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
    /* A jump past several headings may change no heading's crossing: the end of a
       scroll checks once more (after the frame, so scrolling itself stays cheap). */
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(guard(function () { pending = false; update(); }));
    }, { passive: true });
    update();
  }

  /* The header's light / dark / auto switch: the choice is kept in localStorage and
     applied by a script in the page head before the first paint (auto: the system's). */
  var SCHEME = "salesbook:color-scheme";

  function applyScheme(scheme) {
    if (scheme === "light" || scheme === "dark") {
      html.setAttribute("data-color-scheme", scheme);
    } else {
      html.removeAttribute("data-color-scheme");
    }
  }

  function setupSchemeSwitch(box) {
    var select = one("select", box);
    if (!select) { return; }
    select.value = html.getAttribute("data-color-scheme") || "auto";
    select.addEventListener("change", guard(function () {
      applyScheme(select.value);
      try {
        if (select.value === "auto") {
          window.localStorage.removeItem(SCHEME);
        } else {
          window.localStorage.setItem(SCHEME, select.value);
        }
      } catch (e) {
        /* storage refused: the choice lasts for this page */
      }
    }));
    window.addEventListener("storage", guard(function (event) {
      if (event.key !== SCHEME && event.key !== null) { return; }
      applyScheme(event.newValue);
      select.value = html.getAttribute("data-color-scheme") || "auto";
    }));
    box.hidden = false;
  }

  /* ------------------------------------------------------------ quiz */

  /* An exercise's quiz: each question is checked on its own; a wrong answer says so and
     can be tried again (the right one is not given away); a right one shows the
     explanation, as does "Show answer" (the <details> that is all there is without JS).
     A question with several right answers (data-right, check-boxes) is right only when
     the boxes ticked are exactly the right ones.
     The last answer checked of each question is kept, and the score counts the right ones. */
  function loadQuiz(ref) {
    var raw = validRef(ref) ? store.getItem(QUIZ + ref) : null;
    try {
      var parsed = raw ? JSON.parse(raw) : {};
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
    } catch (e) { return {}; }
  }

  /* How many of an exercise's `count` questions were last checked right. */
  function quizRight(ref, count) {
    var answers = loadQuiz(ref);
    var right = 0;
    for (var n = 1; n <= count; n++) {
      var a = answers[n];
      if (a && typeof a === "object" && a.right === true) { right += 1; }
    }
    return right;
  }

  /* The positions ticked, from 0, as a sorted list. */
  function tickedPositions(inputs) {
    var ticked = [];
    inputs.forEach(function (input, i) { if (input.checked) { ticked.push(i); } });
    return ticked;
  }

  function samePositions(a, b) {
    return a.length === b.length && a.every(function (x, i) { return x === b[i]; });
  }

  function setupQuiz(section) {
    var ref = section.getAttribute("data-ref");
    var score = one("[data-quiz-score]", section);
    var questions = all("fieldset.quiz-question[data-answer]", section);
    var key = ref && validRef(ref) ? QUIZ + ref : null;

    function saveAnswer(number, choice, right) {
      if (!key) { return; }
      var answers = loadQuiz(ref);
      answers[number] = { choice: choice, right: right };
      try { store.setItem(key, JSON.stringify(answers)); } catch (e) { /* kept for this visit only */ }
    }

    function drawScore() {
      if (!score) { return; }
      var answers = loadQuiz(ref);
      var checked = 0;
      questions.forEach(function (fieldset, i) {
        var a = answers[i + 1];
        if (a && typeof a === "object") { checked += 1; }
      });
      score.hidden = checked === 0;
      score.textContent = checked ? say("quiz.score", { right: quizRight(ref, questions.length), total: questions.length }) : "";
    }

    questions.forEach(function (fieldset, i) {
      var number = i + 1;
      var button = one(".quiz-check", fieldset);
      var feedback = one(".quiz-feedback", fieldset);
      var answer = fieldset.getAttribute("data-answer");
      var details = one("details.quiz-answer", fieldset);
      var inputs = all("input[type=radio], input[type=checkbox]", fieldset);
      var multiple = fieldset.hasAttribute("data-right");
      var rightPositions = multiple
        ? fieldset.getAttribute("data-right").split(" ").filter(Boolean).map(Number).sort(function (a, b) { return a - b; })
        : [];
      if (!button || !feedback) { return; }
      var explainNode = details ? all("p", details)[1] : null;
      var explain = explainNode ? explainNode.textContent.trim() : "";

      function clear() {
        feedback.textContent = "";
        feedback.classList.remove("is-correct", "is-wrong");
        fieldset.classList.remove("is-correct", "is-wrong");
      }

      function verdict(right) {
        clear();
        feedback.textContent = right ? say("quiz.right", { explain: explain })
          : say(multiple ? "quiz.wrong_some" : "quiz.wrong");
        feedback.classList.add(right ? "is-correct" : "is-wrong");
        fieldset.classList.add(right ? "is-correct" : "is-wrong");
      }

      function isRight(ticked) {
        return multiple ? samePositions(ticked, rightPositions) : inputs[ticked[0]].value === answer;
      }

      button.addEventListener("click", guard(function () {
        var ticked = tickedPositions(inputs);
        if (!ticked.length) {
          clear();
          feedback.textContent = say(multiple ? "quiz.choose_some" : "quiz.choose");
          if (inputs[0]) { inputs[0].focus(); }
          return;
        }
        var right = isRight(ticked);
        verdict(right);
        saveAnswer(number, multiple ? ticked : ticked[0], right);
        drawScore();
      }));
      /* A new choice clears the previous verdict. */
      fieldset.addEventListener("change", guard(clear));

      /* The answer checked on an earlier visit comes back, with its verdict: one
         position, or a list of them for check-boxes. */
      var kept = loadQuiz(ref)[number];
      var choice = kept ? kept.choice : null;
      var positions = multiple && Array.isArray(choice) ? choice
        : !multiple && typeof choice === "number" ? [choice] : [];
      positions = positions.filter(function (p) { return typeof p === "number" && inputs[p]; });
      if (positions.length) {
        positions.forEach(function (p) { inputs[p].checked = true; });
        verdict(isRight(tickedPositions(inputs)));
      }
    });
    drawScore();
  }

  /* ------------------------------------------------------------ track: quiz score */

  /* The quiz score across a track's exercises, "7 of 9 right": every question counts, an
     unanswered one as wrong, the same numbers as the LMS score (assess in scorm.js). */
  function trackQuiz(items) {
    var score = { right: 0, total: 0, checked: false };
    items.forEach(function (item) {
      var count = parseInt(item.getAttribute("data-questions"), 10) || 0;
      if (!count) { return; }
      var ref = item.getAttribute("data-ref");
      score.total += count;
      score.right += quizRight(ref, count);
      if (Object.keys(loadQuiz(ref)).length) { score.checked = true; }
    });
    return score;
  }

  function setupTrackQuizScore(slot) {
    var path = slot.closest(".track-path");
    var items = path ? all(".track-item[data-ref]", path) : [];
    function draw() {
      var score = trackQuiz(items);
      slot.hidden = !(score.total && score.checked);
      slot.textContent = slot.hidden ? "" : say("quiz.track_score", { right: score.right, total: score.total });
    }
    refreshers.push(draw);
    draw();
  }

  /* ------------------------------------------------------------ track: certificate */

  /* When every exercise of a track has all its attempts done, the track page offers a
     certificate to print: the name typed here (kept in this browser), the day the last
     attempt was done, the track and each exercise's attempts. It is self-reported: it
     shows the learner's own log, which no one checked. */
  var NAME = "salesbook:name:" + encodeURIComponent(siteName);

  function setupCertificate(section) {
    var track = section.closest(".entry-track");
    var items = track ? all(".track-item[data-ref]", track) : [];
    var exercises = items.filter(function (item) { return item.getAttribute("data-kind") === "exercise"; });
    var nameInput = one("[data-certificate-name-input]", section);
    var nameSlot = one("[data-certificate-name]", section);
    var dateSlot = one("[data-certificate-date]", section);
    var list = one("[data-certificate-exercises]", section);
    var quizSlot = one("[data-certificate-quiz]", section);
    var print = one("[data-certificate-print]", section);
    if (!exercises.length || !nameInput || !nameSlot || !list) { return; }

    function drawName() {
      var name = nameInput.value.trim();
      nameSlot.textContent = name || say("certificate.no_name");
      nameSlot.classList.toggle("is-blank", !name);
    }

    function draw() {
      var last = null;
      var rows = [];
      var complete = exercises.every(function (item) {
        var total = parseInt(item.getAttribute("data-attempts"), 10) || 3;
        var t = tally(loadLog(item.getAttribute("data-ref")), total);
        if (t.last && (!last || t.last > last)) { last = t.last; }
        rows.push(el("li", {}, [
          el("span", { "class": "certificate-exercise", text: titleOf(item) }), " \u2014 ",
          el("span", { "class": "certificate-attempts", text: say("certificate.attempts", { count: t.done }) })
        ]));
        return t.complete;
      });
      section.hidden = !complete;
      if (!complete) { return; }
      list.textContent = "";
      rows.forEach(function (row) { list.appendChild(row); });
      if (dateSlot) {
        var day = last || today();
        dateSlot.textContent = "";
        dateSlot.appendChild(el("time", { datetime: day, text: displayDate(day) }));
      }
      if (quizSlot) {
        var score = trackQuiz(items);
        quizSlot.hidden = !(score.total && score.checked);
        quizSlot.textContent = quizSlot.hidden ? "" : say("quiz.track_score", { right: score.right, total: score.total });
      }
      drawName();
    }

    nameInput.value = store.getItem(NAME) || "";
    nameInput.addEventListener("input", guard(function () {
      drawName();
      try { store.setItem(NAME, nameInput.value.trim()); } catch (e) { /* kept for this visit only */ }
    }));
    /* Printing the certificate prints only it (see .sb-print-certificate in the CSS);
       printing the page from the browser's menu prints the track as before. */
    if (print) {
      print.addEventListener("click", guard(function () {
        html.classList.add("sb-print-certificate");
        window.print();
      }));
      window.addEventListener("afterprint", function () { html.classList.remove("sb-print-certificate"); });
    }
    refreshers.push(draw);
    draw();
  }

  /* ------------------------------------------------------------ media */

  /* Transcript and pull-quote times (plain text without a script) become
     buttons that play the recording from that moment. */
  function setupSeeking(player) {
    all("[data-seek]").forEach(function (time) {
      var seconds = parseFloat(time.getAttribute("data-seek"));
      if (isNaN(seconds)) { return; }
      var button = el("button", {
        type: "button",
        "class": "seek",
        "aria-label": say("media.play_from", { time: time.textContent })
      }, [time.textContent]);
      button.addEventListener("click", guard(function () {
        player.currentTime = seconds;
        var playing = player.play();
        /* Autoplay rules may refuse; the player still shows the time. */
        if (playing && playing.catch) { playing.catch(function () {}); }
      }));
      time.textContent = "";
      time.appendChild(button);
    });
  }

  /* ------------------------------------------------------------ start */

  function start() {
    all("details[data-open-from]").forEach(guard(setupDisclosure));
    all("nav.toc").forEach(guard(setupTocMarking));
    all("[data-scheme-switch]").forEach(guard(setupSchemeSwitch));
    all(".practice-log[data-ref]").forEach(guard(setupPracticeLog));
    all(".practice-log[data-ref]").forEach(guard(setupRubric));
    all("[data-model-answer]").forEach(guard(setupModelAnswer));
    all("[data-seen-ref]").forEach(guard(markRead));
    all(".track-path").forEach(guard(setupTrack));
    all(".card[data-ref]").forEach(guard(setupCard));
    all("[data-review]").forEach(guard(setupReview));
    all("[data-due]").forEach(guard(setupDue));
    all("[data-continue]").forEach(guard(setupContinue));
    all("section.quiz[data-ref]").forEach(guard(setupQuiz));
    all("[data-track-quiz-score]").forEach(guard(setupTrackQuizScore));
    all("[data-certificate]").forEach(guard(setupCertificate));
    all("[data-practice-tools]").forEach(guard(setupTools));
    all("[data-player]").slice(0, 1).forEach(guard(setupSeeking));
    all("[data-practice-carry]").forEach(function (s) { s.hidden = false; });
    window.addEventListener("storage", guard(function (event) {
      if (event.key === null || event.key.indexOf("salesbook:") === 0) { refreshAll(); }
    }));
    /* Coming back with the back button (bfcache) shows fresh progress. */
    window.addEventListener("pageshow", guard(function (event) {
      if (event.persisted) { refreshAll(); }
    }));
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", guard(start));
  } else {
    guard(start)();
  }
})();
