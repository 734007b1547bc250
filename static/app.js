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

// Date fields: the text stays dd/mm/yyyy (typed by hand, 14/11/14 works too); a button
// opens the browser's own calendar and writes the chosen day back in that format.
document.addEventListener("DOMContentLoaded", function () {
  var label = document.documentElement.lang === "en" ? "Choose a date" : "Chọn ngày";
  document.querySelectorAll("input[data-date]").forEach(function (text) {
    var picker = document.createElement("input");
    picker.type = "date";
    picker.className = "date-picker";
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "date-button";
    button.setAttribute("aria-label", label);
    button.title = label;
    // an inline SVG calendar: no emoji font needed
    button.innerHTML = '<svg aria-hidden="true" focusable="false" width="18" height="18" ' +
      'viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" ' +
      'stroke-linecap="round" stroke-linejoin="round"><rect x="3" y="5" width="18" ' +
      'height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/></svg>';
    var wrap = document.createElement("span");
    wrap.className = "date-wrap";
    text.parentNode.insertBefore(wrap, text);
    wrap.appendChild(text);
    wrap.appendChild(button);
    wrap.appendChild(picker);
    button.addEventListener("click", function () {
      var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.value.trim());
      if (m) { picker.value = m[3] + "-" + m[2].padStart(2, "0") + "-" + m[1].padStart(2, "0"); }
      if (picker.showPicker) { picker.showPicker(); } else { picker.click(); }
    });
    picker.addEventListener("change", function () {
      var p = picker.value.split("-");
      if (p.length === 3) { text.value = p[2] + "/" + p[1] + "/" + p[0]; text.focus(); }
    });
  });
});

// Long selects (the legal clauses): a search box that ignores case and Vietnamese accents.
function fold(s) {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
    .replace(/Đ/g, "D").toLowerCase();
}
document.addEventListener("DOMContentLoaded", function () {
  var english = document.documentElement.lang === "en";
  document.querySelectorAll("select[data-filter]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-filter";
    box.placeholder = english ? "Search the clauses (act, number)…" : "Tìm điều khoản (hành vi, số hiệu)…";
    box.setAttribute("aria-label", box.placeholder);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = fold(option.text);
        var show = !option.value || words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !show;
        if (show && option.value && !first) { first = option; }
      });
      if (first && select.selectedOptions.length && select.selectedOptions[0].hidden) {
        select.value = first.value;
      }
    });
  });
});

// The clause picker: what the chosen provision's text allows (warning, additional sanctions,
// remedial measures); each remedial measure of the text can be added to the form's field.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".clause-allows[data-for]").forEach(function (box) {
    var select = document.getElementById(box.getAttribute("data-for"));
    if (!select) { return; }
    var labels = JSON.parse(box.getAttribute("data-labels"));
    var remedial = select.form && select.form.querySelector("[name=remedial_measures]");
    var fine = select.form && select.form.querySelector("[name=fine_amount]");
    function show() {
      var option = select.selectedOptions[0];
      box.textContent = "";
      // the fine field shows the proposed fine of the chosen clause for the case's subject
      if (fine) { fine.placeholder = (option && option.getAttribute("data-fine")) || ""; }
      if (!option || !option.value) { box.hidden = true; return; }
      ["warning", "additional", "remedial"].forEach(function (key) {
        var line = document.createElement("div");
        line.textContent = labels[key] + ": " +
          (option.getAttribute("data-" + key) || "").split("\n").join("; ");
        box.appendChild(line);
      });
      (option.getAttribute("data-remedial-items") || "").split("\n").filter(Boolean)
        .forEach(function (text) {
          if (!remedial) { return; }
          var add = document.createElement("button");
          add.type = "button";
          add.className = "link";
          add.textContent = "+ " + text;
          add.addEventListener("click", function () {
            var now = remedial.value.trim();
            if (now.split("\n").indexOf(text) < 0) {
              remedial.value = now ? now + "\n" + text : text;
            }
            remedial.focus();
          });
          box.appendChild(add);
        });
      box.hidden = false;
    }
    select.addEventListener("change", show);
    show();
  });
});

// The report form: choosing what the report answers fills the period with the obligation's
// own (the fields stay editable).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.id !== "obligation_id" || !select.form) { return; }
  var option = select.selectedOptions[0];
  if (!option || !option.hasAttribute("data-period-start")) { return; }
  select.form.querySelector("[name=period_start]").value = option.getAttribute("data-period-start");
  select.form.querySelector("[name=period_end]").value = option.getAttribute("data-period-end");
});

// Large uploads (the registry import): send with a progress bar, then follow the answer.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-progress") || !window.FormData) { return; }
  event.preventDefault();
  var bar = form.querySelector("progress");
  var request = new XMLHttpRequest();
  request.open("POST", form.action || window.location.href);
  request.upload.addEventListener("progress", function (e) {
    if (e.lengthComputable && bar) { bar.hidden = false; bar.value = Math.round(100 * e.loaded / e.total); }
  });
  request.addEventListener("load", function () {
    if (request.responseURL && request.responseURL !== window.location.href && request.status < 400) {
      window.location.href = request.responseURL;
    } else {
      document.open(); document.write(request.responseText); document.close();
    }
  });
  request.send(new FormData(form));
});

// A web capture in progress (cases/_captures.html): ask every 3 s, reload when it ends.
document.addEventListener("DOMContentLoaded", function () {
  var marker = document.querySelector("[data-poll]");
  if (!marker || !window.fetch) { return; }
  var tries = 0;
  var timer = window.setInterval(function () {
    tries += 1;
    if (tries > 100) { window.clearInterval(timer); return; }
    fetch(marker.getAttribute("data-poll"), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.pending === 0) { window.clearInterval(timer); window.location.reload(); }
      })
      .catch(function () {});
  }, 3000);
});

// A form that failed (base.html, core.forms.failed_fields): the error summary at the top
// takes the focus; each of its links opens the panel holding its field, scrolls to the
// field's label and focuses the field. The address bar gets the page's own address (the
// form posted to another one): a reload shows the page again, never a 405.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  var page = document.body.getAttribute("data-page-url");
  if (page && window.history.replaceState) {
    var first = summary && summary.querySelector("a[href^='#']");
    var target = first && document.getElementById(first.getAttribute("href").slice(1));
    var panel = target && target.closest("[id].card");
    // after the load: a fragment set while the page loads would scroll the page to it
    window.addEventListener("load", function () {
      window.history.replaceState(null, "", page + (panel ? "#" + panel.id : ""));
    });
  }
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    for (var d = field.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      d.open = true;
    }
    // the field's label (a checkbox sits inside its own): scrolled to the top with it
    var label = (field.id && document.querySelector("label[for='" + field.id + "']")) ||
      field.closest("label");
    (label || field).scrollIntoView({block: "start"});
    field.focus({preventScroll: true});
  });
});
