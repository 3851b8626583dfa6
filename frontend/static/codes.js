// The print button of the voter codes sheet. The button ships hidden, so a browser without JavaScript shows no
// button that does nothing (its own print menu prints the sheet); this file reveals it and prints on click. A
// file of our own origin, not inline script: the CSP forbids inline script.
(function () {
  "use strict";
  var button = document.getElementById("print-sheet");
  if (!button || typeof window.print !== "function") {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
})();
