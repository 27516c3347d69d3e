/* Chợ Việt — producer pages: enhancements over forms that work without JavaScript.
   (province → ward, shared with the checkout, is in site.js: select[data-wards-url])
   - OCOP certificate details show only once a star rating is chosen */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

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

  document.querySelectorAll("[data-certificate]").forEach(setupCertificate);
})();
