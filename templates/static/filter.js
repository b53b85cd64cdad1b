// Progressive enhancement for /van-ban/: filter the list by kind, year and issuer.
// Without JavaScript the whole list stays visible. No inline script, so a strict CSP holds.
(function () {
  "use strict";
  var form = document.getElementById("bo-loc");
  var list = document.getElementById("danh-sach-van-ban");
  if (!form || !list) return;
  var status = form.querySelector(".filter-status");
  var selects = form.querySelectorAll("select[data-filter]");
  var items = list.querySelectorAll("li.doc-item");

  function readQuery() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var value = params.get(select.name);
      if (value !== null) select.value = value;
    });
  }

  function apply() {
    var wanted = {};
    var params = new URLSearchParams();
    selects.forEach(function (select) {
      wanted[select.dataset.filter] = select.value;
      if (select.value) params.set(select.name, select.value);
    });
    var shown = 0;
    items.forEach(function (item) {
      var visible = Object.keys(wanted).every(function (key) {
        return !wanted[key] || item.dataset[key] === wanted[key];
      });
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    status.textContent = "Hiển thị " + shown + " / " + items.length + " văn bản.";
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : window.location.pathname);
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  readQuery();
  apply();
})();
