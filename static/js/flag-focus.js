// Moves keyboard and screen-reader focus to a new warning-sign alert, so it is read first.
(function () {
  "use strict";
  function focusAlert() {
    var alert = document.querySelector("[data-focus-on-load]");
    if (alert) {
      alert.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusAlert);
  } else {
    focusAlert();
  }
})();
