// Roadshow's only script, and the pages work without it: it remembers the reader's time
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
