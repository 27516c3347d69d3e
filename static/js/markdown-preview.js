/* Chợ Việt — the officials' Markdown fields: "Xem trước" without leaving the page.
   Without JavaScript the button submits the form, which comes back with the preview and
   every typed value (nothing is saved). Here it posts the text, with the form's CSRF token,
   to the preview endpoint (data-markdown-preview) and shows the answer beside the field.
   The HTML comes from the server's own Markdown renderer and sanitiser (nh3), the same as
   the public page's; answers without the endpoint's marker header (a sign-in page after the
   session ended, an error page) are never shown as a preview. */
(function () {
  "use strict";
  var MARKER = "X-Markdown-Preview";
  var FAILED = "Chưa xem trước được (có thể phiên đăng nhập đã hết hạn hoặc mạng chập chờn). " +
    "Nội dung bạn gõ vẫn còn nguyên; hãy thử lại.";

  function setup(box) {
    var url = box.getAttribute("data-markdown-preview");
    var button = box.querySelector(".markdown-preview-button");
    var textarea = box.querySelector("textarea");
    var panel = box.querySelector(".markdown-preview");
    var out = panel && panel.querySelector(".markdown-preview-body");
    var form = box.closest("form");
    if (!url || !button || !textarea || !out || !form || !window.fetch || !window.FormData) return;

    function show(html, isText) {
      panel.hidden = false;
      box.classList.add("has-preview");
      if (isText) {
        out.textContent = html;
      } else {
        out.innerHTML = html; // sanitised by the server (platform/markdown_render.py)
      }
    }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      var token = form.querySelector("input[name=csrf_token]");
      var body = new FormData();
      body.append("csrf_token", token ? token.value : "");
      body.append("text", textarea.value);
      button.disabled = true;
      show("Đang tạo bản xem trước…", true);
      fetch(url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (!response.headers.get(MARKER)) throw new Error("not a preview");
          return response.text();
        })
        .then(function (html) { show(html, false); })
        .catch(function () { show(FAILED, true); })
        .then(function () { button.disabled = false; });
    });
  }

  document.querySelectorAll("[data-markdown-preview]").forEach(setup);
})();
