// Fills the sign-up form's hidden time zone field with the browser's zone (else UTC).
(function () {
  "use strict";
  var field = document.querySelector("input[name='time_zone']");
  if (!field || field.value) {
    return;
  }
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    field.value = "";
  }
})();
