// Progressive enhancement for Pitchfest forms, loaded from our own origin (the CSP allows no inline script).
// Without it every page still works: counters show the count as of the last save, countdowns the date.
(function () {
  "use strict";
  function counters() {
    document.querySelectorAll("[data-counter]").forEach(function (input) {
      var out = document.getElementById(input.getAttribute("data-counter"));
      if (!out || input.dataset.counterBound) return;
      input.dataset.counterBound = "1";
      var template = out.textContent.replace(/\d+/, "{n}");
      input.addEventListener("input", function () {
        out.textContent = template.replace("{n}", String(Array.from(input.value).length));
      });
    });
  }
  function countdowns() {
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var end = Date.parse(el.getAttribute("datetime"));
      var out = document.getElementById(el.getAttribute("data-countdown"));
      if (!out || isNaN(end)) return;
      var units = (out.getAttribute("data-units") || "d h min").split(" ");
      function tick() {
        var left = Math.max(0, end - Date.now());
        var d = Math.floor(left / 86400000), h = Math.floor(left / 3600000) % 24, m = Math.floor(left / 60000) % 60;
        out.textContent = d + " " + units[0] + " " + h + " " + units[1] + " " + m + " " + units[2];
      }
      tick();
      setInterval(tick, 30000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { counters(); countdowns(); });
  document.addEventListener("htmx:after:swap", counters);
})();
