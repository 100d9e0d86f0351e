// The staff pages that follow the live exchange (the moderator's console, an official's
// questions). Each live event names the question it moved: the page fetches that one card
// (data-card, "{id}" replaced) and puts it where the whole page would — in the section its
// data-section names, at the place its data-sort gives — and counts the sections as cards
// come and go. A card someone is working on (focus inside, an action panel open, text
// typed) is left as it is. The whole page is read again only when the stream says events
// were missed, a card's section is not on the page yet, many cards moved at once, or a
// count may be off (then at most every 30 seconds).
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.EventSource || !window.DOMParser) return;
  var slugs = (root.getAttribute("data-slugs") || "").split(" ").filter(Boolean);
  var seq = root.getAttribute("data-seq") || "";
  var cardUrl = root.getAttribute("data-card") || "";
  var follow = (root.getAttribute("data-follow") ||
    "question_submitted question_approved question_updated question_removed question_voted question_answered question_pinned").split(" ");
  var status = document.getElementById("connection");
  var MANY = 40;
  var wanted = {}, timer = null, busy = false, whole = false, stale = false;

  function typedIn(card) {
    return Array.prototype.some.call(card.querySelectorAll("textarea, input[type=text], input:not([type])"), function (f) {
      return f.value !== f.defaultValue;
    });
  }
  function inUse(card) {
    return card.contains(document.activeElement) || card.querySelector("details.mod-more[open]") !== null || typedIn(card);
  }
  function consoleRoot() { return document.getElementById("console"); }
  function sectionOf(name) { return name ? document.getElementById("section-" + name) : null; }
  function count(section, delta) {
    var badge = section && section.querySelector("h2 .badge");
    if (!badge) return;
    var n = parseInt(badge.textContent, 10);
    if (!isNaN(n)) badge.textContent = String(Math.max(0, n + delta));
  }
  function emptyNote(section) {
    var note = section && section.querySelector(".mod-empty");
    var list = section && section.querySelector("ol.mod-list");
    if (note && list) note.hidden = list.children.length > 0;
  }

  // Puts a fetched card (or, with none, takes the question off the page); false when the
  // page has no place for it.
  function place(id, fresh, isNew) {
    var current = document.getElementById("q-" + id);
    if (current && inUse(current)) return true;
    var from = current ? sectionOf(current.getAttribute("data-section")) : null;
    if (current) { current.remove(); count(from, -1); emptyNote(from); }
    if (!fresh) return true;
    var section = sectionOf(fresh.getAttribute("data-section"));
    var list = section && section.querySelector("ol.mod-list");
    if (!list) return false;
    // A question that was not on the page may have been counted where it was.
    if (!current && !isNew) stale = true;
    count(section, 1);
    var key = fresh.getAttribute("data-sort") || "";
    var before = null;
    for (var c = list.firstElementChild; c; c = c.nextElementSibling) {
      if ((c.getAttribute("data-sort") || "") > key) { before = c; break; }
    }
    var max = parseInt(list.getAttribute("data-max"), 10) || Infinity;
    // Past the last card a full section shows: counted, not shown (as the page does).
    if (before || list.children.length < max) {
      list.insertBefore(fresh, before);
      while (list.children.length > max) list.removeChild(list.lastElementChild);
    }
    emptyNote(section);
    return true;
  }

  function fetchCard(id, isNew) {
    return fetch(cardUrl.replace("{id}", encodeURIComponent(id)), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) {
        if (r.status === 404) return place(id, null, isNew) || (whole = true);
        if (!r.ok) { wanted[id] = isNew; return null; } // busy or failing: again later
        return r.text().then(function (html) {
          var card = new DOMParser().parseFromString(html, "text/html").body.querySelector("li.mod-question");
          if (!card || !place(id, card, isNew)) whole = true;
        });
      })
      .catch(function () { wanted[id] = isNew; });
  }

  // The whole page again, keeping the cards being worked on and open sections open.
  function refreshWhole() {
    return fetch(location.pathname + location.search, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var current = consoleRoot();
        if (!html || !current) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("console");
        if (!fresh) return;
        Array.prototype.forEach.call(current.querySelectorAll(".mod-question"), function (card) {
          var twin = fresh.querySelector("#" + CSS.escape(card.id));
          if (twin && inUse(card)) twin.replaceWith(card);
        });
        Array.prototype.forEach.call(current.querySelectorAll("details.mod-section"), function (d) {
          var twin = fresh.querySelector("#" + CSS.escape(d.id));
          if (twin) twin.open = d.open;
        });
        current.replaceWith(fresh);
        stale = false;
      })
      .catch(function () { whole = true; });
  }

  function flush() {
    timer = null;
    if (busy) return;
    var ids = Object.keys(wanted);
    var news = wanted;
    wanted = {};
    busy = true;
    var work;
    if (whole || ids.length > MANY || !cardUrl) {
      whole = false;
      work = refreshWhole();
    } else {
      work = ids.reduce(function (chain, id) {
        return chain.then(function () { return fetchCard(id, news[id]); });
      }, Promise.resolve());
    }
    work.then(done, done);
  }
  function done() {
    busy = false;
    if (whole || Object.keys(wanted).length) schedule(1000);
  }
  function schedule(delay) {
    if (timer) return;
    timer = setTimeout(flush, delay || 250);
  }
  function want(id, isNew) {
    if (!id) return;
    wanted[id] = wanted[id] || !!isNew;
    schedule();
  }

  function onEvent(e) {
    if (e.type === "refresh") { whole = true; schedule(); return; }
    var d = null;
    try { d = JSON.parse(e.data); } catch (x) { /* handled below */ }
    if (!d) { whole = true; schedule(); return; }
    if (e.type === "question_pinned") {
      Array.prototype.forEach.call(document.querySelectorAll("#console .mod-question.pinned"), function (c) { want(c.id.slice(2)); });
      if (d.id) want(String(d.id));
      return;
    }
    // A vote moves only a card on the page (one past a full section waits for the next
    // whole read).
    if (e.type === "question_voted" && !document.getElementById("q-" + d.id)) return;
    if (d.id) want(String(d.id), e.type === "question_submitted");
    if (d.merged_into) want(String(d.merged_into));
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
    follow.concat(["refresh"]).forEach(function (kind) { source.addEventListener(kind, onEvent); });
    // How many watch the stream now, measured by the players (staff streams only).
    var watching = document.getElementById("watching");
    if (watching) {
      source.addEventListener("watching", function (ev) {
        var d;
        try { d = JSON.parse(ev.data); } catch (e) { return; }
        watching.hidden = false;
        watching.textContent = watching.getAttribute("data-label") + ": " + d.watching_now;
        watching.setAttribute("data-count", String(d.watching_now));
      });
    }
  });
  setInterval(function () { if (stale) { whole = true; schedule(); } }, 30000);
})();
