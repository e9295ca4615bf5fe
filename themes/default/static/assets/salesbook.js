/* salesbook — built-in theme script.
   Progressive enhancement only: every page works without it.
   For now it only marks that JavaScript is available; the practice log,
   quiz check and search are added by later versions of this file. */
(function () {
  "use strict";
  try {
    document.documentElement.classList.add("js");
  } catch (e) {
    /* never break the page */
  }
})();
