// Helpers of the record forms (templates/lkks/record_form.html); the server checks
// everything again, so a form works the same without them.
(function () {
  "use strict";

  // The desa/kelurahan choice offers only the villages of the chosen kecamatan
  // (lkks.forms.VillageSelect gives each option its data-district).
  document.querySelectorAll("select[data-follows]").forEach(function (village) {
    var district = document.getElementById(village.dataset.follows);
    if (!district) return;
    function narrow() {
      var chosen = district.value;
      Array.prototype.forEach.call(village.options, function (option) {
        var fits = !option.value || !chosen || option.dataset.district === chosen;
        option.hidden = !fits;
        option.disabled = !fits;
      });
      var selected = village.options[village.selectedIndex];
      if (selected && selected.disabled) village.value = "";
    }
    district.addEventListener("change", narrow);
    narrow();
  });

  // Whole-Rupiah amounts: the figure with its thousand separators beside the field
  // ("Rp 1.128.000.000"), as typed. The Rupiah keeps its dots in both languages.
  document.querySelectorAll("input[data-money]").forEach(function (input) {
    var hint = document.createElement("div");
    hint.className = "form-text money-hint";
    hint.id = input.id + "-money";
    hint.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", hint);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? described + " " + hint.id : hint.id);
    function show() {
      var digits = input.value.replace(/\s/g, "");
      hint.textContent = /^\d+$/.test(digits)
        ? "Rp " + digits.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".")
        : "";
    }
    input.addEventListener("input", show);
    show();
  });
})();

// A form that came back with errors: the summary at its top takes the focus, so that a
// screen reader reads it and a keyboard user starts from it.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
