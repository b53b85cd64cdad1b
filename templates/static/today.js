// True every day: the static pages carry the build day's "Hôm nay", countdowns ("còn N ngày"),
// "Sắp tới", running phases ("Đang triển khai") and the calendar's highlighted day. When the
// reader's day in the site's time zone is later than the build day, this recomputes them from the
// data the build wrote (#du-lieu-hom-nay, data-day, data-phase-start/-end). Without JavaScript the
// build day's text stays, and it is true on the day the site was built (it is rebuilt daily).
(function () {
  "use strict";
  var source = document.getElementById("du-lieu-hom-nay");
  if (!source || !window.Intl) return;
  var data;
  try { data = JSON.parse(source.textContent); } catch (error) { return; }

  // The reader's day in the site's time zone, as "YYYY-MM-DD".
  function readerDay() {
    var parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: data.timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }
  function dayNumber(iso) {  // days since 1970-01-01 of a "YYYY-MM-DD" day (UTC: no DST games)
    var p = iso.split("-");
    return Math.round(Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000);
  }
  var today = readerDay();
  if (today <= data.today) return;  // the page is of today (or the reader's clock is behind it)
  var now = dayNumber(today);

  // "Hôm nay: Thứ Tư, 15/01/2025" (the weekday as the build writes it, from the same CLDR names).
  var p = today.split("-");
  var weekday = new Intl.DateTimeFormat("vi", { weekday: "long", timeZone: "UTC" })
    .format(new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])));
  weekday = weekday.charAt(0).toUpperCase() + weekday.slice(1);
  document.querySelectorAll("[data-today]").forEach(function (element) {
    element.textContent = "Hôm nay: " + weekday + ", " + p[2] + "/" + p[1] + "/" + p[0];
  });

  // Countdowns; "Sắp tới" keeps the days from today to today + upcomingDays.
  document.querySelectorAll("[data-day]").forEach(function (item) {
    var counter = item.querySelector("[data-countdown]");
    if (!counter) return;
    var days = dayNumber(item.getAttribute("data-day")) - now;
    var list = item.parentNode;
    var limit = list.hasAttribute("data-upcoming") ? +list.getAttribute("data-upcoming") : Infinity;
    item.hidden = days < 0 || days > limit;
    if (days === 0) {
      counter.textContent = "";
      var strong = document.createElement("strong");
      strong.textContent = "hôm nay";
      counter.appendChild(strong);
    } else {
      counter.textContent = "còn " + days + " ngày";
    }
  });

  // Phases: running when start <= today <= end (an empty bound is open).
  function running(item) {
    var start = item.getAttribute("data-phase-start"), end = item.getAttribute("data-phase-end");
    return (!start || start <= today) && (!end || today <= end);
  }
  document.querySelectorAll("[data-phases] > li").forEach(function (item) { item.hidden = !running(item); });
  document.querySelectorAll(".timeline > li[data-phase-start]").forEach(function (item) {
    var end = item.getAttribute("data-phase-end");
    var state = running(item) ? "running" : (end && end < today ? "past" : "future");
    item.className = state;
    var badge = item.querySelector(".badge-running");
    if (badge) badge.hidden = state !== "running";
    var past = item.querySelector(".badge-past");
    if (state === "past" && !past) {
      past = document.createElement("span");
      past.className = "badge badge-past";
      past.textContent = "Đã qua";
      item.querySelector(".phase-when").appendChild(document.createTextNode(" "));
      item.querySelector(".phase-when").appendChild(past);
    }
  });

  // Lists that may have emptied, and their "nothing today" notes.
  document.querySelectorAll("[data-when-empty]").forEach(function (note) {
    var list = note.parentNode.querySelector("[data-phases], [data-upcoming]");
    if (list) note.hidden = list.querySelector("li:not([hidden])") !== null;
  });

  // The calendar's highlighted day.
  document.querySelectorAll(".month-grid td.today, .month-list li.today").forEach(function (cell) {
    cell.classList.remove("today");
  });
  document.querySelectorAll("[data-today-mark]").forEach(function (mark) { mark.remove(); });
  document.querySelectorAll('.month-grid td[data-day="' + today + '"], .month-list li[data-day="' + today + '"]')
    .forEach(function (cell) { cell.classList.add("today"); });
})();
