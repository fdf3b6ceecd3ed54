// The result page: sends text or a file to the API, then shows entities as
// highlighted spans and relations as a list and as arcs drawn over the text.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let labelNames = {};
  let lastDoc = null;
  // The request whose answer is shown, sent again with ?format=csv for the figures table.
  let lastRequest = null;

  fetch("/v1/labels").then((r) => (r.ok ? r.json() : null)).then((labels) => {
    if (!labels) return;
    for (const item of labels.entities.concat(labels.relations)) labelNames[item.label] = item.vi;
  }).catch(() => {});

  // What each error code means to the person at the page, in Vietnamese; the API's own message
  // (English, with the field it refers to) stays under "Chi tiết kỹ thuật" for a bug report.
  const ERROR_TEXT = {
    empty_text: "Văn bản trống: hãy dán nội dung báo cáo hoặc chọn một tệp có chữ.",
    document_too_large: "Văn bản quá dài để xử lý trong một lần: hãy chia báo cáo thành nhiều phần.",
    request_too_large: "Tệp hoặc văn bản quá lớn: hãy gửi tệp nhỏ hơn hoặc chia báo cáo thành nhiều phần.",
    unsupported_file_type: "Loại tệp này chưa được hỗ trợ: hãy gửi tệp .txt, .md, .pdf hoặc .docx.",
    unsupported_media_type: "Loại tệp này chưa được hỗ trợ: hãy gửi tệp .txt, .md, .pdf hoặc .docx.",
    unreadable_file: "Không đọc được nội dung tệp (tệp hỏng, hoặc PDF chỉ có ảnh quét chưa qua OCR).",
    encrypted_file: "Tệp PDF được đặt mật khẩu: hãy gửi bản không có mật khẩu.",
    invalid_input: "Nội dung gửi lên không hợp lệ (ví dụ: chứa ký tự điều khiển, hoặc tệp không phải văn bản UTF-8).",
    validation_error: "Nội dung gửi lên không hợp lệ.",
    invalid_json: "Nội dung gửi lên không hợp lệ.",
    invalid_multipart: "Không đọc được tệp gửi lên: hãy chọn lại tệp.",
    too_many_documents: "Quá nhiều văn bản trong một lần gửi.",
    time_budget_exceeded: "Xử lý quá thời gian cho phép: hãy chia báo cáo thành nhiều phần nhỏ hơn.",
    workers_busy: "Máy chủ đang bận: hãy thử lại sau ít giây.",
    model_not_ready: "Mô hình chưa sẵn sàng: hãy thử lại sau ít phút.",
    model_error: "Mô hình chưa sẵn sàng: hãy thử lại sau ít phút.",
    no_file: "Hãy chọn một tệp trước.",
    network: "Không kết nối được máy chủ: hãy kiểm tra kết nối rồi thử lại.",
  };

  function showError(body, status) {
    const err = (body && body.error) || { code: "http_" + status, message: "HTTP " + status };
    const box = $("error");
    box.textContent = "";
    const main = document.createElement("p");
    main.className = "error-text";
    main.textContent = ERROR_TEXT[err.code] || ("Đã có lỗi (mã " + status + "): hãy thử lại.");
    box.appendChild(main);
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "Chi tiết kỹ thuật";
    const technical = document.createElement("code");
    technical.textContent = err.message + " (" + err.code + (err.request_id ? ", " + err.request_id : "") + ")";
    details.appendChild(summary);
    details.appendChild(technical);
    box.appendChild(details);
    box.hidden = false;
    $("result").hidden = true;
  }

  // While a request runs, the old result is greyed out and marked stale, the buttons are
  // disabled and a status line says what is happening: a slow request never looks finished.
  function setBusy(busy, button) {
    for (const b of document.querySelectorAll("button[type=submit]")) b.disabled = busy;
    $("status").hidden = !busy;
    $("result").classList.toggle("stale", busy);
    $("result").setAttribute("aria-busy", busy ? "true" : "false");
    if (busy) button.dataset.label = button.textContent;
    button.textContent = busy ? "Đang trích xuất…" : (button.dataset.label || button.textContent);
  }

  // The answer when it is a success; otherwise the error is shown (the API's own, or the
  // network's) and the result is null.
  async function fetchAnswer(url, init) {
    $("error").hidden = true;
    let response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      showError({ error: { code: "network", message: String(e) } }, 0);
      return null;
    }
    if (response.ok) return response;
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    showError(body, response.status);
    return null;
  }

  async function call(url, init, button) {
    setBusy(true, button);
    try {
      const response = await fetchAnswer(url, init);
      if (!response) return;
      const body = await response.json();
      lastRequest = { url, init };
      render(body);
    } finally {
      setBusy(false, button);
    }
  }

  // Text as the reader sees it, offsets unchanged. A PDF dump breaks every printed line, often
  // with a blank line between: a break inside a sentence (no stop before it, a lower-case word
  // after it) is shown as a space, any other break as one paragraph gap. The characters stay in
  // the DOM (the spans only change how they are shown), so the page's text is the document's.
  function breakKinds(chars) {
    const kinds = new Array(chars.length).fill(null);
    let i = 0;
    while (i < chars.length) {
      if (!/\s/.test(chars[i])) { i += 1; continue; }
      let j = i;
      let newlines = 0;
      while (j < chars.length && /\s/.test(chars[j])) { if (chars[j] === "\n") newlines += 1; j += 1; }
      if (newlines) {
        const before = i > 0 ? chars[i - 1] : "";
        const after = j < chars.length ? chars[j] : "";
        const soft = before && !/[.:;!?)\]]/.test(before) && after && after === after.toLowerCase()
          && after !== after.toUpperCase();
        const wrapped = soft || (newlines === 1 && !/[.:;!?]/.test(before));
        for (let k = i; k < j; k += 1) kinds[k] = wrapped ? "soft" : "para";
      }
      i = j;
    }
    return kinds;
  }

  function appendText(parent, chars, kinds, start, end) {
    let k = start;
    while (k < end) {
      const kind = kinds[k];
      let m = k;
      while (m < end && kinds[m] === kind) m += 1;
      const text = chars.slice(k, m).join("");
      if (kind === null) {
        parent.appendChild(document.createTextNode(text));
      } else {
        const span = document.createElement("span");
        span.className = kind === "soft" ? "soft-break" : "para-break";
        span.textContent = text;
        parent.appendChild(span);
      }
      k = m;
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
    const kinds = breakKinds(chars);
    for (const ent of entities) {
      if (ent.start > at) appendText(container, chars, kinds, at, ent.start);
      const mark = document.createElement("mark");
      mark.className = "ent ent-" + ent.label;
      mark.dataset.id = ent.id;
      mark.dataset.label = ent.label;
      mark.title = (labelNames[ent.label] || ent.label) + (ent.value ? ": " + valueText(ent) : "")
        + (ent.score != null ? " (" + ent.score.toFixed(2) + ")" : "");
      appendText(mark, chars, kinds, ent.start, ent.end);
      const tag = document.createElement("span");
      tag.className = "lbl";
      tag.textContent = ent.label;
      mark.appendChild(tag);
      container.appendChild(mark);
      byId[ent.id] = { ent: ent, mark: mark };
      at = ent.end;
    }
    if (at < chars.length) appendText(container, chars, kinds, at, chars.length);

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
    // Each arc gets a height (a level) at which its label, drawn at the apex in the gap above the
    // line, touches no other label and no entity chip; short arcs are placed first, lowest.
    const arcs = [];
    for (const rel of lastDoc.relations) {
      const head = byId[rel.head], tail = byId[rel.tail];
      if (!head || !tail) continue;
      const a = head.mark.getClientRects()[0], b = tail.mark.getClientRects()[0];
      if (!a || !b) continue;
      const x1 = a.left + a.width / 2 - box.left, y1 = a.top - box.top;
      const x2 = b.left + b.width / 2 - box.left, y2 = b.top - box.top;
      arcs.push({ rel, x1, y1, x2, y2, left: Math.min(x1, x2), right: Math.max(x1, x2) });
    }
    arcs.sort((p, q) => (p.right - p.left) - (q.right - q.left));
    // Entity chips and labels already drawn, in the svg's coordinates: a label goes to the lowest
    // level where it touches none of them.
    const taken = [];
    for (const mark of $("doc").querySelectorAll("mark.ent")) {
      for (const r of mark.getClientRects()) {
        taken.push({ left: r.left - box.left, top: r.top - box.top, right: r.right - box.left, bottom: r.bottom - box.top });
      }
    }
    const hits = (r) => taken.some((o) => r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom);
    const LEVEL = 12;
    for (const arc of arcs) {
      const text = document.createElementNS(NS, "text");
      text.setAttribute("text-anchor", "middle");
      text.setAttribute("class", "arc-label");
      text.textContent = labelNames[arc.rel.label] || arc.rel.label;
      text.setAttribute("x", String((arc.x1 + arc.x2) / 2));
      svg.appendChild(text);
      const size = text.getBBox();
      const base = Math.min(arc.y1, arc.y2);
      let top = 0, labelY = 0, rect = null;
      for (let level = 0; level < 10; level += 1) {
        top = base - 14 - LEVEL * level;
        // A cubic with both control points at `top` peaks three quarters of the way up.
        labelY = base + 0.75 * (top - base);
        const mid = (arc.x1 + arc.x2) / 2;
        rect = { left: mid - size.width / 2 - 3, right: mid + size.width / 2 + 3,
                 top: labelY - size.height / 2 - 1, bottom: labelY + size.height / 2 + 1 };
        if (!hits(rect)) break;
      }
      taken.push(rect);
      text.setAttribute("y", String(labelY + size.height * 0.3));
      const path = document.createElementNS(NS, "path");
      path.setAttribute("d", `M ${arc.x1} ${arc.y1} C ${arc.x1} ${top}, ${arc.x2} ${top}, ${arc.x2} ${arc.y2}`);
      path.setAttribute("marker-end", "url(#arrow)");
      path.setAttribute("class", "arc arc-" + arc.rel.label);
      svg.insertBefore(path, text);
      const back = document.createElementNS(NS, "rect");
      back.setAttribute("x", String(rect.left + 1));
      back.setAttribute("y", String(rect.top));
      back.setAttribute("width", String(rect.right - rect.left - 2));
      back.setAttribute("height", String(rect.bottom - rect.top));
      back.setAttribute("class", "arc-label-back");
      svg.insertBefore(back, text);
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

  // The figures table comes from the server (one definition of its rows, solieu.figures), for the
  // same input: the model is deterministic, so its rows are the figures on the page.
  $("download-csv").addEventListener("click", async () => {
    if (!lastRequest) return;
    const button = $("download-csv");
    button.disabled = true;
    try {
      const response = await fetchAnswer(lastRequest.url + "?format=csv", lastRequest.init);
      if (!response) return;
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = "figures.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } finally {
      button.disabled = false;
    }
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
