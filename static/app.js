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
