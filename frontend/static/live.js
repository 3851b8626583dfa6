// The live final's screens between two polls. The stage timer counts down from what the server said was left
// when the fragment arrived (data-left-ms), measured with the browser's monotonic clock, so a device whose own
// clock is wrong still shows the room's time. A screen whose polls stop answering keeps showing the last state
// and is marked "reconnecting" (the html element gets the class "stale") until an answer comes again. Without
// this script the pages still work: the timer shows what was left as of the last answer.
(function () {
  "use strict";
  var arrived = new WeakMap(), lastAnswer = performance.now();

  function clock(ms) {
    var s = Math.ceil(Math.max(ms, 0) / 1000), m = Math.floor(s / 60);
    s %= 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var now = performance.now();
    document.querySelectorAll(".live-timer[data-left-ms]").forEach(function (el) {
      if (!arrived.has(el)) arrived.set(el, now);
      if (el.dataset.running !== "true") return;
      var left = parseInt(el.dataset.leftMs, 10) - (now - arrived.get(el));
      var c = el.querySelector(".timer-clock"), text = clock(left);
      if (c && c.textContent !== text) c.textContent = text;
      el.classList.toggle("low", left > 0 && left <= 30000);
      el.classList.toggle("over", left <= 0);
    });
    var poll = document.querySelector("[data-poll-ms]");
    if (poll) {
      var every = parseInt(poll.dataset.pollMs, 10) || 1000;
      document.documentElement.classList.toggle("stale", now - lastAnswer > 2.5 * every + 1000);
    }
  }

  // Any answer from the server, 204 "nothing new" included, shows the link works; errors and silence do not.
  document.addEventListener("htmx:after:request", function (e) {
    var ctx = e.detail && e.detail.ctx, res = ctx && ctx.response;
    var status = res && (res.status || (res.raw && res.raw.status));
    if (status && status < 500) lastAnswer = performance.now();
  });
  document.addEventListener("htmx:after:swap", tick);
  setInterval(tick, 250);
  tick();
})();
