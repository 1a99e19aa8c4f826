// The body map: a tap on a region of the drawing ticks (or unticks) its checkbox.
// The checkboxes are the form and work alone; the drawing follows them with CSS.
(function () {
  "use strict";
  document.querySelectorAll("[data-body-map]").forEach(function (svg) {
    var fieldset = svg.closest("fieldset");
    svg.addEventListener("click", function (event) {
      var region = event.target.closest("[data-region]");
      if (!region) {
        return;
      }
      var box = fieldset.querySelector(
        'input[type="checkbox"][value="' + region.getAttribute("data-region") + '"]'
      );
      if (box) {
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });
})();
