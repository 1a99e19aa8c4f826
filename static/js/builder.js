/*
 * Session builder: drag a stretch to a new place (mouse), as well as the Move up /
 * Move down buttons that work everywhere. On drop the new order is posted with a plain
 * form (#builder-reorder), so the server stays the only place that changes the order.
 */
(function () {
  "use strict";

  var list = document.getElementById("builder-steps");
  var form = document.getElementById("builder-reorder");
  if (!list || !form || list.children.length < 2) return;

  var hint = document.getElementById("builder-drag-hint");
  if (hint) hint.hidden = false;
  var dragged = null;

  Array.prototype.forEach.call(list.children, function (item) {
    var handle = item.querySelector("h3");
    if (!handle) return;
    handle.classList.add("builder-handle");
    item.setAttribute("draggable", "true");

    item.addEventListener("dragstart", function (event) {
      // Only start from the heading, so inputs and buttons keep working normally.
      if (!handle.contains(event.target) && event.target !== item) return;
      dragged = item;
      item.classList.add("routine-step--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.dataset.step);
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("routine-step--dragging");
      dragged = null;
    });
    item.addEventListener("dragover", function (event) {
      if (!dragged || dragged === item) return;
      var box = item.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? item.nextSibling : item);
    });
  });

  // Anywhere over the list is a drop target (the dragged item moves under the pointer).
  list.addEventListener("dragover", function (event) {
    if (dragged) event.preventDefault();
  });
  list.addEventListener("drop", function (event) {
    if (!dragged) return;
    event.preventDefault();
    var order = Array.prototype.map.call(list.children, function (li) {
      return li.dataset.step;
    });
    form.elements.order.value = order.join(",");
    form.submit();
  });
})();
