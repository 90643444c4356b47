// The query page: YASGUI on this server's /sparql, the canned queries with their
// parameters, and result IRIs of this graph linked to their pages here.
"use strict";
(function () {
  const BASE = "https://w3id.org/wsis-kg/";
  const CATALOGUE = {};
  for (const query of JSON.parse(document.getElementById("catalogue").textContent)) {
    CATALOGUE[query.name] = query;
  }
  const endpoint = window.location.origin + "/sparql";
  // no request to any other host: prefixes come from this server, and the
  // class/property completers (which ask a remote vocabulary service) are off
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.value = "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>\n" +
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n" +
    "SELECT ?entry ?label WHERE {\n  ?entry a wsis:RoadmapEntry ; rdfs:label ?label .\n}\nLIMIT 10\n";
  Yasgui.Yasqe.defaults.prefixCcApi = window.location.origin + "/prefixes.json";
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: null,
    populateFromUrl: false,
    copyEndpointOnNewTab: true,
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
  });
  const cannedOf = {};     // tab id -> canned query name
  const valuesOf = {};     // tab id -> {parameter: value}

  function argsFor(tabId) {
    const values = valuesOf[tabId] || {};
    return Object.keys(values).filter((name) => values[name] !== "")
      .map((name) => ({ name: "$" + name, value: values[name] }));
  }
  function showParams() {
    const box = document.getElementById("params");
    box.textContent = "";
    const tab = yasgui.getTab();
    if (!tab || !cannedOf[tab.getId()]) return;
    const tabId = tab.getId();
    const query = CATALOGUE[cannedOf[tabId]];
    const title = document.createElement("p");
    title.textContent = "Parameters of " + query.name + (query.params.length ? ":" : ": none");
    box.appendChild(title);
    for (const param of query.params) {
      const label = document.createElement("label");
      label.textContent = param.name + " (" + param.type + (param.required ? ", required" : "") + ") ";
      const input = document.createElement("input");
      input.id = "param-" + param.name;
      input.placeholder = param.example;
      input.value = valuesOf[tabId][param.name] || "";
      input.addEventListener("input", () => {
        valuesOf[tabId][param.name] = input.value;
        tab.setRequestConfig({ args: argsFor(tabId) });
      });
      label.appendChild(input);
      box.appendChild(label);
    }
  }
  function openCanned(name, given) {
    const query = CATALOGUE[name];
    const values = {};
    for (const param of query.params) {
      values[param.name] = (given && given.get(param.name)) || (param.required ? param.example : "");
    }
    const tab = yasgui.addTab(true, { name: name, yasqe: { value: query.text } });
    cannedOf[tab.getId()] = name;
    valuesOf[tab.getId()] = values;
    tab.setRequestConfig({ endpoint: endpoint, args: argsFor(tab.getId()) });
    showParams();
    return tab;
  }
  yasgui.on("tabSelect", () => setTimeout(showParams, 0));
  yasgui.on("tabClose", () => setTimeout(showParams, 0));
  document.getElementById("canned").addEventListener("change", (event) => {
    if (event.target.value) openCanned(event.target.value);
    event.target.value = "";
  });
  // result IRIs of this graph open their pages on this server
  function localise(root) {
    for (const link of root.querySelectorAll("a[href^='" + BASE + "']")) {
      const path = link.getAttribute("href").substring(BASE.length - 1);
      link.setAttribute("href", path.startsWith("/ontology#") ? "/ontology" : path);
      link.setAttribute("target", "_self");
    }
  }
  new MutationObserver(() => localise(document.getElementById("yasgui")))
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  // ?canned=NAME&param=value&run=1 opens (and runs) a canned query;
  // ?query=TEXT&run=1 a query of one's own
  const start = new URLSearchParams(window.location.search);
  let tab = null;
  if (start.get("canned") && CATALOGUE[start.get("canned")]) {
    tab = openCanned(start.get("canned"), start);
  } else if (start.get("query")) {
    tab = yasgui.addTab(true, { name: "Query", yasqe: { value: start.get("query") } });
    tab.setRequestConfig({ endpoint: endpoint, args: [] });
  }
  window.wsiskgYasgui = yasgui;
  if (tab && start.get("run")) tab.query().catch(() => {});
})();
