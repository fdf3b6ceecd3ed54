// The result page: sends text or a file to the API, then shows entities as
// highlighted spans and relations as a list and as arcs drawn over the text.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let labelNames = {};
  let lastDoc = null;

  fetch("/v1/labels").then((r) => (r.ok ? r.json() : null)).then((labels) => {
    if (!labels) return;
    for (const item of labels.entities.concat(labels.relations)) labelNames[item.label] = item.vi;
  }).catch(() => {});

  function showError(body, status) {
    const err = (body && body.error) || { code: "http_" + status, message: "Lỗi " + status };
    const box = $("error");
    box.textContent = err.message + " (" + err.code + (err.request_id ? ", " + err.request_id : "") + ")";
    box.hidden = false;
    $("result").hidden = true;
  }

  async function call(url, init, button) {
    $("error").hidden = true;
    button.disabled = true;
    try {
      const response = await fetch(url, init);
      let body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      if (!response.ok) { showError(body, response.status); return; }
      render(body);
    } catch (e) {
      showError({ error: { code: "network", message: String(e) } }, 0);
    } finally {
      button.disabled = false;
    }
  }

  function valueText(ent) {
    const v = ent.value;
    if (!v) return "";
    if ("currency" in v) {
      return v.amount != null ? v.amount.toLocaleString("vi-VN") + " " + v.currency
        : v.amount_min.toLocaleString("vi-VN") + "–" + v.amount_max.toLocaleString("vi-VN") + " " + v.currency;
    }
    if ("start" in v) return (v.start || "?") + " → " + (v.end || "?");
    return v.value != null ? v.value + "%" : v.min + "–" + v.max + "%";
  }

  function render(result) {
    const doc = result.documents[0];
    lastDoc = doc;
    $("summary").textContent = "Mô hình " + result.model.name + " " + result.model.version + " · "
      + doc.entities.length + " thực thể, " + doc.relations.length + " quan hệ · "
      + result.timing.total_ms.toFixed(1) + " ms"
      + (result.file ? " · " + result.file.filename : "");

    const legend = $("legend");
    legend.textContent = "";
    for (const label of ["MONEY", "PERCENT", "DATE", "AGENCY", "PROJECT"]) {
      const chip = document.createElement("span");
      const mark = document.createElement("mark");
      mark.className = "ent ent-" + label;
      mark.textContent = labelNames[label] || label;
      chip.appendChild(mark);
      legend.appendChild(chip);
    }

    const container = $("doc");
    container.textContent = "";
    const byId = {};
    let at = 0;
    const entities = doc.entities.slice().sort((a, b) => a.start - b.start);
    // Offsets are code points (Python str indices); JS strings index UTF-16
    // units, so walk the text as an array of code points.
    const chars = Array.from(doc.text);
    for (const ent of entities) {
      if (ent.start > at) container.appendChild(document.createTextNode(chars.slice(at, ent.start).join("")));
      const mark = document.createElement("mark");
      mark.className = "ent ent-" + ent.label;
      mark.dataset.id = ent.id;
      mark.dataset.label = ent.label;
      mark.title = (labelNames[ent.label] || ent.label) + (ent.value ? ": " + valueText(ent) : "")
        + (ent.score != null ? " (" + ent.score.toFixed(2) + ")" : "");
      mark.appendChild(document.createTextNode(chars.slice(ent.start, ent.end).join("")));
      const tag = document.createElement("span");
      tag.className = "lbl";
      tag.textContent = ent.label;
      mark.appendChild(tag);
      container.appendChild(mark);
      byId[ent.id] = { ent: ent, mark: mark };
      at = ent.end;
    }
    if (at < chars.length) container.appendChild(document.createTextNode(chars.slice(at).join("")));

    const list = $("relations");
    list.textContent = "";
    for (const rel of doc.relations) {
      const head = byId[rel.head], tail = byId[rel.tail];
      if (!head || !tail) continue;
      const li = document.createElement("li");
      li.className = "relation";
      li.appendChild(document.createTextNode(head.ent.text));
      const lbl = document.createElement("span");
      lbl.className = "rel-label";
      lbl.textContent = "→ " + rel.label + " (" + (labelNames[rel.label] || "") + ") →";
      li.appendChild(lbl);
      li.appendChild(document.createTextNode(tail.ent.text));
      li.addEventListener("mouseenter", () => { head.mark.classList.add("active"); tail.mark.classList.add("active"); });
      li.addEventListener("mouseleave", () => { head.mark.classList.remove("active"); tail.mark.classList.remove("active"); });
      list.appendChild(li);
    }
    if (!list.children.length) {
      const li = document.createElement("li");
      li.textContent = "Không có quan hệ.";
      list.appendChild(li);
    }
    $("result").hidden = false;
    drawArcs(byId);
  }

  function drawArcs(byId) {
    const svg = $("arcs");
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (!lastDoc) return;
    const NS = "http://www.w3.org/2000/svg";
    const defs = document.createElementNS(NS, "defs");
    const marker = document.createElementNS(NS, "marker");
    marker.setAttribute("id", "arrow");
    marker.setAttribute("viewBox", "0 0 10 10");
    marker.setAttribute("refX", "9");
    marker.setAttribute("refY", "5");
    marker.setAttribute("markerWidth", "6");
    marker.setAttribute("markerHeight", "6");
    marker.setAttribute("orient", "auto-start-reverse");
    const tip = document.createElementNS(NS, "path");
    tip.setAttribute("d", "M 0 0 L 10 5 L 0 10 z");
    marker.appendChild(tip);
    defs.appendChild(marker);
    svg.appendChild(defs);
    const box = svg.getBoundingClientRect();
    for (const rel of lastDoc.relations) {
      const head = byId[rel.head], tail = byId[rel.tail];
      if (!head || !tail) continue;
      const a = head.mark.getClientRects()[0], b = tail.mark.getClientRects()[0];
      if (!a || !b) continue;
      const x1 = a.left + a.width / 2 - box.left, y1 = a.top - box.top;
      const x2 = b.left + b.width / 2 - box.left, y2 = b.top - box.top;
      const lift = Math.min(60, 14 + Math.abs(x2 - x1) / 8);
      const top = Math.max(2, Math.min(y1, y2) - lift);
      const path = document.createElementNS(NS, "path");
      path.setAttribute("d", `M ${x1} ${y1} C ${x1} ${top}, ${x2} ${top}, ${x2} ${y2}`);
      path.setAttribute("marker-end", "url(#arrow)");
      path.setAttribute("class", "arc arc-" + rel.label);
      svg.appendChild(path);
      const text = document.createElementNS(NS, "text");
      text.setAttribute("x", String((x1 + x2) / 2));
      text.setAttribute("y", String(top + lift * 0.25));
      text.setAttribute("text-anchor", "middle");
      text.textContent = rel.label;
      svg.appendChild(text);
    }
  }

  window.addEventListener("resize", () => {
    if (!lastDoc) return;
    const byId = {};
    for (const mark of $("doc").querySelectorAll("mark.ent")) {
      byId[mark.dataset.id] = { mark: mark };
    }
    drawArcs(byId);
  });

  $("text-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const payload = { text: $("text").value };
    const date = $("document-date").value;
    if (date) payload.document_date = date;
    call("/v1/extract", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    }, $("extract-text"));
  });

  $("file-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const file = $("file").files[0];
    if (!file) { showError({ error: { code: "no_file", message: "Chọn một tệp trước." } }, 0); return; }
    const form = new FormData();
    form.append("file", file);
    const date = $("document-date").value;
    if (date) form.append("document_date", date);
    call("/v1/extract/file", { method: "POST", body: form }, $("extract-file"));
  });
})();
