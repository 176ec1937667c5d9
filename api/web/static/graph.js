// The neighbourhood graph: any element with data-graph-id="kind/slug" becomes a cytoscape view of
// /api/neighbours, each node a link to its page /id/{kind}/{slug}. Include this one script; it loads cytoscape.
(function () {
  "use strict";
  const CYTOSCAPE = "/static/vendor/node_modules/cytoscape/dist/cytoscape.min.js";

  function loadCytoscape(src) {
    if (window.cytoscape) return Promise.resolve(window.cytoscape);
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.cytoscape);
      script.onerror = () => reject(new Error("cytoscape is not installed (python3 dev.py runs npm ci)"));
      document.head.append(script);
    });
  }

  function elements(data) {
    const nodes = data.nodes.map((n) => ({
      data: { id: n.iri, label: n.label, page: n.id ? `/id/${n.id}` : null, depth: n.depth },
      classes: n.depth === 0 ? "centre" : "",
    }));
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

  const STYLE = [
    { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#2f6fb4",
      "text-wrap": "ellipsis", "text-max-width": 140, width: 14, height: 14 } },
    { selector: "node.centre", style: { "background-color": "#b4462f", width: 22, height: 22 } },
    { selector: "edge", style: { label: "data(label)", "font-size": 8, "curve-style": "bezier", width: 1,
      "target-arrow-shape": "triangle", "line-color": "#99a", "target-arrow-color": "#99a", color: "#556" } },
  ];

  async function mount(element) {
    const id = element.dataset.graphId;
    const depth = element.dataset.depth || "1";
    const response = await fetch(`/api/neighbours?id=${encodeURIComponent(id)}&depth=${depth}&max_nodes=80`);
    if (!response.ok) {
      element.textContent = `Inga grannar: ${response.status}`;
      return;
    }
    const data = await response.json();
    let cytoscape;
    try {
      cytoscape = await loadCytoscape(element.dataset.cytoscape || CYTOSCAPE);
    } catch (err) {
      fallback(element, data);
      return;
    }
    const view = cytoscape({ container: element, elements: elements(data), style: STYLE,
      layout: { name: "cose", animate: false } });
    view.on("tap", "node", (event) => {
      const page = event.target.data("page");
      if (page) window.location.assign(page);
    });
    element.policykgGraph = view;
    element.dataset.ready = "true";
  }

  document.querySelectorAll("[data-graph-id]").forEach(mount);
})();
