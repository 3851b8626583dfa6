// The judge's pages. Every page works without this script: the scoring form posts and the server answers with
// the next page. Here:
//
// Typing a score's digits on a keyboard: with a number button of a criterion focused, typing "7" picks 7 and
// "1" then "0" within a moment picks 10. Arrow keys (the browser's own radio-group keys) and Tab keep working.
//
// Scores that survive a bad network. Each save of the scoring form (the autosave after a change, and each
// button) is written to localStorage first ("pitchfest.score.<round>.<application>.<judge>", the latest one of
// a score replacing the one before), then sent with fetch, and forgotten once the server has answered. The
// judge is part of the key and a page sends only the scores of the judge signed in, so a phone passed from one
// judge to another never sends one's score as the other's. When the network fails, or the server is down, the
// score stays in the browser, the page says "Not saved yet — retrying", and it is sent again when the browser
// is back online, every little while, and on the next visit to any judge's page. The server stays the judge of
// what counts: a judge has one score per entry, so a draft saved twice is one draft and a score submitted
// twice is one submitted score (sent again unchanged, it changes nothing, even once the pitch is locked),
// whether the first answer arrived or was lost on the way. What the server refuses (the round closed
// meanwhile, a value missing) is said on the page, never dropped in silence: on the form itself the page is
// posted as without this script, so it comes back with its error summary; from another page the refusal is
// written at the top.
//
// The live page follows the stage (see followStage below) and says when it is offline.
(function () {
  "use strict";
  var typed = "", timer = null;
  document.addEventListener("keydown", function (e) {
    var input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "radio" || input.disabled || e.ctrlKey || e.metaKey || e.altKey) return;
    var scale = input.closest(".scale");
    if (!scale || !/^[0-9]$/.test(e.key)) return;
    e.preventDefault();
    var max = parseInt(scale.dataset.max, 10);
    typed += e.key;
    if (parseInt(typed, 10) > max) typed = e.key;
    clearTimeout(timer);
    timer = setTimeout(function () { typed = ""; }, 800);
    var target = scale.querySelector('input[type="radio"][value="' + parseInt(typed, 10) + '"]');
    if (target && !target.checked) {
      target.checked = true;
      target.focus();
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (target) {
      target.focus();
    }
  });

  var PREFIX = "pitchfest.score.";
  var sync = document.getElementById("score-sync");
  var form = document.getElementById("score-form"), shown = form;
  var judge = sync && sync.getAttribute("data-judge");
  if (!sync || !judge || !window.fetch) return; // not a judge's page, or a browser that posts the form itself
  if (form && !form.hasAttribute("data-editable")) form = null;
  // Where saves wait: localStorage, or this page's memory in a browser that refuses it (private modes).
  var local = null, mem = {};
  try { local = window.localStorage; local.getItem(PREFIX); } catch (e) { local = null; }
  var busy = false, again = false, retry = null, delay = 5000, mine = {}, autosave = null;
  // leaving is set once the page is on its way to another (a save answered, a refusal posted to be shown).
  var leaving = false;
  var suffix = "." + judge, formKey = form && form.dataset.round + "." + form.dataset.application + suffix;

  function keyOf(item) { return item.round + "." + item.application + suffix; }
  function read(key) {
    try { return JSON.parse(mem[key] || (local && local.getItem(PREFIX + key))); } catch (e) { return null; }
  }
  function keep(item) {
    var v = JSON.stringify(item), key = keyOf(item);
    try {
      if (local) {
        local.setItem(PREFIX + key, v);
        delete mem[key];
        return;
      }
    } catch (e) { /* full: kept in memory */ }
    mem[key] = v;
  }
  // forget removes item once answered, unless a newer save of its score has replaced it meanwhile; it says
  // whether nothing of that score is left to send.
  function forget(item) {
    var key = keyOf(item), cur = read(key);
    if (cur && cur.id === item.id) {
      if (local) local.removeItem(PREFIX + key);
      delete mem[key];
    }
    return !read(key);
  }
  // waiting lists the keys of this judge's scores not sent yet, the one on screen first.
  function waiting() {
    var out = Object.keys(mem);
    for (var i = 0; local && i < local.length; i++) {
      var k = local.key(i), key = k && k.slice(PREFIX.length);
      if (k && k.indexOf(PREFIX) === 0 && key.slice(-suffix.length) === suffix && out.indexOf(key) < 0) out.push(key);
    }
    return out.sort(function (a, b) { return (b === formKey) - (a === formKey); });
  }
  function here(item) { return !!form && keyOf(item) === formKey; }

  // say writes what became of item's score: beside the form's buttons when it is the one on screen, else at the
  // top of the page. kind is pending, sent or refused.
  function say(item, kind, detail) {
    var text = (sync.getAttribute("data-" + kind) || "").replace("{ref}", item.ref || "") + (detail ? " " + detail : "");
    var status = here(item) && document.getElementById("save-status");
    if (status) {
      status.textContent = "";
      var span = document.createElement("span");
      span.className = kind === "refused" ? "field-error" : kind;
      span.textContent = text;
      status.appendChild(span);
      return;
    }
    sync.className = "score-sync " + kind;
    sync.textContent = text;
  }

  // fieldsOf is the form's fields as a save sends them (the button pressed aside).
  function fieldsOf() {
    var fields = [];
    new FormData(form).forEach(function (v, k) { if (k !== "action") fields.push([k, String(v)]); });
    return fields;
  }
  // capture is the form's state as a save to send: its fields and the button pressed ("autosave" for none).
  function capture(action) {
    var fields = fieldsOf(), prev = read(formKey);
    captured = JSON.stringify(fields);
    // A change after a submit that is still unsent keeps it a submit, as the server keeps a submitted score
    // submitted when it changes. "keep" (the live page's prompt) is such a change, sent as a draft save.
    if ((action === "autosave" || action === "keep") && prev && (prev.action === "submit" || prev.action === "next")) action = "submit";
    if (action === "keep") action = "draft";
    var item = { entry: form.dataset.entry, round: form.dataset.round, application: form.dataset.application, ref: form.dataset.ref,
      url: form.getAttribute("action"), action: action, fields: fields, id: Date.now() + "-" + Math.random().toString(36).slice(2) };
    mine[item.id] = true;
    return item;
  }
  // restore puts an unsent save back into the form, which the server drew as it last had it.
  function restore(item) {
    form.querySelectorAll('input[type="radio"]').forEach(function (r) { r.checked = false; });
    item.fields.forEach(function (f) {
      var el = form.querySelector('[name="' + f[0] + '"]' + (/^v\d+$/.test(f[0]) ? '[value="' + f[1] + '"]' : ""));
      if (el && el.type === "radio") el.checked = true;
      else if (el) el.value = f[1];
    });
  }

  function send(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (f) { body.append(f[0], f[1]); });
    body.append("action", item.action);
    return fetch(item.url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "HX-Request": "true", "HX-Current-URL": location.href } }).then(function (res) {
      if (res.status === 0 || res.status >= 500 || res.status === 429) return { again: true };
      return res.text().then(function (html) { return { res: res, html: html }; });
    }, function () { return { again: true }; });
  }

  // repost sends the form on screen as a plain form, so the page comes back as the server draws a refusal:
  // the error summary at the top of the form, focused, and each message beside its criterion.
  function repost(item) {
    leaving = true;
    form.setAttribute("data-native", "");
    var b = form.querySelector('button[name="action"][value="' + item.action + '"]') || form.querySelector('button[name="action"][value="draft"]');
    if (form.requestSubmit) { form.requestSubmit(b); return; }
    var h = document.createElement("input");
    h.type = "hidden"; h.name = "action"; h.value = item.action;
    form.appendChild(h);
    form.submit();
  }

  function parse(html) { return new DOMParser().parseFromString(html, "text/html"); }
  function textOf(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }

  // settle acts on the server's answer to item; false stops this round of sending (the network is down, or
  // the page is leaving).
  function settle(item, out) {
    if (out.again) {
      say(item, "pending");
      clearTimeout(retry);
      retry = setTimeout(flush, delay);
      delay = Math.min(delay * 2, 60000);
      return false;
    }
    delay = 5000;
    var res = out.res, to = res.headers.get("HX-Redirect");
    if (res.status === 401) { // signed out: kept until the judge is back
      say(item, "pending");
      if (to && here(item)) location.assign(to);
      return false;
    }
    if (item.action === "autosave" && res.ok) {
      var status = parse(out.html).getElementById("save-status");
      if (!status) return true; // not an answer about the score: kept for the next try
      var refused = status.getAttribute("data-status") === "error";
      var last = forget(item);
      if (here(item)) {
        if (last || refused) document.getElementById("save-status").replaceWith(document.importNode(status, true));
      } else {
        say(item, refused ? "refused" : "sent", refused ? textOf(status) : "");
      }
      return true;
    }
    if (res.ok && to) {
      if (forget(item) && here(item) && mine[item.id]) {
        leaving = true;
        location.assign(to);
        return false;
      }
      if (!mine[item.id]) say(item, "sent");
      return true;
    }
    // Refused: the round closed, a value is missing, the entry is no longer the judge's…
    forget(item);
    if (here(item) && !read(keyOf(item))) {
      repost(item);
      return false;
    }
    var doc = parse(out.html);
    say(item, "refused", textOf(doc.querySelector("[data-error-summary]") || doc.querySelector("main h1")));
    return true;
  }

  // flush sends what waits, one save at a time, the entry on screen first.
  function flush() {
    if (busy) { again = true; return; }
    var list = waiting();
    if (!list.length) return;
    busy = true;
    clearTimeout(retry);
    (function step(i) {
      var item = i < list.length && read(list[i]);
      if (i >= list.length) {
        busy = false;
        if (again) { again = false; flush(); }
        return;
      }
      if (!item) { step(i + 1); return; }
      send(item).then(function (out) {
        if (settle(item, out)) { step(i + 1); return; }
        busy = false;
        again = false;
      });
    })(0);
  }

  function save(action) {
    clearTimeout(autosave);
    keep(capture(action));
    if (navigator.onLine === false) { say(read(formKey), "pending"); return; }
    flush();
  }

  // captured is the form as last handed to a save (or as the server drew it): what differs from it is input
  // not sent yet.
  var captured = form ? JSON.stringify(fieldsOf()) : "";
  if (form) {
    var pending = read(formKey);
    if (pending) {
      restore(pending);
      say(pending, "pending");
      captured = JSON.stringify(fieldsOf());
    }
    form.addEventListener("submit", function (e) {
      if (form.hasAttribute("data-native")) return;
      e.preventDefault();
      var b = e.submitter;
      save(b && b.name === "action" ? b.value : "draft");
    });
    form.addEventListener("change", function () {
      clearTimeout(autosave);
      autosave = setTimeout(function () { save("autosave"); }, 600);
    });
  }
  window.addEventListener("online", flush);
  flush();
  if (document.getElementById("live-now")) followStage();

  // unsent says whether the form on screen holds something the judge would lose if the page were drawn again:
  // input not handed to a save yet, a save not sent yet, or a refusal to read.
  function unsent() {
    if (shown && shown.querySelector("[data-error-summary]")) return true;
    return !!form && (JSON.stringify(fieldsOf()) !== captured || !!read(formKey));
  }

  // followStage keeps the live page on the stage. The page polls what is on stage (#live-now, swapped when it
  // changed); the stage says which scoring form the page should show (data-form-entry) and whether it takes a
  // score (data-form-editable). When the form on the page is another, the page is drawn again from the server,
  // unless the judge has something unsent on it: then nothing is replaced, and the prompt says what is on stage
  // now, with a button that saves the input first and then goes there. The page also says when it is offline
  // (polls failing, or the browser offline): "Offline — showing the stage as of 10:42:07", the pitch marked as
  // possibly out of date, until an answer comes again.
  function followStage() {
    var note = document.getElementById("live-offline"), lastAnswer = new Date(), failed = false;
    function clock(d) {
      return [d.getHours(), d.getMinutes(), d.getSeconds()].map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
    }
    function mark() {
      var now = document.getElementById("live-now");
      var off = failed || navigator.onLine === false || Date.now() - lastAnswer.getTime() > 4000;
      document.documentElement.classList.toggle("is-offline", off);
      if (now) now.classList.toggle("stale", off);
      var text = off ? (note.getAttribute("data-text") || "").replace("{time}", clock(lastAnswer)) : "";
      if (note.textContent !== text) note.textContent = text;
    }
    function follow() {
      var now = document.getElementById("live-now"), prompt = document.getElementById("live-prompt");
      mark();
      if (!now || leaving) return;
      var want = now.getAttribute("data-form-entry") || "0", editable = now.getAttribute("data-form-editable") === "true";
      var have = shown ? shown.getAttribute("data-entry") : "0", haveEditable = !!shown && shown.hasAttribute("data-editable");
      if (want === have && editable === haveEditable) return;
      var version = now.getAttribute("data-version"), again = false;
      try {
        // Drawn again once per version: a page the server draws unlike its stage would otherwise reload forever.
        again = sessionStorage.getItem("pitchfest.live.drawn") === version;
        sessionStorage.setItem("pitchfest.live.drawn", version);
      } catch (e) { /* no session storage: drawn again all the same */ }
      if (!unsent() && !again) {
        leaving = true;
        location.replace(location.pathname);
        return;
      }
      if (prompt) prompt.hidden = false;
      var named = document.getElementById("live-score-h"); // the form is no longer the stage's: say whose it is
      if (named) named.classList.remove("visually-hidden");
    }
    // Any answer from the server, 204 "nothing new" included, shows the link works.
    document.addEventListener("htmx:after:request", function (e) {
      var ctx = e.detail && e.detail.ctx, res = ctx && ctx.response;
      var status = res && (res.status || (res.raw && res.raw.status));
      failed = !(status && status < 500);
      if (!failed) lastAnswer = new Date();
      mark();
    });
    document.addEventListener("htmx:error", function () { failed = true; mark(); });
    document.addEventListener("htmx:after:swap", follow);
    window.addEventListener("offline", mark);
    window.addEventListener("online", mark);
    setInterval(mark, 500);
    mark();
    // The prompt's button: the input on the form is saved first, as a draft (a submitted score stays
    // submitted), and the answer leads on: to the stage once saved, or to the refusal at the top of this form.
    // While it cannot be sent the page stays, saying so, and the input stays in the browser.
    document.addEventListener("click", function (e) {
      var go = e.target.closest && e.target.closest("#live-prompt-go");
      if (!go || !form) return;
      var changed = JSON.stringify(fieldsOf()) !== captured;
      if (!changed && !read(formKey)) return; // nothing to keep: the link leads to the stage
      e.preventDefault();
      if (changed) save("keep");
      else flush();
    });
  }
})();
