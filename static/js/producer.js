/* Chợ Việt — producer pages: enhancements over forms that work without JavaScript.
   - province → ward: the ward list follows the chosen province (no "Chọn tỉnh" reload)
   - OCOP certificate details show only once a star rating is chosen */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setupWards(province) {
    var url = province.getAttribute("data-wards-url");
    var ward = document.getElementById(province.getAttribute("data-ward-select"));
    if (!url || !ward || !window.fetch) return;
    var form = province.form;
    var button = form && form.querySelector("button[value='chon-tinh']");
    var wardsFor = form && form.querySelector("input[name='wards_for']");
    // The Enter key must save the form, not press the (hidden) province button.
    if (button) button.remove();
    var controller = null;

    province.addEventListener("change", function () {
      var code = province.value;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var placeholder = ward.options.length ? ward.options[0].text : "";
      ward.disabled = true;
      fetch(url + "?tinh=" + encodeURIComponent(code), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (r) { return r.ok ? r.json() : { wards: [] }; })
        .then(function (data) {
          ward.innerHTML = "";
          ward.appendChild(new Option(placeholder, ""));
          (data.wards || []).forEach(function (w) {
            ward.appendChild(new Option(w.name, String(w.code)));
          });
          ward.disabled = false;
          if (wardsFor) wardsFor.value = code;
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          ward.disabled = false;
        });
    });
  }

  function setupCertificate(section) {
    var stars = section.querySelector("select[name='ocop_stars']");
    if (!stars) return;
    function update() {
      var hasErrors = section.querySelector(".certificate-details .error-message");
      section.classList.toggle("no-stars", !stars.value && !hasErrors);
    }
    stars.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("select[data-wards-url]").forEach(setupWards);
  document.querySelectorAll("[data-certificate]").forEach(setupCertificate);
})();
