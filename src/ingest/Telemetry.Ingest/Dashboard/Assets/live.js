// Live overview: polls the dashboard's live endpoint (same origin, session cookie) and updates every element marked
// data-live="name" without reloading the page. No third-party code; no data is kept in browser storage.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root) return;
  var url = root.getAttribute("data-live-url");
  var every = Math.max(500, parseFloat(root.getAttribute("data-live-ms") || "2000"));
  var status = document.getElementById("live-status");

  function apply(values) {
    var nodes = document.querySelectorAll("[data-live]");
    for (var i = 0; i < nodes.length; i++) {
      var key = nodes[i].getAttribute("data-live");
      if (Object.prototype.hasOwnProperty.call(values, key)) nodes[i].textContent = values[key];
    }
  }

  function tick() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); return null; }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        apply(data.values || {});
        if (status) status.textContent = "Live: updated " + data.updated;
        root.setAttribute("data-live-count", String((parseInt(root.getAttribute("data-live-count") || "0", 10) + 1)));
      })
      .catch(function (error) { if (status) status.textContent = "Live updates paused: " + error.message; })
      .then(function () { window.setTimeout(tick, every); });
  }

  window.setTimeout(tick, every);
})();
