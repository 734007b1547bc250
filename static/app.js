// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Subject kind: show the identity fields that apply to an individual or an organisation.
  var kind = document.getElementById("subject_kind");
  if (!kind) { return; }
  var individual = ["subject_birth_date", "subject_nationality", "subject_occupation"];
  var organisation = ["subject_representative", "subject_representative_title"];
  function toggle() {
    var isIndividual = kind.value === "individual";
    individual.forEach(function (id) { var el = document.getElementById(id); if (el) { el.closest(".field").hidden = !isIndividual; } });
    organisation.forEach(function (id) { var el = document.getElementById(id); if (el) { el.closest(".field").hidden = isIndividual; } });
  }
  kind.addEventListener("change", toggle);
  toggle();
});

// A form sent once: disable its submit buttons while the page loads the answer.
document.addEventListener("submit", function (event) {
  var form = event.target;
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
      b.disabled = true;
    });
  }, 0);
}, true);

// Coming back to a page from the history: enable its buttons again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[disabled]").forEach(function (b) { b.disabled = false; });
});
