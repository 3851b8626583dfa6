// Progressive enhancement for Pitchfest forms, loaded from our own origin (the CSP allows no inline script).
// Without it every page still works: counters show the count as of the last save, countdowns the date.
(function () {
  "use strict";
  // Loaded by the layout on every page; a page that still names it too must not bind everything twice.
  if (window.pitchfestForms) return;
  window.pitchfestForms = true;
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
      var format = out && out.getAttribute("data-format"); // the sentence, with {d}, {h} and {m} for the durations
      // Each unit's singular and plural (days, hours, minutes), with 901 for the number.
      var units = out && (out.getAttribute("data-units") || "").split("|");
      if (!format || isNaN(end) || units.length !== 6) return;
      var zeroIsOne = out.hasAttribute("data-zero-one");
      function unit(i, n) {
        return units[2 * i + (n === 1 || (n === 0 && zeroIsOne) ? 0 : 1)].replace("901", n);
      }
      function tick() {
        var left = Math.max(0, end - Date.now());
        var d = Math.floor(left / 86400000), h = Math.floor(left / 3600000) % 24, m = Math.floor(left / 60000) % 60;
        out.textContent = format.replace("{d}", unit(0, d)).replace("{h}", unit(1, h)).replace("{m}", unit(2, m));
      }
      tick();
      setInterval(tick, 30000);
    });
  }
  // Error summaries, the box at the top of a refused form (frontend/summary.go). Without this script the box is
  // already focused on arrival (autofocus) and its links jump to the fields. Here: a summary the server could
  // not list gets its list from the fields marked invalid; a link focuses its field with the field's label in
  // view, not hidden above the top of the screen; and a summary swapped in by htmx takes the focus.
  function labelOf(field) {
    var fs = field.type === "radio" || field.type === "checkbox" ? field.closest("fieldset") : null;
    var legend = fs && fs.querySelector("legend");
    if (legend) return legend;
    return field.labels && field.labels.length ? field.labels[0] : null;
  }
  function messageOf(field) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/);
    for (var i = 0; i < ids.length; i++) {
      var el = ids[i] && document.getElementById(ids[i]);
      if (el && el.classList.contains("field-error")) return el.textContent.trim();
    }
    return "";
  }
  function listInvalid(box) {
    var form = box.closest("form") || document, seen = {}, list = document.createElement("ul");
    list.className = "error-summary-list";
    form.querySelectorAll('[aria-invalid="true"][id]').forEach(function (field) {
      var key = field.name || field.id, label = labelOf(field);
      if (seen[key]) return;
      seen[key] = true;
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + field.id;
      a.textContent = [label ? label.textContent.trim() : "", messageOf(field)].filter(Boolean).join(": ");
      li.appendChild(a);
      list.appendChild(li);
    });
    if (list.children.length) box.appendChild(list);
  }
  function summaries(swapped) {
    document.querySelectorAll("[data-error-summary]").forEach(function (box) {
      if (box.dataset.summaryBound) return;
      box.dataset.summaryBound = "1";
      if (!box.querySelector("li")) listInvalid(box);
      box.addEventListener("click", function (e) {
        var a = e.target.closest('a[href^="#"]');
        var field = a && document.getElementById(a.getAttribute("href").slice(1));
        if (!field) return;
        e.preventDefault();
        (labelOf(field) || field).scrollIntoView({ block: "start" });
        field.focus({ preventScroll: true });
      });
      var active = document.activeElement;
      if (swapped || !active || active === document.body) {
        box.focus({ preventScroll: true });
        box.scrollIntoView({ block: "start" });
      }
    });
  }
  // A list grouped by another field's value (districts by province) shows only the chosen value's group; a choice
  // left in a hidden group is cleared. Without this script every group stays listed under its heading.
  function groupFilters() {
    document.querySelectorAll("select[data-filter-by]").forEach(function (sel) {
      var by = document.getElementById(sel.getAttribute("data-filter-by"));
      if (!by || sel.dataset.filterBound) return;
      sel.dataset.filterBound = "1";
      function apply() {
        sel.querySelectorAll("optgroup[data-group]").forEach(function (g) {
          var off = by.value !== "" && g.getAttribute("data-group") !== by.value;
          g.hidden = off;
          g.disabled = off;
          if (off && g.contains(sel.selectedOptions[0])) sel.value = "";
        });
      }
      by.addEventListener("change", apply);
      apply();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { counters(); countdowns(); summaries(false); groupFilters(); });
  document.addEventListener("htmx:after:swap", function () { counters(); summaries(true); groupFilters(); });
})();
