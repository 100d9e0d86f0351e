// The stream on the live and replay pages: Roadshow's player for HLS (hls.js, served by
// Roadshow with its worker) with a language menu made from the stream's audio tracks and
// a captions menu from its subtitles; provider embeds whose players say when they play;
// the interpreters' own streams as a choice of source; and the heartbeats that measure
// viewing (every 60 s while the picture plays in a visible tab, and once on hiding it).
(function () {
  "use strict";
  var dataEl = document.getElementById("player-data");
  if (!dataEl) return;
  var data;
  try { data = JSON.parse(dataEl.textContent); } catch (e) { return; }
  var S = data.strings || {};
  var CADENCE = 60000;
  var video = document.getElementById("player-video");
  var frame = document.getElementById("player-frame");
  var audioSel = document.getElementById("player-audio");
  var capSel = document.getElementById("player-captions");
  var status = document.getElementById("player-status");
  var storeKey = "roadshow-audio-" + data.slug;
  var hls = null;
  var playing = false;
  var timer = null;
  var audioLang = null;
  var captionLang = null;
  var lastReceipt = null;
  // A replay's uploaded captions are <track> elements of the video; the menu lists them.
  var nativeCaptions = !!(video && video.querySelector("track[kind=subtitles]"));

  function remembered() {
    try { return window.localStorage.getItem(storeKey); } catch (e) { return null; }
  }
  function remember(lang) {
    try { window.localStorage.setItem(storeKey, lang || ""); } catch (e) { /* private mode */ }
  }
  function primary(tag) { return String(tag || "").toLowerCase().split("-")[0]; }

  // ---- heartbeats
  function position() { return video ? Math.max(0, Math.floor(video.currentTime || 0)) : null; }
  function beat(leaving) {
    if (!data.beats) return;
    var body = JSON.stringify({
      session_id: data.session_id,
      mode: data.mode,
      position_s: position(),
      audio_language: audioLang,
      caption_language: captionLang
    });
    var url = "/events/" + encodeURIComponent(data.slug) + "/heartbeats?csrf=" + encodeURIComponent(data.csrf);
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(url, new Blob([body], { type: "application/json" }));
      return;
    }
    fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: !!leaving,
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: body
    }).then(function (r) { return r.json(); })
      .then(function (receipt) { lastReceipt = receipt; })
      .catch(function () { /* the next beat says it again */ });
  }
  function visible() { return document.visibilityState === "visible"; }
  function setPlaying(now) {
    if (now === playing) return;
    playing = now;
    if (timer) { clearInterval(timer); timer = null; }
    if (playing && visible()) {
      beat(false);
      timer = setInterval(function () { if (playing && visible()) beat(false); }, CADENCE);
    } else if (!playing) {
      beat(true);
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (!playing) return;
    if (visible()) {
      beat(false);
      if (!timer) timer = setInterval(function () { if (playing && visible()) beat(false); }, CADENCE);
    } else {
      if (timer) { clearInterval(timer); timer = null; }
      beat(true);
    }
  });
  window.addEventListener("pagehide", function () { if (playing) beat(true); });

  // ---- Roadshow's player
  function fillAudio(tracks, current) {
    if (!audioSel) return;
    audioSel.textContent = "";
    tracks.forEach(function (t, i) {
      var o = document.createElement("option");
      o.value = String(i);
      o.textContent = t.name || t.lang || (S["player-default-track"] + " " + (i + 1));
      if (t.lang) o.lang = t.lang;
      audioSel.appendChild(o);
    });
    audioSel.value = String(current);
    audioSel.disabled = tracks.length < 2;
  }
  function pickAudio(tracks) {
    var want = remembered();
    var i;
    if (want) {
      for (i = 0; i < tracks.length; i++) if (primary(tracks[i].lang) === primary(want)) return i;
    }
    for (i = 0; i < tracks.length; i++) if (primary(tracks[i].lang) === data.lang) return i;
    for (i = 0; i < tracks.length; i++) if (tracks[i]["default"]) return i;
    return 0;
  }
  function fillCaptions(tracks) {
    if (!capSel) return;
    capSel.textContent = "";
    var off = document.createElement("option");
    off.value = "-1";
    off.textContent = S["player-captions-off"];
    capSel.appendChild(off);
    tracks.forEach(function (t, i) {
      var o = document.createElement("option");
      o.value = String(i);
      o.textContent = t.name || t.lang || String(i + 1);
      if (t.lang) o.lang = t.lang;
      capSel.appendChild(o);
    });
    capSel.value = "-1";
    capSel.disabled = tracks.length === 0;
  }

  function startHls(src) {
    if (!video) return;
    if (hls) { hls.destroy(); hls = null; }
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({ enableWorker: true, workerPath: "/assets/hls.worker.js", renderTextTracksNatively: true });
      hls.on(window.Hls.Events.AUDIO_TRACKS_UPDATED, function () {
        var tracks = hls.audioTracks || [];
        var i = pickAudio(tracks);
        if (tracks.length && hls.audioTrack !== i) hls.audioTrack = i;
        audioLang = tracks[i] ? (tracks[i].lang || null) : null;
        fillAudio(tracks, i);
      });
      hls.on(window.Hls.Events.AUDIO_TRACK_SWITCHED, function (_e, d) {
        var t = (hls.audioTracks || [])[d.id];
        audioLang = t ? (t.lang || null) : null;
        if (audioSel) audioSel.value = String(d.id);
      });
      hls.on(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, function () {
        if (nativeCaptions) return;
        fillCaptions(hls.subtitleTracks || []);
        hls.subtitleTrack = -1;
      });
      hls.on(window.Hls.Events.ERROR, function (_e, d) {
        if (d && d.fatal && status) status.textContent = S["player-error"];
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      video.setAttribute("data-engine", "hls.js");
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      // Safari plays HLS itself; its audio tracks are the media element's.
      video.src = src;
      video.setAttribute("data-engine", "native");
      var native = video.audioTracks;
      if (native && native.addEventListener) {
        native.addEventListener("addtrack", function () {
          var list = [];
          for (var k = 0; k < native.length; k++) list.push({ name: native[k].label, lang: native[k].language });
          var i = pickAudio(list);
          for (var j = 0; j < native.length; j++) native[j].enabled = j === i;
          audioLang = list[i] ? list[i].lang : null;
          fillAudio(list, i);
        });
      }
    } else if (status) {
      status.textContent = S["player-unsupported"];
    }
  }

  if (audioSel) {
    audioSel.addEventListener("change", function () {
      var i = parseInt(audioSel.value, 10);
      if (hls) {
        hls.audioTrack = i;
        var t = (hls.audioTracks || [])[i];
        audioLang = t ? (t.lang || null) : null;
      } else if (video && video.audioTracks) {
        for (var j = 0; j < video.audioTracks.length; j++) video.audioTracks[j].enabled = j === i;
        audioLang = video.audioTracks[i] ? video.audioTracks[i].language : null;
      }
      remember(audioLang);
    });
  }
  if (capSel) {
    capSel.addEventListener("change", function () {
      var i = parseInt(capSel.value, 10);
      if (nativeCaptions) {
        var n = 0;
        for (var k = 0; k < video.textTracks.length; k++) {
          var tt = video.textTracks[k];
          if (tt.kind !== "subtitles" && tt.kind !== "captions") continue;
          tt.mode = n === i ? "showing" : "disabled";
          if (n === i) captionLang = tt.language || null;
          n++;
        }
      } else if (hls) {
        hls.subtitleTrack = i;
        hls.subtitleDisplay = i >= 0;
        var t = (hls.subtitleTracks || [])[i];
        captionLang = t ? (t.lang || null) : null;
      }
      if (i < 0) captionLang = null;
    });
  }

  if (video) {
    ["playing"].forEach(function (n) { video.addEventListener(n, function () { setPlaying(true); }); });
    ["pause", "ended", "emptied"].forEach(function (n) { video.addEventListener(n, function () { setPlaying(false); }); });
    startHls(video.getAttribute("data-src"));
    if (nativeCaptions) {
      fillCaptions(Array.prototype.map.call(video.querySelectorAll("track[kind=subtitles]"), function (t) {
        return { name: t.label, lang: t.srclang };
      }));
    }
  }

  // ---- provider embeds that say when they play
  function frameOrigin() {
    try { return new URL(frame.src).origin; } catch (e) { return null; }
  }
  function listen() {
    if (!frame || !frame.contentWindow) return;
    var origin = frameOrigin();
    var p = frame.getAttribute("data-provider");
    if (p === "youtube") {
      frame.contentWindow.postMessage(JSON.stringify({ event: "listening", id: "roadshow", channel: "widget" }), origin);
    } else if (p === "vimeo") {
      ["play", "pause", "ended"].forEach(function (ev) {
        frame.contentWindow.postMessage(JSON.stringify({ method: "addEventListener", value: ev }), origin);
      });
    } else if (p === "peertube") {
      frame.contentWindow.postMessage(JSON.stringify({ method: "peertube::__ready", params: "ping" }), origin);
    }
  }
  if (frame) {
    frame.addEventListener("load", listen);
    window.addEventListener("message", function (ev) {
      if (ev.source !== frame.contentWindow || ev.origin !== frameOrigin()) return;
      var m = ev.data;
      if (typeof m === "string") { try { m = JSON.parse(m); } catch (e) { return; } }
      if (!m || typeof m !== "object") return;
      var p = frame.getAttribute("data-provider");
      if (p === "youtube") {
        var state = m.event === "onStateChange" ? m.info : (m.info && m.info.playerState);
        if (state === 1) setPlaying(true);
        else if (state === 0 || state === 2) setPlaying(false);
      } else if (p === "vimeo") {
        if (m.event === "play") setPlaying(true);
        else if (m.event === "pause" || m.event === "ended") setPlaying(false);
      } else if (p === "peertube" && m.method === "peertube::playbackStatusUpdate" && m.params) {
        setPlaying(m.params.playbackState === "playing");
      }
    });
  }

  // ---- interpreters' own streams: a choice of source
  var buttons = document.querySelectorAll(".player-sources [data-source]");
  Array.prototype.forEach.call(buttons, function (b) {
    b.addEventListener("click", function () {
      var o = (data.options || [])[parseInt(b.getAttribute("data-source"), 10)];
      if (!o) return;
      Array.prototype.forEach.call(buttons, function (x) { x.setAttribute("aria-pressed", x === b ? "true" : "false"); });
      setPlaying(false);
      if (o.kind === "hls" && video) {
        startHls(o.src);
      } else if (o.kind === "frame" && frame) {
        frame.setAttribute("data-provider", o.provider);
        frame.src = o.src;
      } else {
        window.open(o.src, "_blank", "noopener");
      }
    });
  });

  // ---- the replay's chapters: a click seeks there
  var chapters = document.querySelectorAll(".chapters [data-at]");
  Array.prototype.forEach.call(chapters, function (c) {
    c.addEventListener("click", function () {
      if (!video) return;
      video.currentTime = parseInt(c.getAttribute("data-at"), 10) || 0;
      video.play().catch(function () { /* the viewer presses play */ });
    });
  });
  if (video && chapters.length) {
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime, current = null;
      Array.prototype.forEach.call(chapters, function (c) {
        if (parseInt(c.getAttribute("data-at"), 10) <= t) current = c;
      });
      Array.prototype.forEach.call(chapters, function (c) { c.setAttribute("aria-current", c === current ? "true" : "false"); });
    });
  }
  window.roadshowPlayer = {
    hls: function () { return hls; },
    playing: function () { return playing; },
    lastReceipt: function () { return lastReceipt; }
  };
})();
