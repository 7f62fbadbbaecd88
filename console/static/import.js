// Polls an import's progress endpoint and updates the bar; reloads the
// page when the import has finished, to show each row's result. Without
// JavaScript the page refreshes itself instead (a <noscript> refresh).
(function () {
  "use strict";
  var job = document.getElementById("import-job");
  if (!job || job.dataset.finished === "true") {
    return;
  }
  var bar = document.getElementById("import-progress");
  var count = document.getElementById("import-count");
  function poll() {
    fetch(job.dataset.progress, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (p) {
        bar.max = p.total;
        bar.value = p.done;
        count.textContent = p.done + "/" + p.total;
        if (p.finished) {
          window.location.reload();
        } else {
          setTimeout(poll, 500);
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
}());
