// The moderator's console: when a live event arrives (a new question, a vote, an answer),
// the console fetches itself again and swaps in the changed lists, leaving alone any
// question the moderator is working on (focus inside, or an action panel open).
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.EventSource || !window.DOMParser) return;
  var slug = root.getAttribute("data-slug");
  var seq = root.getAttribute("data-seq") || "0";
  var status = document.getElementById("connection");
  var timer = null, busy = false, again = false;

  function inUse(card) {
    return card.contains(document.activeElement) || card.querySelector("details.mod-more[open]") !== null;
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("console");
        if (!fresh) return;
        Array.prototype.forEach.call(fresh.querySelectorAll("details.mod-section"), function (section) {
          var old = document.getElementById(section.id);
          if (!old) return;
          section.open = old.open;
          // Keep the cards being worked on as they are.
          Array.prototype.forEach.call(section.querySelectorAll(".mod-question"), function (card) {
            var mine = document.getElementById(card.id);
            if (mine && inUse(mine)) card.replaceWith(mine);
          });
          old.replaceWith(section);
        });
      })
      .catch(function () { /* the next event tries again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  var source = new EventSource("/events/" + encodeURIComponent(slug) + "/live/stream?after=" + seq);
  function show(ok) {
    if (!status) return;
    status.hidden = false;
    status.className = "connection " + (ok ? "ok" : "lost");
    status.textContent = status.getAttribute(ok ? "data-live" : "data-lost");
  }
  source.onopen = function () { show(true); };
  source.onerror = function () { show(false); };
  ["question_submitted", "question_updated", "question_voted", "question_pinned", "question_answered"].forEach(function (kind) {
    source.addEventListener(kind, schedule);
  });
})();
