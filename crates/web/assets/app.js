// Roadshow's page script, and the pages work without it: it remembers the reader's time
// zone (from the browser) so that times are shown in it, reloading once the first time.
(function () {
  "use strict";
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    var has = document.cookie.split(";").some(function (c) { return c.trim().indexOf("rs_tz=") === 0; });
    if (!has) {
      document.cookie = "rs_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
      var shown = document.documentElement.getAttribute("data-zone");
      if (shown && shown !== zone && !sessionStorage.getItem("rs_tz_reloaded")) {
        sessionStorage.setItem("rs_tz_reloaded", "1");
        location.reload();
      }
    }
  } catch (e) { /* no cookies or no Intl: the page keeps its guess */ }
})();

// "Insert" next to a policy the directory suggests puts its citation into the answer
// being written (without the script, the citation is shown to copy).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button[data-cite]");
  if (!button) return;
  var area = document.getElementById(button.getAttribute("data-cite-target"));
  if (!area) return;
  var cite = button.getAttribute("data-cite");
  var at = typeof area.selectionStart === "number" ? area.selectionStart : area.value.length;
  var before = area.value.slice(0, at);
  var gap = before && !/\s$/.test(before) ? " " : "";
  area.value = before + gap + cite + area.value.slice(at);
  area.focus();
  var caret = (before + gap + cite).length;
  area.setSelectionRange(caret, caret);
});
