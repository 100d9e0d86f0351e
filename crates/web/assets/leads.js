// The leads board: drag a card to another column to move the lead. Each card also has a
// form with a stage list and a button, which is what keyboards and screen readers use
// and what works without this script.
//
// The board follows changes live: the server's stream says when the board's revision
// moves, and the board is read again and its cards replaced, except a card the officer
// is working on (its move form open, or focus inside it), which stays as it is and is
// marked as changed; its form keeps the version it was opened with, so a save answers
// with what changed instead of overwriting it.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) return;
  var csrf = board.getAttribute("data-csrf");
  var status = document.querySelector("[data-board-status]");
  var dragged = null;
  var revision = parseInt(board.getAttribute("data-revision") || "0", 10) || 0;
  var reading = false;
  var again = false;

  function say(text) {
    if (!status || !text) return;
    status.textContent = text;
    status.hidden = false;
  }

  // A card the officer is in the middle of: its move form open, focus in it, or dragged.
  function busy(card) {
    if (card === dragged) return true;
    var box = card.querySelector("details");
    if (box && box.open) return true;
    return card.contains(document.activeElement);
  }

  function markChanged(card) {
    if (card.classList.contains("changed")) return;
    card.classList.add("changed");
    var note = document.createElement("p");
    note.className = "small card-changed";
    note.textContent = board.getAttribute("data-changed") || "";
    var heading = card.querySelector("h3");
    if (heading && heading.nextSibling) card.insertBefore(note, heading.nextSibling);
    else card.appendChild(note);
  }

  // Puts the board read anew in place of this one, column by column.
  function replace(fresh) {
    var kept = {};
    board.querySelectorAll("[data-lead]").forEach(function (card) {
      if (busy(card)) kept[card.getAttribute("data-lead")] = card;
    });
    var changed = false;
    fresh.querySelectorAll("[data-stage]").forEach(function (column) {
      var here = board.querySelector('[data-stage="' + column.getAttribute("data-stage") + '"]');
      if (!here) return;
      var nodes = [];
      Array.prototype.forEach.call(column.children, function (child) {
        var id = child.getAttribute("data-lead");
        if (id && kept[id]) {
          var old = kept[id];
          if (old.getAttribute("data-version") !== child.getAttribute("data-version")) markChanged(old);
          return;
        }
        nodes.push(document.importNode(child, true));
      });
      // Cards being worked on stay in the column they were in.
      Array.prototype.forEach.call(here.querySelectorAll("[data-lead]"), function (card) {
        var id = card.getAttribute("data-lead");
        if (kept[id]) {
          var before = nodes.length > 0 ? 1 : 0;
          nodes.splice(before, 0, card);
        }
      });
      var oldText = here.textContent;
      while (here.firstChild) here.removeChild(here.firstChild);
      nodes.forEach(function (n) { here.appendChild(n); });
      if (here.textContent !== oldText) changed = true;
    });
    return changed;
  }

  // Reads the board (with this page's filters) and shows it, one read at a time; says
  // `message`, or that others changed it unless `quiet` (after the officer's own move).
  function refresh(message, quiet) {
    if (reading) { again = true; return; }
    reading = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-board]");
        if (!fresh) return;
        var r = parseInt(fresh.getAttribute("data-revision") || "0", 10) || 0;
        if (r > revision) revision = r;
        var changed = replace(fresh);
        if (message) say(message);
        else if (changed && !quiet) say(board.getAttribute("data-updated"));
      })
      .catch(function () {})
      .then(function () {
        reading = false;
        if (again) { again = false; refresh(); }
      });
  }

  if (window.EventSource) {
    var source = new EventSource(board.getAttribute("data-stream") + "?after=" + revision);
    source.addEventListener("board", function (e) {
      var r = 0;
      try { r = JSON.parse(e.data).revision || 0; } catch (err) { r = 0; }
      if (r > revision) refresh();
    });
  }

  board.addEventListener("dragstart", function (e) {
    var card = e.target.closest("[data-lead]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.getAttribute("data-lead"));
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    board.querySelectorAll(".drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  });
  board.addEventListener("dragover", function (e) {
    var column = e.target.closest("[data-stage]");
    if (!column || !dragged) return;
    e.preventDefault();
    column.classList.add("drop-target");
  });
  board.addEventListener("dragleave", function (e) {
    var column = e.target.closest("[data-stage]");
    if (column && !column.contains(e.relatedTarget)) column.classList.remove("drop-target");
  });
  board.addEventListener("drop", function (e) {
    var column = e.target.closest("[data-stage]");
    if (!column || !dragged) return;
    e.preventDefault();
    column.classList.remove("drop-target");
    var stage = column.getAttribute("data-stage");
    var card = dragged;
    var id = card.getAttribute("data-lead");
    if (card.getAttribute("data-current") === stage) return;
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    body.set("stage", stage);
    // The version the card shows: a move based on an older one is refused.
    body.set("version", card.getAttribute("data-version") || "");
    if (stage === "lost") {
      var reason = window.prompt(board.getAttribute("data-lost-prompt") || "");
      if (!reason) return;
      body.set("lost_reason", reason);
    }
    fetch("/admin/leads/" + encodeURIComponent(id) + "/stage", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin",
    }).then(function (r) {
      if (r.status === 409) {
        refresh(board.getAttribute("data-stale"));
      } else if (r.ok || r.redirected) {
        refresh(null, true);
      } else {
        window.location.href = "/admin/leads/" + encodeURIComponent(id);
      }
    });
  });
})();
