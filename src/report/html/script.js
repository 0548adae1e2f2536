(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  function checked(name) {
    var out = {};
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (i) { out[i.value] = i.checked; });
    return out;
  }
  function apply() {
    var sev = checked("severity"), kind = checked("kind"), shown = 0;
    cards.forEach(function (c) {
      var on = sev[c.dataset.severity] !== false && kind[c.dataset.kind] !== false;
      c.hidden = !on;
      if (on) { shown += 1; }
    });
    var out = document.getElementById("shown");
    if (out) { out.textContent = "Showing " + shown + " of " + cards.length + " findings."; }
  }
  // The filters live in the address too (#severity=critical,error&kind=expired-ca), so a
  // filtered view can be linked or bookmarked.
  function fromHash() {
    var wanted = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2 && (kv[0] === "severity" || kv[0] === "kind")) {
        // A malformed escape (#kind=%E0%A4%A) makes decodeURIComponent throw: the part is ignored.
        try { wanted[kv[0]] = decodeURIComponent(kv[1]).split(","); } catch (e) { return; }
      }
    });
    ["severity", "kind"].forEach(function (name) {
      if (!wanted[name]) { return; }
      document.querySelectorAll('input[name="' + name + '"]').forEach(function (i) {
        i.checked = wanted[name].indexOf(i.value) !== -1;
      });
    });
  }
  function toHash() {
    var parts = [];
    ["severity", "kind"].forEach(function (name) {
      var all = document.querySelectorAll('input[name="' + name + '"]');
      var on = Array.prototype.filter.call(all, function (i) { return i.checked; }).map(function (i) { return i.value; });
      if (on.length !== all.length) { parts.push(name + "=" + encodeURIComponent(on.join(","))); }
    });
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
  }
  // A printed report shows everything: every step list and evidence list opened.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
  }
  document.querySelectorAll("button.copy").forEach(function (b) {
    b.addEventListener("click", function () {
      var text = b.parentNode.querySelector("code").textContent;
      var done = function () { b.textContent = "Copied"; b.classList.add("done"); setTimeout(function () { b.textContent = "Copy"; b.classList.remove("done"); }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else { fallbackCopy(text); done(); }
    });
  });
  // Last, so that the copy buttons and the print handler are wired whatever the address holds.
  if (form) {
    form.addEventListener("change", function () { apply(); toHash(); });
    window.addEventListener("hashchange", function () { try { fromHash(); } finally { apply(); } });
    try { fromHash(); } catch (e) { /* an address that cannot be read leaves the filters as they are */ }
    apply();
  }
})();
