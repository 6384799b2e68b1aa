// The main menu on small screens: the "Menu" button folds and unfolds the navigation and the account links.
// Without this script the button stays hidden and the menu is always open (conformo.css folds it only
// when the header carries the "js-nav" class set here).
(function () {
  "use strict";
  function setUp() {
    var header = document.querySelector(".topbar");
    var toggle = header && header.querySelector(".nav-toggle");
    if (!toggle) {
      return;
    }
    header.classList.add("js-nav");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("nav-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("nav-open")) {
        toggle.setAttribute("aria-expanded", "false");
        header.classList.remove("nav-open");
        toggle.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
