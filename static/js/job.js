// The job page (templates/jobs/job_detail.html): asks the server how far the job is,
// moves the bar, and shows the finished page (download or retry) once it ends. Without
// this script the page reloads itself (<noscript> refresh) while the job runs.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  var bar = document.getElementById("job-bar");
  var progress = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var count = document.getElementById("job-count");
  var delay = 1000;

  function show(job) {
    // A property set by script, not a style attribute: allowed by the CSP.
    bar.style.width = job.percent + "%";
    progress.setAttribute("aria-valuenow", String(job.percent));
    status.textContent = job.label;
    var text = job.percent + "%";
    if (job.total) text += " · " + job.done + " / " + job.total;
    count.textContent = text;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (job.finished) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A poor connection: ask again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
