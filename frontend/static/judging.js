// The judge's pages. Every page works without this script: the scoring form posts and the server answers with
// the next page. Here:
//
// Typing a score's digits on a keyboard: with a number button of a criterion focused, typing "7" picks 7 and
// "1" then "0" within a moment picks 10. Arrow keys (the browser's own radio-group keys) and Tab keep working.
//
// Scores that survive a bad network. Each save of the scoring form (the autosave after a change, and each
// button) is written to localStorage first ("pitchfest.score.<entry>", the latest one of an entry replacing the
// one before), then sent with fetch, and forgotten once the server has answered. When the network fails, or the
// server is down, the score stays in the browser, the page says "Not saved yet — retrying", and it is sent
// again when the browser is back online, every little while, and on the next visit to any judge's page. The
// server stays the judge of what counts: a judge has one score per entry, so a draft saved twice is one draft
// and a score submitted twice is one submitted score (sent again unchanged, it changes nothing), whether the
// first answer arrived or was lost on the way. What the server refuses (the round closed meanwhile, a value
// missing) is said on the page, never dropped in silence: on the form itself the page is posted as without
// this script, so it comes back with its error summary; from another page the refusal is written at the top.
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
  var form = document.getElementById("score-form");
  if (!sync || !window.fetch) return; // not a judge's page, or a browser that posts the form itself
  if (form && !form.hasAttribute("data-editable")) form = null;
  // Where saves wait: localStorage, or this page's memory in a browser that refuses it (private modes).
  var local = null, mem = {};
  try { local = window.localStorage; local.getItem(PREFIX); } catch (e) { local = null; }
  var busy = false, again = false, retry = null, delay = 5000, mine = {}, autosave = null;

  function read(entry) {
    try { return JSON.parse(mem[entry] || (local && local.getItem(PREFIX + entry))); } catch (e) { return null; }
  }
  function keep(item) {
    var v = JSON.stringify(item);
    try {
      if (local) {
        local.setItem(PREFIX + item.entry, v);
        delete mem[item.entry];
        return;
      }
    } catch (e) { /* full: kept in memory */ }
    mem[item.entry] = v;
  }
  // forget removes item once answered, unless a newer save of its entry has replaced it meanwhile; it says
  // whether nothing of that entry is left to send.
  function forget(item) {
    var cur = read(item.entry);
    if (cur && cur.id === item.id) {
      if (local) local.removeItem(PREFIX + item.entry);
      delete mem[item.entry];
    }
    return !read(item.entry);
  }
  function waiting() {
    var out = Object.keys(mem), cur = form && form.dataset.entry;
    for (var i = 0; local && i < local.length; i++) {
      var k = local.key(i);
      if (k && k.indexOf(PREFIX) === 0 && out.indexOf(k.slice(PREFIX.length)) < 0) out.push(k.slice(PREFIX.length));
    }
    // The entry on screen first.
    return out.sort(function (a, b) { return (b === cur) - (a === cur); });
  }
  function here(item) { return !!form && form.dataset.entry === item.entry; }

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

  // capture is the form's state as a save to send: its fields and the button pressed ("autosave" for none).
  function capture(action) {
    var fields = [];
    new FormData(form).forEach(function (v, k) { if (k !== "action") fields.push([k, String(v)]); });
    var prev = read(form.dataset.entry);
    // A change after a submit that is still unsent keeps it a submit, as the server keeps a submitted score
    // submitted when it changes.
    if (action === "autosave" && prev && (prev.action === "submit" || prev.action === "next")) action = "submit";
    var item = { entry: form.dataset.entry, ref: form.dataset.ref, url: form.getAttribute("action"), action: action, fields: fields,
      id: Date.now() + "-" + Math.random().toString(36).slice(2) };
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
        location.assign(to);
        return false;
      }
      if (!mine[item.id]) say(item, "sent");
      return true;
    }
    // Refused: the round closed, a value is missing, the entry is no longer the judge's…
    forget(item);
    if (here(item) && !read(item.entry)) {
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
    if (navigator.onLine === false) { say(read(form.dataset.entry), "pending"); return; }
    flush();
  }

  if (form) {
    var pending = read(form.dataset.entry);
    if (pending) {
      restore(pending);
      say(pending, "pending");
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
})();
