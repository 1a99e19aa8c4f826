// The warning-sign checklist: "None of these" and the signs cannot both be ticked.
// Without JavaScript the server refuses that combination with a message; this only
// saves the person a round trip, and opens the list when a sign is ticked.
(function () {
  "use strict";
  document.querySelectorAll("[data-warning-signs]").forEach(function (fieldset) {
    var boxes = Array.prototype.slice.call(
      fieldset.querySelectorAll('input[type="checkbox"][name="warning_signs"]')
    );
    var none = boxes.filter(function (box) { return box.value === "none"; })[0];
    if (!none) {
      return;
    }
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) {
          return;
        }
        if (box === none) {
          boxes.forEach(function (other) {
            if (other !== none) { other.checked = false; }
          });
        } else {
          none.checked = false;
        }
      });
    });
  });
})();
