// The staff pages that follow the live exchange (the moderator's console, an official's
// questions): when a live event arrives (a new question, a vote, a routing, an answer),
// the page fetches itself again and swaps in the new lists, leaving alone any question
// someone is working on (focus inside, an action panel open, or text typed).
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.EventSource || !window.DOMParser) return;
  var slugs = (root.getAttribute("data-slugs") || "").split(" ").filter(Boolean);
  var seq = root.getAttribute("data-seq") || "";
  var status = document.getElementById("connection");
  var timer = null, busy = false, again = false;

  function typedIn(card) {
    return Array.prototype.some.call(card.querySelectorAll("textarea, input[type=text], input:not([type])"), function (f) {
      return f.value !== f.defaultValue;
    });
  }
  function inUse(card) {
    return card.contains(document.activeElement) || card.querySelector("details.mod-more[open]") !== null || typedIn(card);
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("console");
        var current = document.getElementById("console");
        if (!fresh || !current) return;
        // Keep the cards being worked on as they are, and open sections open.
        Array.prototype.forEach.call(current.querySelectorAll(".mod-question"), function (card) {
          var twin = fresh.querySelector("#" + CSS.escape(card.id));
          if (twin && inUse(card)) twin.replaceWith(card);
        });
        Array.prototype.forEach.call(current.querySelectorAll("details.mod-section"), function (d) {
          var twin = fresh.querySelector("#" + CSS.escape(d.id));
          if (twin) twin.open = d.open;
        });
        current.replaceWith(fresh);
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

  function show(ok) {
    if (!status) return;
    status.hidden = false;
    status.className = "connection " + (ok ? "ok" : "lost");
    status.textContent = status.getAttribute(ok ? "data-live" : "data-lost");
  }
  slugs.forEach(function (slug) {
    var source = new EventSource("/events/" + encodeURIComponent(slug) + "/live/stream" + (seq && slugs.length === 1 ? "?after=" + seq : ""));
    source.onopen = function () { show(true); };
    source.onerror = function () { show(false); };
    ["question_submitted", "question_updated", "question_voted", "question_pinned", "question_answered", "refresh"].forEach(function (kind) {
      source.addEventListener(kind, schedule);
    });
  });
})();
