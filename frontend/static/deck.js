// Deck upload with a progress bar. The deck page's form works without this file (a multipart POST); with it,
// the chosen PDF is sent as the body of a PUT to the deck API with XMLHttpRequest, whose upload events feed
// the <progress> element. Same origin, so the session cookie goes along and the cross-origin check passes.
// Messages come from the page (data-msg-* attributes, in the page's language) or from the API's answer (in
// the language the request negotiated, which is the page's). No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";
  var form = document.getElementById("deck-form");
  if (!form || !window.XMLHttpRequest || !window.FormData || !("upload" in new XMLHttpRequest())) {
    return; // the plain form stays in charge
  }
  var input = document.getElementById("deck-file");
  var box = document.getElementById("deck-progress-box");
  var bar = document.getElementById("deck-progress");
  var text = document.getElementById("deck-progress-text");
  var errorBox = document.getElementById("deck-error");
  var button = form.querySelector('button[type="submit"]');
  var returnField = form.querySelector('input[name="return"]');
  var busy = false;

  function showError(msg) {
    errorBox.textContent = msg;
    errorBox.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  function clearError() {
    errorBox.textContent = "";
    errorBox.hidden = true;
    input.removeAttribute("aria-invalid");
  }

  function setProgress(pct) {
    bar.value = pct;
    text.textContent = pct + "%";
  }

  function done() {
    busy = false;
    button.disabled = false;
  }

  form.addEventListener("submit", function (e) {
    var file = input.files && input.files[0];
    if (!file) {
      return; // let the browser say the field is required
    }
    e.preventDefault();
    if (busy) {
      return;
    }
    clearError();
    var flash = document.querySelector(".flash");
    if (flash) {
      flash.hidden = true; // the notice of the previous upload no longer describes what happens now
    }
    if (file.size === 0) {
      showError(form.dataset.msgEmpty);
      return;
    }
    if (file.size > Number(form.dataset.maxBytes)) {
      showError(form.dataset.msgTooLarge);
      return;
    }
    busy = true;
    button.disabled = true;
    setProgress(0);
    box.hidden = false;

    var xhr = new XMLHttpRequest();
    xhr.open("PUT", form.dataset.api);
    xhr.setRequestHeader("Content-Type", "application/pdf");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable && ev.total > 0) {
        setProgress(Math.floor((ev.loaded / ev.total) * 100));
      }
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 201) {
        setProgress(100);
        // The same one-time notice the plain form's redirect leaves (the server accepts only known ids).
        document.cookie = "pf_flash=flash.deck_uploaded; path=/; max-age=60; samesite=lax";
        window.location.assign(returnField ? returnField.value : window.location.pathname);
        return;
      }
      done();
      box.hidden = true;
      var msg = "";
      try {
        msg = JSON.parse(xhr.responseText).error || "";
      } catch (err) {
        msg = "";
      }
      if (xhr.status === 401) {
        // The session ended: the plain form shows the sign-in page and brings the person back.
        form.submit();
        return;
      }
      showError(msg || form.dataset.msgFailed);
    });
    function failed() {
      done();
      box.hidden = true;
      showError(form.dataset.msgNetwork);
    }
    xhr.addEventListener("error", failed);
    xhr.addEventListener("abort", failed);
    xhr.addEventListener("timeout", failed);
    xhr.send(file);
  });
})();
