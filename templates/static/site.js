// Small enhancements; every page works without them (buttons stay hidden without JavaScript).
(function () {
  "use strict";
  // Wide screens: the document's facts and table of contents stand open in the sidebar (on a
  // phone they stay closed, so that the text starts on the first screen).
  if (window.matchMedia && window.matchMedia("(min-width: 64rem)").matches) {
    document.querySelectorAll("details[data-wide-open]").forEach(function (box) { box.open = true; });
  }
  // "In văn bản": print the document (the print stylesheet gives the official A4 layout).
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // "Sao chép" buttons for feed URLs: the URL stays selectable in its field without them.
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var done = function () {
        button.textContent = "Đã sao chép";
        setTimeout(function () { button.textContent = "Sao chép"; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () {});
      } else {
        var field = button.parentNode.querySelector("input");
        field.select();
        if (document.execCommand("copy")) done();
      }
    });
  });
})();
