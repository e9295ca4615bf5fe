/* salesbook — SCORM 1.2 runtime of the LMS packages (`salesbook build --lms scorm12`;
   docs/lms.md). No framework, no request to any origin.

   One file, two roles:
   - On the package's launch page (<html data-lms-launch>), it finds the LMS's SCORM 1.2 API
     (`window.API` in a parent or opener frame, searched upward the standard way), calls
     LMSInitialize once, shows the track's pages in a frame with its own navigation, keeps
     the learner's practice log and quiz answers in cmi.suspend_data, reports
     cmi.core.lesson_status and cmi.core.score.raw, commits after changes, and calls
     LMSFinish once when the learner leaves the package.
   - On the track's pages inside the package, it hands the launch page's store to
     salesbook.js (as window.salesbookStorage, in place of localStorage) and reports quiz
     answers to it. A page that is not inside a connected launch page works as on the
     normal site, with localStorage.

   The codec of the suspend data (encodeProgress / decodeProgress) and the scoring (assess)
   have no DOM: node's tests load this file with require(). */
(function (global) {
  "use strict";

  /* ------------------------------------------------------------ the suspend data codec

     cmi.suspend_data holds, as ASCII-only JSON (every character from U+007F up written
     as \uXXXX, since SCORM 1.2 strings are ASCII):

       {"v":2,                                   format version (1 is read too: no "w" nor "m")
        "a":{"exercises/x":"k3fk3g---k3h"},      attempts of each exercise, 3 characters each:
                                                  the day it was ticked (days since 1970-01-01
                                                  in base 36), "---" not done, "***" done with
                                                  no day; trailing "---" left out
        "q":{"exercises/x":"1(02)-"},            quiz: the chosen choice of each question
                                                  (its index in base 36), "-" unanswered; a
                                                  question with several answers: the boxes
                                                  ticked in brackets, "(02)"
        "r":{"interviews/y":"k3e"},              the day a non-exercise step was first opened
        "n":{"exercises/x":["notes 1","","n3"]}, each attempt's notes
        "b":{"exercises/x":"f03"},               rubric ticks of a role-play exercise (a step
                                                  with "rubric": criteria count): for each
                                                  attempt, ceil(criteria / 5) base-32
                                                  characters, criterion i as bit i % 5 of
                                                  character floor(i / 5); trailing attempts
                                                  with no tick left out
        "w":{"exercises/x":"k3jk3o"},            spaced reviews of each exercise, as attempts are
        "m":{"exercises/x":["review 1 notes"]}}  each review's notes

     Only the track's own steps are kept. Everything but the notes always fits: the build
     checks the longest it can be (src/lms/mod.rs, suspend_data_worst_case). Notes fill what
     is left of the 4,096 characters; when they do not fit, each note is cut to the same
     largest length that fits ("water filling"), so short notes stay whole. */

  var LIMIT = 4096;
  var DAY = 86400000;
  var NOT_DONE = "---";
  var DONE_NO_DAY = "***";
  var FORMAT_VERSION = 2;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function dayCode(date) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || "");
    if (!m) { return null; }
    var days = Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY);
    if (!(days >= 0 && days < 46656)) { return null; }
    return ("00" + days.toString(36)).slice(-3);
  }

  function dayFromCode(code) {
    if (typeof code !== "string" || !/^[0-9a-z]{3}$/.test(code)) { return null; }
    var d = new Date(parseInt(code, 36) * DAY);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }

  function ascii(text) {
    return text.replace(/[\u007f-\uffff]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function isEmpty(object) {
    for (var k in object) {
      if (Object.prototype.hasOwnProperty.call(object, k)) { return false; }
    }
    return true;
  }

  /* The first `cap` characters of a note, never half of a surrogate pair. */
  function cut(text, cap) {
    if (text.length <= cap) { return text; }
    var end = cap;
    var code = text.charCodeAt(end - 1);
    if (end > 0 && code >= 0xd800 && code <= 0xdbff) { end--; }
    return text.slice(0, end);
  }

  /* One question's answer in `q`: a choice index in base 36, a list of them in brackets
     for a question with several answers, "-" unanswered. */
  function oneCode(x) {
    return typeof x === "number" && x >= 0 && x < 36 && Math.floor(x) === x ? x.toString(36) : "";
  }

  function quizCode(x) {
    if (Array.isArray(x)) {
      var codes = x.map(oneCode).join("");
      return codes ? "(" + codes + ")" : "-";
    }
    return oneCode(x) || "-";
  }

  /* The answers `codes` holds for `count` questions (see quizCode). */
  function quizAnswers(codes, count) {
    var answers = [];
    var at = 0;
    while (answers.length < count) {
      var c = codes.charAt(at);
      if (c === "(") {
        var end = codes.indexOf(")", at);
        if (end === -1) { end = codes.length; }
        answers.push(codes.slice(at + 1, end).split("").filter(function (d) { return /^[0-9a-z]$/.test(d); })
          .map(function (d) { return parseInt(d, 36); }));
        at = end + 1;
      } else {
        answers.push(/^[0-9a-z]$/.test(c) ? parseInt(c, 36) : null);
        at += 1;
      }
    }
    return answers;
  }

  /* Whether an answer is right: the same choice, or for several answers the same set. */
  function sameAnswer(given, right) {
    if (Array.isArray(right)) {
      if (!Array.isArray(given) || given.length !== right.length) { return false; }
      var a = given.slice().sort(function (x, y) { return x - y; });
      var b = right.slice().sort(function (x, y) { return x - y; });
      return a.every(function (x, i) { return x === b[i]; });
    }
    return typeof given === "number" && given === right;
  }

  function answered(given) {
    return typeof given === "number" || (Array.isArray(given) && given.length > 0);
  }

  /* The review codes of an exercise's log (3 characters per review, as attempts), their
     notes added to `notes` for the water filling. */
  function encodeReviews(step, log, notes) {
    var codes = "";
    for (var i = 0; i < (step.reviews || 0); i++) {
      var r = log && log.reviews && log.reviews[i];
      codes += r && r.done === true ? dayCode(r.date) || DONE_NO_DAY : NOT_DONE;
      if (r && typeof r.notes === "string" && r.notes) {
        notes.push({ ref: step.ref, index: i, text: r.notes, review: true });
      }
    }
    return codes.replace(/(---)+$/, "");
  }

  /* The reviews of an exercise kept as `codes` and `texts` (see encodeReviews). */
  function decodeReviews(step, codes, texts) {
    var reviews = [];
    for (var i = 0; i < (step.reviews || 0); i++) {
      var code = codes.substr(3 * i, 3);
      var done = code.length === 3 && code !== NOT_DONE;
      reviews.push({ done: done, date: done ? dayFromCode(code) : null, notes: typeof texts[i] === "string" ? texts[i] : "" });
    }
    return reviews;
  }

  /* `track`: the launch page's data (its `steps`); `state`: {logs: {ref: {attempts: [{done,
     date, notes, rubric}], reviews: [{done, date, notes}]}}, read: {ref: "YYYY-MM-DD"},
     quiz: {ref: [choice index, list of them, or null]}}.
     Returns {text, truncated}: text is null when even the progress without notes does not
     fit (the build prevents it). */
  function encodeProgress(track, state, limit) {
    limit = limit || LIMIT;
    var attempts = {};
    var quiz = {};
    var read = {};
    var reviews = {};
    var notes = [];
    var rubrics = {};
    var longest = 0;
    (track.steps || []).forEach(function (step) {
      var ref = step.ref;
      if (step.kind === "exercise") {
        var log = state.logs && state.logs[ref];
        var codes = "";
        for (var i = 0; i < step.attempts; i++) {
          var a = log && log.attempts && log.attempts[i];
          codes += a && a.done === true ? dayCode(a.date) || DONE_NO_DAY : NOT_DONE;
          if (a && typeof a.notes === "string" && a.notes) {
            notes.push({ ref: ref, index: i, text: a.notes });
            longest = Math.max(longest, a.notes.length);
          }
        }
        codes = codes.replace(/(---)+$/, "");
        if (codes) { attempts[ref] = codes; }
        var ticks = encodeRubric(step, log);
        if (ticks) { rubrics[ref] = ticks; }
        var reviewCodes = encodeReviews(step, log, notes);
        if (reviewCodes) { reviews[ref] = reviewCodes; }
        var answers = state.quiz && state.quiz[ref];
        if (step.quiz && step.quiz.length && answers) {
          var chosen = "";
          for (var j = 0; j < step.quiz.length; j++) {
            chosen += quizCode(answers[j]);
          }
          chosen = chosen.replace(/-+$/, "");
          if (chosen) { quiz[ref] = chosen; }
        }
      } else if (state.read && state.read[ref]) {
        read[ref] = dayCode(state.read[ref]) || DONE_NO_DAY;
      }
    });

    notes.forEach(function (note) { longest = Math.max(longest, note.text.length); });

    function build(cap) {
      var record = { v: FORMAT_VERSION };
      if (!isEmpty(attempts)) { record.a = attempts; }
      if (!isEmpty(quiz)) { record.q = quiz; }
      if (!isEmpty(read)) { record.r = read; }
      if (!isEmpty(reviews)) { record.w = reviews; }
      var kept = { n: {}, m: {} };
      notes.forEach(function (note) {
        var text = cut(note.text, cap);
        if (!text) { return; }
        var lists = kept[note.review ? "m" : "n"];
        var list = lists[note.ref] || (lists[note.ref] = []);
        while (list.length < note.index) { list.push(""); }
        list[note.index] = text;
      });
      if (!isEmpty(kept.n)) { record.n = kept.n; }
      if (!isEmpty(kept.m)) { record.m = kept.m; }
      if (!isEmpty(rubrics)) { record.b = rubrics; }
      return ascii(JSON.stringify(record));
    }

    var whole = build(Infinity);
    if (whole.length <= limit) { return { text: whole, truncated: false }; }
    if (build(0).length > limit) { return { text: null, truncated: true }; }
    var low = 0;
    var high = longest;
    while (low < high) {
      var mid = Math.ceil((low + high) / 2);
      if (build(mid).length <= limit) { low = mid; } else { high = mid - 1; }
    }
    return { text: build(low), truncated: true };
  }

  /* ------------------------------------------------------------ rubric ticks in the suspend data */

  /* Characters one attempt's ticks take: five criteria to a base-32 character. */
  function rubricWidth(criteria) { return Math.ceil(criteria / 5); }

  /* One exercise's ticks (`log.attempts[i].rubric`) as the "b" code, "" when none is ticked. */
  function encodeRubric(step, log) {
    var width = rubricWidth(step.rubric || 0);
    if (!width || !log || !Array.isArray(log.attempts)) { return ""; }
    var code = "";
    for (var i = 0; i < step.attempts; i++) {
      var ticks = log.attempts[i] && Array.isArray(log.attempts[i].rubric) ? log.attempts[i].rubric : [];
      for (var c = 0; c < width; c++) {
        var bits = 0;
        for (var b = 0; b < 5; b++) {
          if (ticks[c * 5 + b] === true) { bits += 1 << b; }
        }
        code += bits.toString(32);
      }
    }
    return code.replace(new RegExp("(" + new Array(width + 1).join("0") + ")+$"), "");
  }

  /* The ticks of attempt `index` in a "b" code: one true / false per criterion, or null when
     the code holds none for it. */
  function decodeRubric(step, code, index) {
    var width = rubricWidth(step.rubric || 0);
    var part = typeof code === "string" ? code.substr(index * width, width) : "";
    if (!width || part.length !== width || !/^[0-9a-v]+$/.test(part)) { return null; }
    var ticks = [];
    for (var i = 0; i < step.rubric; i++) {
      ticks.push((parseInt(part.charAt(Math.floor(i / 5)), 32) & (1 << (i % 5))) !== 0);
    }
    return ticks;
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* The state kept in `text` (see encodeProgress), for the track's steps; an empty state for
     an empty text; null for a text this runtime cannot read (a newer format, or damage). */
  function decodeProgress(track, text) {
    var state = { logs: {}, read: {}, quiz: {} };
    if (!text) { return state; }
    var record;
    try {
      record = JSON.parse(text);
    } catch (e) {
      return null;
    }
    if (!record || typeof record !== "object" || !(record.v === 1 || record.v === FORMAT_VERSION)) { return null; }
    function part(name) {
      var p = record[name];
      return p && typeof p === "object" && !Array.isArray(p) ? p : {};
    }
    var a = part("a");
    var q = part("q");
    var r = part("r");
    var n = part("n");
    var ticks = part("b");
    var w = part("w");
    var m = part("m");
    (track.steps || []).forEach(function (step) {
      var ref = step.ref;
      var own = Object.prototype.hasOwnProperty;
      if (step.kind === "exercise") {
        var codes = own.call(a, ref) && typeof a[ref] === "string" ? a[ref] : "";
        var texts = own.call(n, ref) && Array.isArray(n[ref]) ? n[ref] : [];
        var ticked = own.call(ticks, ref) ? ticks[ref] : "";
        if (codes || texts.length || ticked) {
          var attempts = [];
          for (var i = 0; i < step.attempts; i++) {
            var code = codes.substr(3 * i, 3);
            var done = code.length === 3 && code !== NOT_DONE;
            var notes = typeof texts[i] === "string" ? texts[i] : "";
            attempts.push({ done: done, date: done ? dayFromCode(code) : null, notes: notes });
            var rubric = decodeRubric(step, ticked, i);
            if (rubric) { attempts[i].rubric = rubric; }
          }
          state.logs[ref] = { attempts: attempts };
        }
        var reviewCodes = own.call(w, ref) && typeof w[ref] === "string" ? w[ref] : "";
        var reviewTexts = own.call(m, ref) && Array.isArray(m[ref]) ? m[ref] : [];
        if (reviewCodes || reviewTexts.length) {
          /* Reviews follow the attempts, so a log with reviews has attempts too. */
          var log = state.logs[ref] || (state.logs[ref] = { attempts: [] });
          log.reviews = decodeReviews(step, reviewCodes, reviewTexts);
        }
        var chosen = own.call(q, ref) && typeof q[ref] === "string" ? q[ref] : "";
        if (chosen && step.quiz && step.quiz.length) {
          state.quiz[ref] = quizAnswers(chosen, step.quiz.length);
        }
      } else if (own.call(r, ref) && typeof r[ref] === "string") {
        state.read[ref] = dayFromCode(r[ref]) || today();
      }
    });
    return state;
  }

  /* The track's status and score from a state. `mastery`: the passing score, or null.
     - status "completed" when every exercise's attempts are done (a track without
       exercises: when every step was opened), else "incomplete";
     - with a mastery score (and quiz questions): once every question is answered, "failed"
       below it, "passed" at or above it once the practice is done too ("incomplete" until);
     - score: the percentage of quiz questions answered right (once one is answered); for a
       track without a quiz, the percentage of attempts done (once one is). */
  function assess(track, state, mastery) {
    var r = {
      exercises: 0, exercisesDone: 0, attemptsDone: 0, attemptsTotal: 0,
      questions: 0, answered: 0, correct: 0, others: 0, opened: 0
    };
    (track.steps || []).forEach(function (step) {
      if (step.kind === "exercise") {
        r.exercises++;
        var log = state.logs && state.logs[step.ref];
        var done = 0;
        for (var i = 0; i < step.attempts; i++) {
          if (log && log.attempts && log.attempts[i] && log.attempts[i].done === true) { done++; }
        }
        r.attemptsDone += done;
        r.attemptsTotal += step.attempts;
        if (done >= step.attempts) { r.exercisesDone++; }
        var answers = (state.quiz && state.quiz[step.ref]) || [];
        (step.quiz || []).forEach(function (answer, j) {
          r.questions++;
          if (answered(answers[j])) {
            r.answered++;
            if (sameAnswer(answers[j], answer)) { r.correct++; }
          }
        });
      } else {
        r.others++;
        if (state.read && state.read[step.ref]) { r.opened++; }
      }
    });
    r.practiceDone = r.exercises > 0 ? r.exercisesDone === r.exercises : r.opened === r.others;
    r.score = null;
    if (r.questions > 0) {
      if (r.answered > 0) { r.score = Math.round((100 * r.correct) / r.questions); }
    } else if (r.attemptsTotal > 0 && r.attemptsDone > 0) {
      r.score = Math.round((100 * r.attemptsDone) / r.attemptsTotal);
    }
    if (typeof mastery === "number" && r.questions > 0) {
      if (r.answered < r.questions) {
        r.status = "incomplete";
      } else if (r.score < mastery) {
        r.status = "failed";
      } else {
        r.status = r.practiceDone ? "passed" : "incomplete";
      }
    } else {
      r.status = r.practiceDone ? "completed" : "incomplete";
    }
    return r;
  }

  /* A reported "passed" stays; a reported "completed" does not fall back to "incomplete"
     (unticking an attempt after finishing does not take the completion back). */
  function latch(previous, next) {
    if (previous === "passed") { return "passed"; }
    if (previous === "completed" && next === "incomplete") { return "completed"; }
    return next;
  }

  /* The LMS's SCORM 1.2 API: `API` on this window or a parent, then on the opener and its
     parents; at most 10 levels up each way (ADL's search stops at 7). Cross-origin frames
     on the way are skipped. */
  function findAPI(win) {
    function search(w) {
      for (var tries = 0; w && tries <= 10; tries++) {
        try {
          if (w.API && typeof w.API.LMSInitialize === "function") { return w.API; }
        } catch (e) { /* a cross-origin frame: look further up */ }
        var parent = null;
        try { parent = w.parent; } catch (e) { return null; }
        if (!parent || parent === w) { return null; }
        w = parent;
      }
      return null;
    }
    var api = search(win);
    if (!api) {
      try {
        if (win.opener) { api = search(win.opener); }
      } catch (e) { /* a closed or cross-origin opener */ }
    }
    return api;
  }

  /* CMITimespan: HHHH:MM:SS.SS */
  function timespan(ms) {
    var centis = Math.max(0, Math.round(ms / 10));
    var hours = Math.min(9999, Math.floor(centis / 360000));
    var minutes = Math.floor(centis / 6000) % 60;
    var seconds = Math.floor(centis / 100) % 60;
    var rest = centis % 100;
    return (hours < 10 ? "0" : "") + hours + ":" + pad(minutes) + ":" + pad(seconds) + "." + pad(rest);
  }

  var codec = {
    LIMIT: LIMIT,
    encodeProgress: encodeProgress,
    decodeProgress: decodeProgress,
    assess: assess,
    latch: latch,
    findAPI: findAPI,
    timespan: timespan,
    dayCode: dayCode,
    dayFromCode: dayFromCode
  };

  if (typeof module === "object" && module && module.exports) {
    module.exports = codec;
    return;
  }
  if (typeof document === "undefined") { return; }

  var doc = document;
  var html = doc.documentElement;

  /* The words of the page's language, as salesbook.js reads them (docs/themes.md). */
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

  function guard(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (e) {
        if (global.console) { global.console.error("salesbook LMS runtime:", e); }
      }
    };
  }

  /* ------------------------------------------------------------ the launch page */

  function launch() {
    var dataNode = doc.getElementById("sb-lms-data");
    var data = JSON.parse(dataNode ? dataNode.textContent : "{}");
    var steps = data.steps || [];
    var siteKey = encodeURIComponent(html.getAttribute("data-salesbook-site") || "");
    var PRACTICE = "salesbook:practice:" + siteKey + ":";
    var READ = "salesbook:read:" + siteKey + ":";
    var QUIZ = "salesbook:quiz:" + siteKey + ":";
    var sequence = [data.overview].concat(steps.map(function (s) { return s.path; }));
    var byPath = {};
    steps.forEach(function (step) { byPath[step.path] = step; });
    var started = Date.now();

    /* -------- the LMS connection */
    var api = findAPI(global);
    var connected = false;
    var message = "";
    if (api) {
      try {
        var ok = api.LMSInitialize("");
        connected = ok === true || String(ok) === "true" || String(api.LMSGetLastError()) === "101";
        if (!connected) {
          message = say("lms.no_session", { error: String(api.LMSGetLastError()) });
        }
      } catch (e) {
        message = say("lms.unreachable");
      }
    }

    function get(element) {
      try {
        var v = api.LMSGetValue(element);
        return v === null || v === undefined ? "" : String(v);
      } catch (e) {
        return "";
      }
    }

    var readOnly = false;
    var keepSuspend = false;
    var notesShortened = false;
    var reportedStatus = "";
    var reportedScore = "";
    var lastSuspend = "";
    var lastLocation = "";
    var dirty = false;
    var commitTimer = null;
    var finished = false;
    var mastery = typeof data.mastery_score === "number" ? data.mastery_score : null;
    var quiz = {};
    /* The practice log as salesbook.js stores it: key -> string (in memory; the LMS keeps it). */
    var items = {};
    /* The frame of the track's pages, and what redraws the page (set up at DOMContentLoaded). */
    var frame = null;
    var drawers = [];
    function draw() { drawers.forEach(function (fn) { guard(fn)(); }); }

    function set(element, value) {
      if (!connected || readOnly || finished) { return; }
      try {
        var ok = api.LMSSetValue(element, value);
        if (!(ok === true || String(ok) === "true") && global.console) {
          global.console.warn("salesbook LMS runtime: LMSSetValue(" + element + ") failed: error " + api.LMSGetLastError());
        }
      } catch (e) { /* an LMS that throws: nothing more to do */ }
      dirty = true;
    }

    function commit() {
      if (commitTimer) { clearTimeout(commitTimer); commitTimer = null; }
      if (!connected || finished || !dirty) { return; }
      dirty = false;
      try { api.LMSCommit(""); } catch (e) { /* ignore */ }
    }

    function scheduleCommit() {
      if (commitTimer) { clearTimeout(commitTimer); }
      commitTimer = setTimeout(guard(commit), 250);
    }

    if (connected) {
      readOnly = get("cmi.core.lesson_mode") === "review";
      reportedStatus = get("cmi.core.lesson_status");
      reportedScore = get("cmi.core.score.raw");
      lastSuspend = get("cmi.suspend_data");
      lastLocation = get("cmi.core.lesson_location");
      /* A mastery score the LMS holds (from the manifest, or set by its administrator)
         wins over the package's own, for a track with quiz questions to score. */
      var lmsMastery = parseFloat(get("cmi.student_data.mastery_score"));
      var hasQuiz = steps.some(function (s) { return s.quiz && s.quiz.length; });
      if (!isNaN(lmsMastery) && hasQuiz) { mastery = lmsMastery; }
      var state = decodeProgress(data, lastSuspend);
      if (state === null) {
        keepSuspend = true;
        message = say("lms.unreadable");
        state = { logs: {}, read: {}, quiz: {} };
      }
      Object.keys(state.logs).forEach(function (ref) {
        items[PRACTICE + ref] = JSON.stringify(state.logs[ref]);
      });
      Object.keys(state.read).forEach(function (ref) { items[READ + ref] = state.read[ref]; });
      quiz = state.quiz;
      seedQuizAnswers();
      if (reportedStatus === "not attempted" || reportedStatus === "") {
        set("cmi.core.lesson_status", "incomplete");
        reportedStatus = "incomplete";
        commit();
      }
    }

    /* The quiz answers kept in the suspend data, as salesbook.js stores them, so a track
       page scores every exercise ("7 of 9 right") with the numbers assess() reports. */
    function seedQuizAnswers() {
      steps.forEach(function (step) {
        var given = quiz[step.ref];
        if (!given || !step.quiz) { return; }
        var kept = {};
        step.quiz.forEach(function (right, j) {
          if (answered(given[j])) { kept[j + 1] = { choice: given[j], right: sameAnswer(given[j], right) }; }
        });
        if (!isEmpty(kept)) { items[QUIZ + step.ref] = JSON.stringify(kept); }
      });
    }

    /* -------- the store the pages use instead of localStorage */

    function keys() { return Object.keys(items).sort(); }

    var storage = {
      getItem: function (key) {
        return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null;
      },
      setItem: function (key, value) {
        var text = String(value);
        if (items[key] === text) { return; }
        items[key] = text;
        if (key.indexOf(PRACTICE) === 0 || key.indexOf(READ) === 0) { changed(); }
      },
      removeItem: function (key) {
        if (!Object.prototype.hasOwnProperty.call(items, key)) { return; }
        delete items[key];
        if (key.indexOf(PRACTICE) === 0 || key.indexOf(READ) === 0) { changed(); }
      },
      key: function (index) { var all = keys(); return index < all.length ? all[index] : null; },
      get length() { return keys().length; }
    };

    /* Where the progress is read from: the LMS's store when connected, else localStorage. */
    function source() {
      if (connected) { return storage; }
      try { return global.localStorage; } catch (e) { return storage; }
    }

    function currentState() {
      var from = source();
      var state = { logs: {}, read: {}, quiz: quiz };
      steps.forEach(function (step) {
        var raw = null;
        try { raw = from.getItem((step.kind === "exercise" ? PRACTICE : READ) + step.ref); } catch (e) { raw = null; }
        if (raw === null) { return; }
        if (step.kind === "exercise") {
          try {
            var log = JSON.parse(raw);
            if (log && Array.isArray(log.attempts)) {
              state.logs[step.ref] = {
                attempts: log.attempts.map(function (a) {
                  var kept = {
                    done: !!(a && a.done === true),
                    date: a && typeof a.date === "string" ? a.date : null,
                    notes: a && typeof a.notes === "string" ? a.notes : ""
                  };
                  if (a && Array.isArray(a.rubric)) { kept.rubric = a.rubric; }
                  return kept;
                })
              };
              if (Array.isArray(log.reviews)) { state.logs[step.ref].reviews = plainEntries(log.reviews); }
            }
          } catch (e) { /* a damaged log counts as none */ }
        } else {
          state.read[step.ref] = raw;
        }
      });
      return state;
    }

    /* Stored reviews as the codec takes them. */
    function plainEntries(list) {
      return list.map(function (r) {
        return {
          done: !!(r && r.done === true),
          date: r && typeof r.date === "string" ? r.date : null,
          notes: r && typeof r.notes === "string" ? r.notes : ""
        };
      });
    }

    /* Something changed: write what the LMS should know, commit soon, redraw. */
    function changed() {
      var state = currentState();
      if (connected && !readOnly) {
        if (!keepSuspend) {
          var encoded = encodeProgress(data, state, data.suspend_data_limit || LIMIT);
          notesShortened = encoded.truncated;
          if (encoded.text !== null && encoded.text !== lastSuspend) {
            set("cmi.suspend_data", encoded.text);
            lastSuspend = encoded.text;
          }
        }
        var result = assess(data, state, mastery);
        var status = latch(reportedStatus, result.status);
        if (status !== reportedStatus) {
          set("cmi.core.lesson_status", status);
          reportedStatus = status;
        }
        if (result.score !== null && String(result.score) !== reportedScore) {
          set("cmi.core.score.min", "0");
          set("cmi.core.score.max", "100");
          set("cmi.core.score.raw", String(result.score));
          reportedScore = String(result.score);
        }
        if (dirty) { scheduleCommit(); }
      }
      draw();
    }

    /* -------- paths of the frame */

    var base = "";
    try { base = new URL(".", global.location.href).href; } catch (e) { base = ""; }

    function pathOf(href) {
      if (!base || typeof href !== "string" || href.indexOf(base) !== 0) { return null; }
      var rest = href.slice(base.length).split(/[?#]/)[0];
      try { rest = decodeURIComponent(rest); } catch (e) { /* keep as is */ }
      if (rest === "" || rest.charAt(rest.length - 1) === "/") { rest += "index.html"; }
      return rest;
    }

    function answer(href, number, choice) {
      var step = byPath[pathOf(href)];
      if (!step || !step.quiz || number < 1 || number > step.quiz.length) { return; }
      if (!answered(choice) || quizCode(choice) === "-") { return; }
      var answers = (quiz[step.ref] || []).slice();
      while (answers.length < step.quiz.length) { answers.push(null); }
      if (quizCode(answers[number - 1]) === quizCode(choice)) { return; }
      answers[number - 1] = choice;
      quiz[step.ref] = answers;
      changed();
    }

    function answers(href) {
      var step = byPath[pathOf(href)];
      return step && quiz[step.ref] ? quiz[step.ref].slice() : [];
    }

    /* What the LMS has may lag behind its own suspend data (a session that ended before
       its last commit): bring status and score in line now. */
    if (connected) { changed(); }

    global.SalesbookLMS = {
      connected: connected,
      storage: connected ? storage : undefined,
      answer: guard(answer),
      answers: function (href) { try { return answers(href); } catch (e) { return []; } }
    };

    /* -------- leaving */

    function finish() {
      if (finished || !connected) { return; }
      /* Notes still being typed in the frame: their page saves them on `change`. */
      try {
        var frameDoc = frame && frame.contentDocument;
        if (frameDoc) {
          Array.prototype.forEach.call(frameDoc.querySelectorAll("textarea"), function (t) {
            t.dispatchEvent(new Event("change"));
          });
        }
      } catch (e) { /* nothing to flush */ }
      if (!readOnly) {
        set("cmi.core.exit", "suspend");
        set("cmi.core.session_time", timespan(Date.now() - started));
      }
      dirty = true;
      commit();
      finished = true;
      try { api.LMSFinish(""); } catch (e) { /* the LMS is going away too */ }
    }
    /* Not on beforeunload: a page of the LMS may still cancel leaving then. */
    global.addEventListener("pagehide", guard(finish));
    global.addEventListener("unload", guard(finish));

    /* -------- the page */


    function stepState(step, state) {
      if (step.kind === "exercise") {
        var log = state.logs[step.ref];
        var done = 0;
        for (var i = 0; i < step.attempts; i++) {
          if (log && log.attempts[i] && log.attempts[i].done) { done++; }
        }
        if (done >= step.attempts) { return { name: "done", text: say("lms.done") }; }
        if (done > 0) { return { name: "started", text: say("track.attempts", { n: done, count: step.attempts }) }; }
        return { name: "new", text: say("practice.not_started") };
      }
      return state.read[step.ref] ? { name: "done", text: say("lms.opened") } : { name: "new", text: "" };
    }

    function statusText() {
      if (!connected) {
        return message || say("lms.offline");
      }
      var known = ["incomplete", "completed", "passed", "failed", "browsed"];
      var label = known.indexOf(reportedStatus) >= 0 ? say("lms.status." + reportedStatus) : reportedStatus;
      var text = say("lms.saved", { state: label });
      if (reportedScore !== "") {
        text += say("lms.score", { score: reportedScore });
        if (mastery !== null) { text += say("lms.mastery", { mastery: mastery }); }
      }
      text += ".";
      if (readOnly) { text = say("lms.review"); }
      return (message ? message + " " : "") + text;
    }

    function setup() {
      frame = doc.getElementById("sb-lms-frame");
      var links = Array.prototype.slice.call(doc.querySelectorAll("a[data-lms-step]"));
      var prev = doc.querySelector("[data-lms-prev]");
      var next = doc.querySelector("[data-lms-next]");
      var position = doc.querySelector("[data-lms-position]");
      var status = doc.getElementById("sb-lms-status");
      var alert = doc.getElementById("sb-lms-alert");
      var contents = doc.querySelector("details.lms-contents");
      var current = -1;
      var currentPath = null;

      if (contents && global.matchMedia && global.matchMedia("(max-width: 47.99rem)").matches) {
        contents.open = false;
      }

      function go(index) {
        if (!frame || index < 0 || index >= sequence.length) { return; }
        try {
          frame.contentWindow.location.assign(new URL(sequence[index], base).href);
        } catch (e) {
          frame.src = sequence[index];
        }
      }

      function titleOf(index) {
        return index === 0 ? say("lms.overview") : steps[index - 1] ? steps[index - 1].title : "";
      }

      drawers.push(function () {
        var state = currentState();
        links.forEach(function (link) {
          var index = parseInt(link.getAttribute("data-lms-step"), 10);
          var here = sequence[index] === currentPath;
          if (here) { link.setAttribute("aria-current", "page"); } else { link.removeAttribute("aria-current"); }
          var step = steps[index - 1];
          var slot = link.parentNode && link.parentNode.querySelector("[data-lms-step-state]");
          if (step && slot) {
            var s = stepState(step, state);
            slot.textContent = s.text;
            link.parentNode.setAttribute("data-state", s.name);
          }
        });
        if (prev) {
          prev.disabled = current <= 0 && currentPath === sequence[0];
          var prevTitle = prev.querySelector("[data-lms-title]");
          if (prevTitle) { prevTitle.textContent = current > 0 ? titleOf(current - 1) : say("lms.overview"); }
        }
        if (next) {
          next.disabled = current >= sequence.length - 1;
          var nextTitle = next.querySelector("[data-lms-title]");
          if (nextTitle) { nextTitle.textContent = current < sequence.length - 1 ? titleOf(current + 1) : ""; }
        }
        if (position) {
          position.textContent = current > 0
            ? say("lms.step_of", { n: current, total: steps.length })
            : current === 0 ? say("lms.overview") : currentPath === data.workbook ? say("lms.workbook") : "";
        }
        if (status) { status.textContent = statusText(); }
        if (alert) {
          alert.textContent = notesShortened
            ? say("lms.notes_cut")
            : "";
          alert.hidden = !notesShortened;
        }
      });

      if (prev) {
        prev.addEventListener("click", guard(function () { go(current > 0 ? current - 1 : 0); }));
      }
      if (next) { next.addEventListener("click", guard(function () { go(current + 1); })); }

      if (frame) {
        frame.addEventListener("load", guard(function () {
          var path = null;
          try { path = pathOf(frame.contentWindow.location.href); } catch (e) { path = null; }
          currentPath = path;
          current = sequence.indexOf(path);
          var step = byPath[path];
          if (step && step.kind !== "exercise") {
            var from = source();
            try {
              if (!from.getItem(READ + step.ref)) { from.setItem(READ + step.ref, today()); }
            } catch (e) { /* storage refused */ }
          }
          if (connected && path && path !== lastLocation && path.length <= 255) {
            set("cmi.core.lesson_location", path);
            lastLocation = path;
            scheduleCommit();
          }
          draw();
        }));
        var start = sequence.indexOf(lastLocation) !== -1 || lastLocation === data.workbook
          ? lastLocation
          : data.overview;
        frame.src = start;
      }
      if (!connected) {
        global.addEventListener("storage", guard(function (event) {
          if (event.key === null || event.key.indexOf("salesbook:") === 0) { draw(); }
        }));
      }
      draw();
    }

    if (doc.readyState === "loading") {
      doc.addEventListener("DOMContentLoaded", guard(setup));
    } else {
      guard(setup)();
    }
  }

  /* ------------------------------------------------------------ a page inside the package */

  function closest(node, selector) {
    while (node && node.nodeType === 1) {
      if (node.matches && node.matches(selector)) { return node; }
      node = node.parentNode;
    }
    return null;
  }

  function page() {
    var host = null;
    try {
      if (global.parent && global.parent !== global && global.parent.SalesbookLMS) {
        host = global.parent.SalesbookLMS;
      }
    } catch (e) { host = null; }
    if (!host) { return; }
    html.classList.add("sb-in-lms");
    if (!host.connected) { return; }
    html.classList.add("sb-lms-connected");
    /* salesbook.js keeps the practice log here instead of in localStorage. */
    global.salesbookStorage = host.storage;

    /* Quiz answers go to the launch page when the learner checks them. */
    doc.addEventListener("click", guard(function (event) {
      var button = closest(event.target, ".quiz-check");
      var fieldset = button && closest(button, "fieldset.quiz-question");
      if (!fieldset) { return; }
      var number = parseInt(button.getAttribute("data-question"), 10) ||
        parseInt((fieldset.id || "").replace(/^\D+/, ""), 10);
      var inputs = Array.prototype.slice.call(fieldset.querySelectorAll("input[type=radio], input[type=checkbox]"));
      var ticked = [];
      inputs.forEach(function (r, i) { if (r.checked) { ticked.push(i); } });
      var multiple = fieldset.hasAttribute("data-right");
      if (number > 0 && ticked.length) { host.answer(global.location.href, number, multiple ? ticked : ticked[0]); }
    }), true);

    doc.addEventListener("DOMContentLoaded", guard(function () {
      var help = doc.querySelector("[data-practice-help]");
      if (help) {
        help.textContent = say("practice.lms_help");
      }
      /* Answers given before come back, checked. */
      host.answers(global.location.href).forEach(function (choice, i) {
        if (!answered(choice)) { return; }
        var fieldset = doc.getElementById("sb-quiz-" + (i + 1));
        if (!fieldset) { return; }
        var inputs = fieldset.querySelectorAll("input[type=radio], input[type=checkbox]");
        var button = fieldset.querySelector(".quiz-check");
        var positions = Array.isArray(choice) ? choice : [choice];
        if (!positions.every(function (p) { return inputs[p]; })) { return; }
        Array.prototype.forEach.call(inputs, function (input, p) { input.checked = positions.indexOf(p) !== -1; });
        if (button) { button.click(); }
      });
    }));
  }

  if (html.hasAttribute("data-lms-launch")) {
    guard(launch)();
  } else {
    guard(page)();
  }
})(typeof window !== "undefined" ? window : this);
