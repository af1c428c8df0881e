// A table wider than the screen scrolls inside its .table-responsive wrapper. A
// keyboard user must be able to reach and scroll it (axe: scrollable-region-focusable),
// so a wrapper that really scrolls becomes a focusable, named region.
(function () {
  "use strict";
  function label(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var section = wrapper.closest("section");
    var heading = section && section.querySelector("h1, h2, h3, h4");
    return heading ? heading.textContent.trim() : document.title;
  }
  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      var scrolls = wrapper.scrollWidth > wrapper.clientWidth;
      if (scrolls && !wrapper.hasAttribute("tabindex")) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", label(wrapper));
        wrapper.dataset.scrollMarked = "1";
      } else if (!scrolls && wrapper.dataset.scrollMarked) {
        ["tabindex", "role", "aria-label", "data-scroll-marked"].forEach(function (name) {
          wrapper.removeAttribute(name);
        });
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
