// Typing a score's digits on a keyboard: with a number button of a criterion focused, typing "7" picks 7 and
// "1" then "0" within a moment picks 10. Arrow keys (the browser's own radio-group keys) and Tab keep working;
// the form works without this script.
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
})();
