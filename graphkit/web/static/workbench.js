/* graphkit workbench: sortable, paged tables and the review queue's keys. No network access of
   its own; text is only ever moved as DOM nodes, never parsed as HTML. */
(function () {
  "use strict";

  function setUpTable(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var size = parseInt(table.getAttribute("data-page-size"), 10) || 50;
    var pager = table.parentNode.nextElementSibling;
    var page = 0;

    function show() {
      var pages = Math.max(1, Math.ceil(rows.length / size));
      page = Math.min(Math.max(page, 0), pages - 1);
      rows.forEach(function (row, i) {
        row.hidden = i < page * size || i >= (page + 1) * size;
      });
      if (pager && pager.classList.contains("pager")) {
        pager.hidden = pages < 2;
        pager.querySelector(".where").textContent = "page " + (page + 1) + " of " + pages;
      }
    }

    function sortBy(th) {
      var col = parseInt(th.getAttribute("data-col"), 10);
      var numeric = th.getAttribute("data-numeric") === "1";
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-sort"), y = b.cells[col].getAttribute("data-sort");
        if (numeric) {
          var nx = x === "" ? -Infinity : parseFloat(x), ny = y === "" ? -Infinity : parseFloat(y);
          return dir * ((nx > ny) - (nx < ny));
        }
        return dir * x.localeCompare(y);
      });
      rows.forEach(function (row) { body.appendChild(row); });
      page = 0;
      show();
    }

    Array.prototype.forEach.call(table.querySelectorAll("th button.sort"), function (button) {
      button.addEventListener("click", function () { sortBy(button.parentNode); });
    });
    if (pager && pager.classList.contains("pager")) {
      pager.querySelector(".prev").addEventListener("click", function () { page -= 1; show(); });
      pager.querySelector(".next").addEventListener("click", function () { page += 1; show(); });
    }
    show();
  }

  function setUpReview() {
    var form = document.getElementById("decide");
    var note = document.getElementById("note");
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      var typing = ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "TEXTAREA" ||
                                 ev.target.tagName === "SELECT");
      if (typing) {
        if (ev.key === "Escape") { ev.target.blur(); }
        return;
      }
      var click = { c: "confirm", r: "reject", j: "next", k: "prev" }[ev.key];
      if (ev.key === "n" && note) { ev.preventDefault(); note.focus(); return; }
      if (!click) { return; }
      var target = document.getElementById(click);
      if (!target) { return; }
      ev.preventDefault();
      if (target.tagName === "BUTTON" && form) {
        if (form.requestSubmit) { form.requestSubmit(target); } else { target.click(); }
      } else {
        target.click();
      }
    });
  }

  /* a map is built on the server when asked for: a button names its frame and the map's address */
  function setUpMapButton(button) {
    button.addEventListener("click", function () {
      var frame = document.getElementById(button.getAttribute("data-frame"));
      if (!frame) { return; }
      frame.hidden = false;
      frame.setAttribute("src", button.getAttribute("data-src"));
      button.disabled = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.results"), setUpTable);
    Array.prototype.forEach.call(document.querySelectorAll("button[data-src]"), setUpMapButton);
    if (document.getElementById("review")) { setUpReview(); }
  });
}());
