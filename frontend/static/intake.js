// The intake list's selection: "select all on this page" and "clear" tick and untick the rows in place, and a
// line says how many are ticked. Without JavaScript the two are links that show the page again with every row
// ticked or none, and the bulk forms work the same. Marking ineligible mails every applicant, so it asks first.
(function () {
  var form = document.getElementById("bulk");
  if (!form) return;
  var boxes = form.querySelectorAll('input[type="checkbox"][name="id"]');
  var count = document.getElementById("bulk-count");
  function ticked() {
    var n = 0;
    boxes.forEach(function (b) { if (b.checked) n++; });
    return n;
  }
  function update() {
    // data-count is the message written for 0: its number is replaced, wherever the language puts it.
    if (count) count.textContent = count.dataset.count.replace(/\d+/, String(ticked()));
  }
  function tickAll(on) {
    return function (ev) {
      ev.preventDefault();
      boxes.forEach(function (b) { b.checked = on; });
      update();
    };
  }
  var all = document.getElementById("select-all");
  var none = document.getElementById("select-none");
  if (all) all.addEventListener("click", tickAll(true));
  if (none) none.addEventListener("click", tickAll(false));
  form.addEventListener("change", update);
  var ineligible = document.getElementById("bulk-ineligible");
  if (ineligible) {
    ineligible.addEventListener("click", function (ev) {
      var n = ticked();
      if (n > 0 && !window.confirm(ineligible.dataset.confirm.replace(/\d+/, String(n)))) ev.preventDefault();
    });
  }
  update();
})();
