// gongkai preview: reload the page as soon as the content changes. The server answers
// /_preview/changes?since=N when its version is no longer N (or after a while, to ask again).
// A file, not an inline script: the site's Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script && script.getAttribute("data-version");
  if (!version) {
    return;
  }
  function wait() {
    fetch("/_preview/changes?since=" + encodeURIComponent(version), { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (String(state.version) !== version) {
          window.location.reload();
        } else {
          wait();
        }
      })
      .catch(function () {
        window.setTimeout(wait, 1000); // the preview was stopped or restarted: ask again later
      });
  }
  wait();
})();
