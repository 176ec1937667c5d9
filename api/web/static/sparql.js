// The SPARQL editor: YASGUI over /sparql with the project's prefixes and vocabulary, a bar chart and downloads.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("sparql-config").textContent);
  const form = document.getElementById("sparql-form");
  const SVG = "http://www.w3.org/2000/svg";
  const ID = "https://w3id.org/policykg/id/";

  function completers() {
    const Yasqe = Yasgui.Yasqe;
    const prefixes = Object.entries(config.prefixes).map(([name, iri]) => `${name}: <${iri}>`);
    const own = { bulk: true, autoShow: true, persistenceId: null };
    Yasqe.forkAutocompleter("prefixes", { ...own, name: "pkg-prefixes", get: () => prefixes }, false);
    Yasqe.forkAutocompleter("class", { ...own, name: "pkg-classes", get: () => config.vocabulary.classes }, false);
    Yasqe.forkAutocompleter(
      "property", { ...own, name: "pkg-properties", get: () => config.vocabulary.properties }, false);
    return ["pkg-prefixes", "pkg-classes", "pkg-properties", "variables"];
  }

  function numeric(rows, name) {
    return rows.every((b) => b[name] && b[name].value !== "" && !isNaN(Number(b[name].value)));
  }

  // A signed bar per row: the first numeric column, labelled by the first other column.
  class Chart {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = "Diagram";
    }
    series() {
      const results = this.yasr.results;
      const rows = results && results.getBindings ? results.getBindings() || [] : [];
      if (!rows.length) return null;
      const names = results.getVariables();
      const value = names.find((n) => numeric(rows, n));
      if (!value) return null;
      const label = names.find((n) => n !== value && !numeric(rows, n));
      return rows.slice(0, 50).map((b, i) => ({
        name: label && b[label] ? b[label].value : String(i + 1),
        value: Number(b[value].value),
      }));
    }
    canHandleResults() {
      return this.series() !== null;
    }
    draw() {
      const bars = this.series();
      const low = Math.min(0, ...bars.map((b) => b.value));
      const high = Math.max(0, ...bars.map((b) => b.value));
      const left = 320, width = 480, row = 22;
      const x = (v) => left + ((v - low) / (high - low || 1)) * width;
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("viewBox", `0 0 ${left + width + 80} ${bars.length * row + 10}`);
      svg.setAttribute("role", "img");
      bars.forEach((b, i) => {
        const y = i * row + 5;
        const rect = document.createElementNS(SVG, "rect");
        rect.setAttribute("x", Math.min(x(0), x(b.value)));
        rect.setAttribute("y", y);
        rect.setAttribute("width", Math.max(1, Math.abs(x(b.value) - x(0))));
        rect.setAttribute("height", row - 6);
        rect.setAttribute("fill", b.value < 0 ? "#b4462f" : "#2f6fb4");
        svg.append(rect, text(b.name.slice(0, 48), left - 6, y + 12, "end"), text(String(b.value), x(Math.max(0, b.value)) + 4, y + 12, "start"));
      });
      const box = document.createElement("div");
      box.className = "pkg-chart";
      box.append(svg);
      this.yasr.resultsEl.append(box);
    }
    getIcon() {
      const icon = document.createElement("span");
      icon.textContent = "▮";
      return icon;
    }
  }

  function text(content, x, y, anchor) {
    const node = document.createElementNS(SVG, "text");
    node.setAttribute("x", x);
    node.setAttribute("y", y);
    node.setAttribute("text-anchor", anchor);
    node.textContent = content;
    return node;
  }

  // Downloads go through the endpoint's own Accept negotiation, so a file is what curl would get.
  async function download(yasgui, button) {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: button.dataset.accept },
      body: yasgui.getTab().getQuery(),
    });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = `policykg-result.${response.ok ? button.dataset.ext : "txt"}`;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  // An entity IRI in the results opens its page here, not at w3id.org (the service works offline).
  function localLinks(event) {
    const link = event.target.closest("a[href]");
    if (!link || !link.getAttribute("href").startsWith(ID)) return;
    event.preventDefault();
    window.location.assign("/id/" + link.getAttribute("href").slice(ID.length));
  }

  function start() {
    const query = form.querySelector("textarea").value;
    Yasgui.Yasr.registerPlugin("chart", Chart);
    // A shared link opens this page with the query in the editor (?query= would be a protocol request).
    Yasgui.Tab.prototype.getShareableLink = function () {
      return `${location.origin}/sparql?edit=${encodeURIComponent(this.getQuery())}`;
    };
    const yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: location.origin + "/sparql", method: "POST" },
      persistenceId: null,
      populateFromUrl: false,
      copyEndpointOnNewTab: true,
      yasqe: { value: query || config.default_query, autocompleters: completers() },
      yasr: { pluginOrder: ["table", "chart", "response"], defaultPlugin: "table", persistenceId: null },
    });
    yasgui.getTab().setQuery(query || config.default_query);
    form.hidden = true;
    document.getElementById("yasgui").addEventListener("click", localLinks);
    const downloads = document.getElementById("downloads");
    downloads.hidden = false;
    downloads.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => download(yasgui, b)));
    window.policykgEditor = yasgui;
  }

  if (window.Yasgui) start();
})();
