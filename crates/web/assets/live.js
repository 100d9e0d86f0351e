// The live page: follows the event's Server-Sent Events stream and applies each live
// event to the page, and sends the page's forms without reloading it. The page works
// without this script (forms post and redirect); this only makes it live.
(function () {
  "use strict";
  var dataEl = document.getElementById("live-data");
  if (!dataEl || !window.EventSource) return;
  var data;
  try { data = JSON.parse(dataEl.textContent); } catch (e) { return; }
  var S = data.strings;
  var list = document.getElementById("questions");
  var voted = {};
  (data.voted || []).forEach(function (id) { voted[id] = true; });
  var own = {};
  Array.prototype.forEach.call(document.querySelectorAll(".question .badge.own"), function (b) {
    var li = b.closest(".question");
    if (li) own[li.getAttribute("data-id")] = true;
  });
  var sessions = {};
  (data.sessions || []).forEach(function (s) { sessions[s.id] = s; });
  var sortMode = "popular";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  // Plural forms were rendered by the server for 0, 1 and 2; the number is swapped in.
  function plural(labels, n) {
    var key = n === 0 ? "0" : n === 1 ? "1" : "2";
    return String(labels[key]).replace(/\d+/, String(n));
  }
  function votesLabel(n) { return plural(data.votes_label, n); }
  function departmentName(d) {
    if (!d) return "";
    return data.departments[String(d.id)] || "";
  }

  // ---- questions
  function voteControl(q) {
    var wrap = el("div", "q-vote");
    if (data.participant && (q.state === "approved" || q.state === "answered")) {
      var form = el("form", "vote-form");
      form.method = "post";
      form.action = "/questions/" + q.id + "/vote";
      var csrf = el("input"); csrf.type = "hidden"; csrf.name = "csrf"; csrf.value = data.csrf;
      var up = el("input"); up.type = "hidden"; up.name = "up"; up.value = voted[q.id] ? "0" : "1";
      var b = el("button", "vote-button"); b.type = "submit";
      b.setAttribute("aria-pressed", voted[q.id] ? "true" : "false");
      b.title = voted[q.id] ? S["live-unvote"] : S["live-vote"];
      var arrow = el("span", null, "▲"); arrow.setAttribute("aria-hidden", "true");
      b.appendChild(arrow);
      b.appendChild(el("span", "count", String(q.votes)));
      b.appendChild(el("span", "sr-only", voted[q.id] ? S["live-unvote"] : S["live-vote"]));
      form.appendChild(csrf); form.appendChild(up); form.appendChild(b);
      wrap.appendChild(form);
    } else {
      var span = el("span", "vote-count");
      span.setAttribute("aria-label", votesLabel(q.votes));
      var a = el("span", null, "▲"); a.setAttribute("aria-hidden", "true");
      span.appendChild(a);
      span.appendChild(el("span", "count", String(q.votes)));
      wrap.appendChild(span);
    }
    return wrap;
  }

  function renderQuestion(q) {
    var li = el("li", "question");
    li.id = "q-" + q.id;
    li.setAttribute("data-id", q.id);
    li.setAttribute("data-votes", q.votes);
    li.setAttribute("data-created", Math.floor(Date.parse(q.created_at) / 1000) || 0);
    var isPublic = q.state === "approved" || q.state === "answered";
    if (q.pinned) li.classList.add("pinned");
    if (!isPublic) li.classList.add("private");
    li.appendChild(voteControl(q));
    var body = el("div", "q-body");
    var meta = el("p", "q-meta");
    if (q.pinned) meta.appendChild(el("span", "badge live", S["live-pinned"]));
    if (q.state === "pending") meta.appendChild(el("span", "badge", S["live-pending"]));
    if (q.state === "dismissed") meta.appendChild(el("span", "badge", S["live-dismissed"]));
    if (own[q.id]) meta.appendChild(el("span", "badge own", S["live-yours"]));
    meta.appendChild(el("span", "q-author", q.author || S["live-anonymous"]));
    body.appendChild(meta);
    var session = q.session && sessions[q.session] ? sessions[q.session].title : "";
    var dep = departmentName(q.department);
    if (session || dep) {
      var context = el("p", "q-context");
      if (session) context.appendChild(el("span", "q-session", session));
      if (session && dep) context.appendChild(document.createTextNode(" · "));
      if (dep) context.appendChild(el("span", "q-department", "→ " + dep));
      body.appendChild(context);
    }
    var text = el("p", "q-text", q.text);
    text.lang = q.lang;
    body.appendChild(text);
    var answers = el("div", "answers");
    (q.answers || []).forEach(function (a) { answers.appendChild(renderAnswer(a)); });
    body.appendChild(answers);
    li.appendChild(body);
    return li;
  }

  function renderAnswer(a) {
      var art = el("article", "answer");
      art.setAttribute("data-answer-id", a.id);
      var am = el("p", "answer-meta");
      if (a.live) { am.appendChild(el("span", "badge ok", S["live-answered-live"])); am.appendChild(document.createTextNode(" ")); }
      am.appendChild(el("strong", null, departmentName(a.department)));
      if (a.author) am.appendChild(document.createTextNode(" · " + a.author));
      art.appendChild(am);
      if (a.body_html) {
        var ab = el("div", "answer-body");
        ab.lang = a.lang;
        // body_html is Markdown rendered and sanitised by the server (ammonia).
        ab.innerHTML = a.body_html;
        // A cited policy or park shows its title in the reader's language.
        var page = document.documentElement.lang;
        ab.querySelectorAll("a.cite[data-titles]").forEach(function (link) {
          try {
            var titles = JSON.parse(link.getAttribute("data-titles"));
            if (titles[page]) { link.textContent = titles[page]; link.lang = page; }
          } catch (e) { /* keep the title as sent */ }
        });
        art.appendChild(ab);
      }
      return art;
  }

  // A live event carries what changed: a question without "answers" keeps the answers
  // shown, and "answer" brings one new answer.
  function upsertQuestion(q) {
    var fresh = renderQuestion(q);
    var old = document.getElementById("q-" + q.id);
    if (old && q.answers === undefined) {
      var kept = old.querySelector(".answers");
      var empty = fresh.querySelector(".answers");
      if (kept && empty) empty.replaceWith(kept);
    }
    if (q.answer) {
      var box = fresh.querySelector(".answers");
      if (box && !box.querySelector('[data-answer-id="' + q.answer.id + '"]')) box.appendChild(renderAnswer(q.answer));
    }
    if (old) {
      // Keep the keyboard where it was when the vote button is replaced.
      var focused = old.contains(document.activeElement);
      old.replaceWith(fresh);
      if (focused) { var b = fresh.querySelector("button"); if (b) b.focus(); }
    } else {
      list.appendChild(fresh);
      fresh.classList.add("arrived");
    }
    sortQuestions();
  }

  function removeQuestion(id) {
    var old = document.getElementById("q-" + id);
    if (old && !own[id]) old.remove();
    sortQuestions();
  }

  function sortQuestions() {
    var items = Array.prototype.slice.call(list.children);
    items.sort(function (a, b) {
      var pa = a.classList.contains("pinned") ? 1 : 0, pb = b.classList.contains("pinned") ? 1 : 0;
      if (pa !== pb) return pb - pa;
      var va = a.classList.contains("private") ? 0 : 1, vb = b.classList.contains("private") ? 0 : 1;
      if (va !== vb) return vb - va;
      if (sortMode === "recent") return (+b.getAttribute("data-id")) - (+a.getAttribute("data-id"));
      var d = (+b.getAttribute("data-votes")) - (+a.getAttribute("data-votes"));
      return d !== 0 ? d : (+a.getAttribute("data-id")) - (+b.getAttribute("data-id"));
    });
    var changed = items.some(function (item, i) { return list.children[i] !== item; });
    if (changed) items.forEach(function (item) { list.appendChild(item); });
    var none = document.getElementById("no-questions");
    if (none) none.hidden = list.children.length > 0;
  }

  function setVotes(id, votes) {
    var li = document.getElementById("q-" + id);
    if (!li) return;
    li.setAttribute("data-votes", votes);
    var count = li.querySelector(".count");
    if (count) count.textContent = String(votes);
    var vc = li.querySelector(".vote-count");
    if (vc) vc.setAttribute("aria-label", votesLabel(votes));
    sortQuestions();
  }

  function setVoted(id, on) {
    voted[id] = on;
    var li = document.getElementById("q-" + id);
    if (!li) return;
    var b = li.querySelector(".vote-button");
    var up = li.querySelector("input[name=up]");
    if (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.title = on ? S["live-unvote"] : S["live-vote"];
      var sr = b.querySelector(".sr-only");
      if (sr) sr.textContent = on ? S["live-unvote"] : S["live-vote"];
    }
    if (up) up.value = on ? "0" : "1";
  }

  function setPinned(id) {
    Array.prototype.forEach.call(list.querySelectorAll(".question.pinned"), function (li) {
      li.classList.remove("pinned");
      var badge = li.querySelector(".badge.live");
      if (badge) badge.remove();
    });
    if (id) {
      var li = document.getElementById("q-" + id);
      if (li) {
        li.classList.add("pinned");
        var meta = li.querySelector(".q-meta");
        if (meta) meta.insertBefore(el("span", "badge live", S["live-pinned"]), meta.firstChild);
      }
    }
    sortQuestions();
  }

  // ---- polls
  function localized(map) {
    if (!map) return { text: "", lang: data.lang };
    var order = [data.lang, "en", "de", "zh", "fr"];
    for (var i = 0; i < order.length; i++) {
      if (map[order[i]]) return { text: map[order[i]], lang: order[i] };
    }
    return { text: "", lang: data.lang };
  }

  function renderPoll(p) {
    var art = el("article", "card poll");
    art.id = "poll-" + p.id;
    art.setAttribute("data-id", p.id);
    var q = localized(p.question);
    var h = el("h3", null, q.text); h.lang = q.lang; h.id = "poll-" + p.id + "-q";
    art.setAttribute("aria-labelledby", h.id);
    art.appendChild(h);
    var mine = (data.choices && data.choices[String(p.id)]) || [];
    if (p.state === "open" && data.participant) {
      var form = el("form", "poll-form");
      form.method = "post";
      form.action = "/polls/" + p.id + "/vote";
      var csrf = el("input"); csrf.type = "hidden"; csrf.name = "csrf"; csrf.value = data.csrf;
      form.appendChild(csrf);
      var fs = el("fieldset");
      var lg = el("legend", "sr-only", q.text); fs.appendChild(lg);
      if (p.multiple) fs.appendChild(el("p", "small muted", S["live-poll-multiple"]));
      p.options.forEach(function (o, i) {
        var label = el("label", "check");
        var input = el("input");
        input.type = p.multiple ? "checkbox" : "radio";
        input.name = "choices";
        input.value = String(i);
        input.checked = mine.indexOf(i) >= 0;
        var t = localized(o);
        var span = el("span", null, t.text); span.lang = t.lang;
        label.appendChild(input); label.appendChild(document.createTextNode(" ")); label.appendChild(span);
        fs.appendChild(label);
      });
      form.appendChild(fs);
      form.appendChild(el("button", null, mine.length ? S["live-poll-change"] : S["live-poll-send"]));
      var st = el("p", "poll-status small", mine.length ? S["live-poll-thanks"] : "");
      st.setAttribute("role", "status");
      form.appendChild(st);
      art.appendChild(form);
    } else if (p.state !== "open") {
      art.appendChild(el("p", "small muted", S["live-poll-closed"]));
    }
    if (p.results_shown && p.counts) {
      var res = el("div", "results");
      res.appendChild(el("h4", null, S["live-poll-results"]));
      var ul = el("ul");
      var total = p.counts.reduce(function (a, b) { return a + b; }, 0) || 1;
      p.options.forEach(function (o, i) {
        var li = el("li");
        var t = localized(o);
        var span = el("span", null, t.text); span.lang = t.lang;
        li.appendChild(span);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("strong", null, String(p.counts[i] || 0)));
        var bar = el("progress"); bar.max = total; bar.value = p.counts[i] || 0;
        bar.textContent = String(p.counts[i] || 0);
        li.appendChild(bar);
        ul.appendChild(li);
      });
      res.appendChild(ul);
      if (p.voters !== null && p.voters !== undefined) res.appendChild(el("p", "small muted", plural(data.voters_label, p.voters)));
      art.appendChild(res);
    }
    return art;
  }

  function upsertPoll(p) {
    var box = document.getElementById("polls");
    if (!box) return;
    var fresh = renderPoll(p);
    var old = document.getElementById("poll-" + p.id);
    if (old) {
      // Do not throw away a choice being made: only the results part changes then.
      var form = old.querySelector("form");
      if (form && p.state === "open" && form.contains(document.activeElement)) {
        var oldRes = old.querySelector(".results"), newRes = fresh.querySelector(".results");
        if (oldRes) oldRes.remove();
        if (newRes) old.appendChild(newRes);
        return;
      }
      old.replaceWith(fresh);
    } else {
      box.insertBefore(fresh, box.firstChild);
    }
    var none = document.getElementById("no-polls");
    if (none) none.hidden = true;
  }

  // ---- the session on now
  function showSession(id) {
    var box = document.getElementById("now-on-body");
    if (!box) return;
    box.textContent = "";
    var s = id ? sessions[id] : null;
    if (!s) { box.appendChild(el("p", "muted", S["live-nothing-on"])); return; }
    var p = el("p", "now-title"); p.lang = s.lang;
    p.appendChild(el("strong", null, s.title));
    box.appendChild(p);
    box.appendChild(el("p", "small muted", s.when + (s.presenter ? " · " + s.presenter : "")));
    if (s.materials.length) {
      var ul = el("ul", "materials");
      ul.setAttribute("aria-label", S["session-materials"]);
      s.materials.forEach(function (m) {
        var li = el("li", null, "📄 ");
        var a = el("a", null, m.title); a.href = m.href;
        if (!m.file) { a.rel = "noopener noreferrer"; a.target = "_blank"; }
        li.appendChild(a);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
  }

  // ---- the stream
  var status = document.getElementById("connection");
  function connection(ok) {
    if (!status) return;
    status.hidden = false;
    status.className = "connection " + (ok ? "ok" : "lost");
    status.textContent = ok ? S["live-connection-live"] : S["live-connection-lost"];
  }
  function parse(e) { try { return JSON.parse(e.data); } catch (x) { return null; } }
  var source = new EventSource("/events/" + encodeURIComponent(data.slug) + "/live/stream?after=" + data.seq);
  source.onopen = function () { connection(true); };
  source.onerror = function () { connection(false); };
  ["question_approved", "question_updated", "question_answered"].forEach(function (kind) {
    source.addEventListener(kind, function (e) { var q = parse(e); if (q && q.text !== undefined) upsertQuestion(q); });
  });
  source.addEventListener("question_removed", function (e) { var d = parse(e); if (d) removeQuestion(d.id); });
  source.addEventListener("question_voted", function (e) { var d = parse(e); if (d) setVotes(d.id, d.votes); });
  source.addEventListener("question_pinned", function (e) { var d = parse(e); if (d) setPinned(d.id); });
  ["poll_opened", "poll_closed", "poll_results"].forEach(function (kind) {
    source.addEventListener(kind, function (e) { var p = parse(e); if (p && p.options) upsertPoll(p); });
  });
  source.addEventListener("session_changed", function (e) { var d = parse(e); if (d) showSession(d.session); });
  // Away for longer than the server keeps: what was missed is gone, so load afresh.
  source.addEventListener("refresh", function () { source.close(); window.location.reload(); });

  // ---- forms, sent without leaving the page
  function send(form) {
    return fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, status: r.status, body: body }; });
    });
  }

  function showErrors(form, body) {
    Array.prototype.forEach.call(form.querySelectorAll(".field"), function (f) {
      f.classList.remove("invalid");
      var e = f.querySelector(".error-text"); if (e) e.textContent = "";
      var c = f.querySelector("textarea,select,input"); if (c) c.removeAttribute("aria-invalid");
    });
    var statusEl = form.querySelector("[role=status]");
    var errors = (body && body.errors) || [];
    errors.forEach(function (err) {
      var control = form.querySelector("[name='" + err.field + "']");
      if (!control) return;
      var field = control.closest(".field");
      if (field) {
        field.classList.add("invalid");
        var text = field.querySelector(".error-text");
        if (text) { text.textContent = err.message; control.setAttribute("aria-describedby", text.id); }
      }
      control.setAttribute("aria-invalid", "true");
    });
    if (statusEl) statusEl.textContent = errors.length ? S["form-has-errors"] : ((body && body.detail) || "");
    var first = form.querySelector("[aria-invalid=true]");
    if (first) first.focus();
  }

  var ask = document.getElementById("ask-form");
  if (ask) {
    ask.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var button = ask.querySelector("button[type=submit]");
      button.disabled = true;
      send(ask).then(function (r) {
        button.disabled = false;
        if (r.ok) {
          own[r.body.id] = true;
          upsertQuestion(r.body);
          ask.querySelector("textarea").value = "";
          showErrors(ask, null);
          document.getElementById("ask-status").textContent = S["live-ask-sent"];
        } else {
          showErrors(ask, r.body);
        }
      }).catch(function () { button.disabled = false; ask.submit(); });
    });
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.classList.contains("vote-form")) {
      ev.preventDefault();
      var id = form.closest(".question").getAttribute("data-id");
      send(form).then(function (r) {
        if (r.ok) { setVoted(id, r.body.voted); setVotes(id, r.body.votes); }
      });
    } else if (form.classList.contains("poll-form")) {
      ev.preventDefault();
      var pollId = form.closest(".poll").getAttribute("data-id");
      send(form).then(function (r) {
        var st = form.querySelector(".poll-status");
        if (r.ok) {
          data.choices[pollId] = r.body.choices;
          if (st) st.textContent = S["live-poll-thanks"];
          var b = form.querySelector("button"); if (b) b.textContent = S["live-poll-change"];
          if (r.body.poll && r.body.poll.results_shown) upsertPoll(r.body.poll);
        } else if (st) {
          st.textContent = (r.body.errors && r.body.errors[0] && r.body.errors[0].message) || r.body.detail || "";
        }
      });
    }
  });

  // ---- sorting
  var sort = document.querySelector(".sort");
  if (sort) {
    sort.hidden = false;
    sort.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-sort]");
      if (!b) return;
      sortMode = b.getAttribute("data-sort");
      Array.prototype.forEach.call(sort.querySelectorAll("button"), function (x) {
        x.setAttribute("aria-pressed", x === b ? "true" : "false");
      });
      sortQuestions();
    });
  }
})();
