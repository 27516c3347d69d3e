/* Chợ Việt: small enhancements over pages that work without JavaScript.
   - search box autocomplete (ARIA 1.2 combobox with a listbox popup)
   - filter panels collapse on phones and apply on change */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments, self = this;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function setupAutocomplete(form) {
    var input = form.querySelector("input[type=search]");
    var endpoint = form.getAttribute("data-autocomplete");
    if (!input || !endpoint || !window.fetch) return;
    var list = document.createElement("ul");
    list.id = input.id + "-goi-y";
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gợi ý tìm kiếm");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var active = -1, lastQuery = "", controller = null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(text) {
      input.value = text;
      close();
      form.submit();
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function render(suggestions) {
      list.innerHTML = "";
      active = -1;
      if (!suggestions.length) { close(); return; }
      suggestions.forEach(function (text, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = text;  /* text, never HTML */
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(text); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    var lookup = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      if (q === lastQuery) return;
      lastQuery = q;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(endpoint + "?q=" + encodeURIComponent(q), controller ? { signal: controller.signal } : {})
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) render(data.suggestions || []); })
        .catch(function () { /* offline or aborted: the plain form still works */ });
    }, 150);

    input.addEventListener("input", function () { lastQuery = lastQuery === input.value.trim() ? "" : lastQuery; lookup(); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(list.querySelectorAll("li")[active].textContent); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function setupFilters() {
    var narrow = window.matchMedia && window.matchMedia("(max-width: 899px)").matches;
    document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (d) {
      if (narrow) d.open = false;
    });
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      if (narrow) return; /* on phones people tick several boxes, then press Áp dụng */
      form.addEventListener("change", function (e) {
        if (e.target && e.target.name === "page") return;
        form.submit();
      });
    });
  }

  document.querySelectorAll("form[data-autocomplete]").forEach(setupAutocomplete);
  setupFilters();
})();
