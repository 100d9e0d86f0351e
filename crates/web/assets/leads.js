// The leads board: drag a card to another column to move the lead. Each card also has a
// form with a stage list and a button, which is what keyboards and screen readers use
// and what works without this script.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) return;
  var csrf = board.getAttribute("data-csrf");
  var dragged = null;
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
    var stage = column.getAttribute("data-stage");
    var id = dragged.getAttribute("data-lead");
    if (dragged.getAttribute("data-current") === stage) return;
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    body.set("stage", stage);
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
      if (r.ok || r.redirected) {
        window.location.reload();
      } else {
        window.location.href = "/admin/leads/" + encodeURIComponent(id);
      }
    });
  });
})();
