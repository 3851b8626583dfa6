// The rubric form's running weight total: the server checks that the weights add up to 100; this only tells
// the organizer as they type. Without JavaScript the page shows the total of the saved rubric.
(function () {
  var form = document.getElementById("rubric-form");
  var out = document.getElementById("rubric-total");
  if (!form || !out) return;
  function update() {
    var sum = 0;
    form.querySelectorAll(".rubric-weight").forEach(function (el) {
      var i = el.id.slice("weight-".length);
      var rm = document.getElementById("remove-" + i);
      var v = parseFloat((el.value || "").replace(",", "."));
      if (!isNaN(v) && !(rm && rm.checked)) sum += v;
    });
    sum = Math.round(sum * 1000) / 1000;
    var ok = Math.abs(sum - 100) < 1e-6;
    // Written with the page's decimal mark, as the server writes it: 90,5 on a French page.
    var text = String(sum).replace(".", out.dataset.decimal || ".");
    out.textContent = ok ? out.dataset.ok : out.dataset.off.replace("%s", text);
    out.className = ok ? "" : "form-error";
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
