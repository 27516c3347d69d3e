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

    /* A suggestion with a url opens it (the product, the producer); plain text searches. */
    function choose(item) {
      input.value = item.text;
      close();
      if (item.url) window.location.assign(item.url);
      else form.submit();
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    var shown = [];
    var kindLabels = { producer: form.getAttribute("data-producer-label") || "cơ sở" };

    function render(suggestions) {
      list.innerHTML = "";
      active = -1;
      shown = suggestions;
      if (!suggestions.length) { close(); return; }
      suggestions.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.text;  /* text, never HTML */
        if (kindLabels[item.kind]) {
          var kind = document.createElement("span");
          kind.className = "suggestion-kind";
          kind.textContent = " " + kindLabels[item.kind];
          li.appendChild(kind);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
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
        .then(function (data) {
          if (input.value.trim() !== q) return;
          render(data.items || (data.suggestions || []).map(function (t) { return { text: t }; }));
        })
        .catch(function () { /* offline or aborted: the plain form still works */ });
    }, 150);

    input.addEventListener("input", function () { lastQuery = lastQuery === input.value.trim() ? "" : lastQuery; lookup(); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(shown[active]); }
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

/* Issue 14.4, the buying path on a phone:
   - the header's cart count, read from the gio_hang_sl cookie (the page itself stays the same
     for every visitor, so it can be cached; see orders/public_views.py _sync_cart_count)
   - "Thêm vào giỏ hàng" sent by fetch: the buyer stays on the page, the answer is read out
     politely; an answer that is not ours (an expired page, a 404) falls back to the plain post
   - the product page's actions follow in a bar at the bottom once they scroll away (phones)
   - province → ward lists follow the chosen province (checkout and the producer profile),
     with a filter box above lists of 100 wards or more */
(function () {
  "use strict";

  function cartCount(name) {
    var found = document.cookie.split(";").map(function (c) { return c.trim(); })
      .filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    var value = found ? found.slice(name.length + 1) : "";
    return /^[0-9]{1,3}$/.test(value) ? parseInt(value, 10) : 0;
  }

  function showCount(count) {
    document.querySelectorAll("[data-cart-link-header]").forEach(function (link) {
      var badge = link.querySelector("[data-cart-count]");
      if (count === undefined) count = cartCount(link.getAttribute("data-cart-cookie") || "gio_hang_sl");
      if (badge) { badge.textContent = String(count); badge.hidden = !count; }
      /* Read out as "Giỏ hàng, 2 sản phẩm": the visible words first, then the count. */
      var spoken = link.querySelector("[data-cart-spoken]");
      var words = count ? (link.getAttribute("data-label-some") || "").replace("{n}", String(count))
                        : link.getAttribute("data-label-none");
      if (spoken) spoken.textContent = words || "";
    });
    document.querySelectorAll("[data-cart-link]").forEach(function (p) { p.hidden = !count; });
  }

  function say(status, message, isError) {
    if (!status) return;
    status.textContent = "";
    status.classList.toggle("order-status-error", !!isError);
    status.classList.toggle("order-status-ok", !isError);
    /* Emptied first, then filled: the same words twice are read out twice. */
    setTimeout(function () { status.textContent = message; }, 50);
  }

  function setupAddToCart(form) {
    if (!window.fetch || !window.FormData) return;
    var box = form.closest(".order-box") || form.parentNode;
    var status = box.querySelector("[data-cart-status]");
    var input = form.querySelector("input[name='quantity']");
    var busy = false;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (busy) return;
      busy = true;
      form.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      })
        .then(function (r) {
          var type = r.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") !== 0) { form.submit(); return null; }
          return r.json().then(function (data) { return { ok: r.ok, data: data }; });
        })
        .then(function (answer) {
          if (!answer) return;
          if (answer.ok) {
            if (input) { input.removeAttribute("aria-invalid"); input.classList.remove("input-error"); }
            showCount(typeof answer.data.count === "number" ? answer.data.count : undefined);
            say(status, answer.data.message, false);
          } else {
            if (input) { input.setAttribute("aria-invalid", "true"); input.classList.add("input-error"); }
            say(status, answer.data.message, true);
          }
        })
        .catch(function () { say(status, form.getAttribute("data-msg-offline") || "", true); })
        .then(function () { busy = false; form.removeAttribute("aria-busy"); });
    });
  }

  function setupStickyActions(bar) {
    var actions = document.querySelector("[data-buy-actions]");
    if (!actions || !window.IntersectionObserver) return;
    var phone = window.matchMedia("(max-width: 899px)");
    new IntersectionObserver(function (entries) {
      var entry = entries[0];
      var gone = !entry.isIntersecting && entry.boundingClientRect.bottom < 0;
      bar.hidden = !(gone && phone.matches);
      document.body.classList.toggle("has-sticky-actions", !bar.hidden);
    }).observe(actions);
  }

  /* Vietnamese without tone marks, lower case: "Xã Đồng Văn" → "xa dong van". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  }

  var LONG_LIST = 100;

  function setupWardFilter(ward) {
    var label = ward.getAttribute("data-filter-label");
    if (!label) return null;
    var wrap = document.createElement("div");
    wrap.className = "ward-filter";
    var id = ward.id + "-loc";
    var lab = document.createElement("label");
    lab.className = "label";
    lab.htmlFor = id;
    lab.textContent = label;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "input";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", ward.id);
    wrap.appendChild(lab);
    wrap.appendChild(input);
    var group = ward.closest(".form-group") || ward;
    group.parentNode.insertBefore(wrap, group);
    var all = [];
    function remember() {
      all = Array.prototype.slice.call(ward.options, 1).map(function (o) { return [o.value, o.text]; });
      wrap.hidden = all.length < LONG_LIST;
      input.value = "";
    }
    input.addEventListener("input", function () {
      var q = fold(input.value.trim());
      var chosen = ward.value;
      var placeholder = ward.options[0];
      ward.innerHTML = "";
      ward.appendChild(placeholder);
      all.forEach(function (w) {
        if (!q || fold(w[1]).indexOf(q) !== -1 || w[0] === chosen) ward.appendChild(new Option(w[1], w[0], false, w[0] === chosen));
      });
    });
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
    remember();
    return remember;
  }

  function setupWards(province) {
    var url = province.getAttribute("data-wards-url");
    var ward = document.getElementById(province.getAttribute("data-ward-select"));
    if (!url || !ward || !window.fetch) return;
    var form = province.form;
    var button = form && form.querySelector("button[value='chon-tinh']");
    var wardsFor = form && form.querySelector("input[name='wards_for']");
    var hint = form && form.querySelector("[data-province-hint]");
    /* The Enter key must send the form, not press the province button. */
    if (button) button.remove();
    if (hint) hint.remove();
    var refilter = setupWardFilter(ward);
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
          if (refilter) refilter();
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          ward.disabled = false;
        });
    });
  }

  showCount();
  /* Back from the cart with the browser's back button: the page comes from its cache. */
  window.addEventListener("pageshow", function () { showCount(); });
  document.querySelectorAll("form[data-cart-add]").forEach(setupAddToCart);
  document.querySelectorAll("[data-sticky-actions]").forEach(setupStickyActions);
  document.querySelectorAll("select[data-wards-url]").forEach(setupWards);
})();
