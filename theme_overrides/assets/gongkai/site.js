/* 适老化 switches (text size, high contrast; remembered in localStorage), print buttons, keyboard drawer. */
(function () {
  "use strict";
  var root = document.documentElement;

  function remember(key, value) {
    try {
      if (value) localStorage.setItem(key, value);
      else localStorage.removeItem(key);
    } catch (e) { /* private mode: the switch still works for this page */ }
  }

  function setAttr(name, value) {
    if (value) root.setAttribute(name, value);
    else root.removeAttribute(name);
  }

  function sync() {
    var size = root.getAttribute("data-gk-size") || "";
    var high = root.getAttribute("data-gk-contrast") === "high";
    document.querySelectorAll("[data-gk-size-value]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-gk-size-value") === size));
    });
    document.querySelectorAll("[data-gk-contrast-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(high));
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-gk-size-value], [data-gk-contrast-toggle], [data-gk-print]");
    if (!button) return;
    if (button.hasAttribute("data-gk-size-value")) {
      var size = button.getAttribute("data-gk-size-value");
      setAttr("data-gk-size", size);
      remember("gongkai.size", size);
    } else if (button.hasAttribute("data-gk-contrast-toggle")) {
      var contrast = root.getAttribute("data-gk-contrast") === "high" ? "" : "high";
      setAttr("data-gk-contrast", contrast);
      remember("gongkai.contrast", contrast);
    } else {
      window.print();
    }
    sync();
  });

  document.addEventListener("keydown", function (event) {
    var label = event.target.closest && event.target.closest("[data-gk-drawer]");
    if (label && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      label.click();
    }
  });

  sync();
})();
