// The network view: Cytoscape.js on the elements the server laid out (preset positions).
// Click an account to open its page; hover (or tap) shows its details; wheel zooms.
(function () {
  "use strict";
  var box = document.getElementById("network");
  if (!box || typeof cytoscape !== "function") { return; }
  var data = JSON.parse(document.getElementById(box.dataset.graph).textContent);
  var detail = document.getElementById("detail");
  var cy = cytoscape({
    container: box, elements: data.elements, style: data.style,
    layout: { name: "preset", padding: 60 }, wheelSensitivity: 0.25, minZoom: 0.2, maxZoom: 3
  });
  cy.fit(undefined, 60);
  function show(el) {
    if (!detail) { return; }
    var d = el.data();
    detail.textContent = el.isNode()
      ? [d.holder || "", d.id, [d.bank, d.country].filter(Boolean).join(" · "),
         (d.flags || []).join(", ")].filter(Boolean).join("\n")
      : d.source + " → " + d.target + "\n" + d.label;
  }
  cy.on("mouseover tap", "node, edge", function (evt) { show(evt.target); });
  cy.on("tap", "node", function (evt) {
    var url = evt.target.data("url");
    if (url) { window.location.assign(url); }
  });
  window.jalurNetwork = cy;  // for the browser tests
})();
