// Data import: a file over the size limit is refused here, before it is sent, with the
// server's own message next to the field. The server refuses it too (413); this only
// saves the wait, and a browser that would show "connection reset" for a very large
// file shows the message instead. Without JavaScript the server's page says the same.
(function () {
  "use strict";
  var input = document.querySelector("input[type=file][data-max-bytes]");
  if (!input || !input.form) return;
  var limit = Number(input.getAttribute("data-max-bytes"));
  var message = input.getAttribute("data-too-big");
  var error = null;  // made when first needed, next to the field
  input.form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (!file || file.size <= limit) {
      if (error) error.remove();
      error = null;
      return;
    }
    event.preventDefault();
    if (!error) {
      error = document.createElement("div");
      error.id = input.id + "_size_error";
      error.className = "invalid-feedback d-block";
      error.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", error);
    }
    error.textContent = message;
    input.classList.add("is-invalid");
    input.setAttribute("aria-invalid", "true");
    var described = (input.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(error.id) < 0) {
      input.setAttribute("aria-describedby", described.concat(error.id).join(" ").trim());
    }
    input.focus();
  });
})();
