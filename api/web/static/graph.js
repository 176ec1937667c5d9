// The neighbourhood graph: any element with data-graph-id="kind/slug" becomes a cytoscape view of
// /api/neighbours (data-depth, data-max-nodes: 1 and 40 unless set), each node a link to its page /id/{kind}/{slug}.
// Include this one script; it loads cytoscape.
(function () {
  "use strict";
  const CYTOSCAPE = "/static/vendor/node_modules/cytoscape/dist/cytoscape.min.js";

  // data-cytoscape="" says the page knows cytoscape is not installed: the neighbours become a list of links.
  function loadCytoscape(src) {
    if (window.cytoscape) return Promise.resolve(window.cytoscape);
    if (!src) return Promise.reject(new Error("cytoscape is not installed (python3 dev.py runs npm ci)"));
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.cytoscape);
      script.onerror = () => reject(new Error("cytoscape is not installed (python3 dev.py runs npm ci)"));
      document.head.append(script);
    });
  }

  const COLOURS = { party: "#2f6fb4", coalition: "#2f6fb4", majority: "#2f6fb4", proposal: "#6b4fa8",
    measure: "#2f8f5b", goal: "#8f7a2f", stance: "#b47a2f", hospital: "#b4462f", concept: "#4f8fa8" };

  function elements(data) {
    const nodes = data.nodes.map((n) => {
      const kind = n.id ? n.id.split("/")[0] : "";
      return {
        data: { id: n.iri, label: n.label, page: n.id ? `/id/${n.id}` : null, depth: n.depth, kind,
          colour: COLOURS[kind] || "#667" },
        classes: n.depth === 0 ? "centre" : "",
      };
    });
    const edges = data.edges.map((e, i) => ({
      data: { id: `e${i}`, source: e.source, target: e.target, label: e.relation },
    }));
    return nodes.concat(edges);
  }

  function fallback(element, data) {
    const list = document.createElement("ul");
    data.nodes.filter((n) => n.id).forEach((n) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `/id/${n.id}`;
      link.textContent = n.label;
      item.append(link);
      list.append(item);
    });
    element.replaceChildren(list);
  }

  // Node labels wrap short; edge labels show only around the node under the pointer, so a star stays legible.
  const STYLE = [
    { selector: "node", style: { label: "data(label)", "font-size": 9, "background-color": "data(colour)",
      "text-wrap": "ellipsis", "text-max-width": 120, width: 14, height: 14, color: "#223" } },
    { selector: "node.centre", style: { width: 26, height: 26, "font-size": 12, "font-weight": "bold" } },
    { selector: "edge", style: { label: "data(label)", "font-size": 8, "curve-style": "bezier", width: 1,
      "target-arrow-shape": "triangle", "line-color": "#bbc", "target-arrow-color": "#bbc", "text-opacity": 0 } },
    { selector: "edge.near", style: { "text-opacity": 1, "line-color": "#556", "target-arrow-color": "#556" } },
  ];

  async function mount(element) {
    const id = element.dataset.graphId;
    const depth = element.dataset.depth || "1";
    const most = element.dataset.maxNodes || "40";
    const response = await fetch(`/api/neighbours?id=${encodeURIComponent(id)}&depth=${depth}&max_nodes=${most}`);
    if (!response.ok) {
      element.textContent = `Inga grannar: ${response.status}`;
      return;
    }
    const data = await response.json();
    let cytoscape;
    try {
      cytoscape = await loadCytoscape(element.dataset.cytoscape ?? CYTOSCAPE);
    } catch (err) {
      fallback(element, data);
      return;
    }
    const view = cytoscape({ container: element, elements: elements(data), style: STYLE,
      layout: { name: "concentric", concentric: (n) => 10 - n.data("depth"), levelWidth: () => 1,
        minNodeSpacing: 28, animate: false } });
    view.on("mouseover", "node", (event) => event.target.connectedEdges().addClass("near"));
    view.on("mouseout", "node", (event) => event.target.connectedEdges().removeClass("near"));
    view.on("tap", "node", (event) => {
      const page = event.target.data("page");
      if (page) window.location.assign(page);
    });
    element.policykgGraph = view;
    element.dataset.ready = "true";
  }

  document.querySelectorAll("[data-graph-id]").forEach(mount);
})();
