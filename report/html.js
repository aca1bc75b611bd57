"use strict";
// The report's behaviour: the failures-only filter, the search box and the
// charts. It reads the page (text and data-* attributes) and writes only
// text nodes, attributes and elements it makes: never HTML from a string.
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const all = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const sections = all("section.collection");
  const steps = all("details.step");
  const failing = (o) => o === "failed" || o === "error";
  const ms = (e) => parseFloat(e.dataset.ms) || 0;
  const text = (e, sel) => {
    const f = e.querySelector(sel);
    return f ? f.textContent : "";
  };
  const short = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

  function human(v) {
    if (v < 10) return v.toFixed(1) + " ms";
    if (v < 1000) return Math.round(v) + " ms";
    if (v < 60000) return (v / 1000).toFixed(2) + " s";
    return Math.floor(v / 60000) + " min " + Math.round((v % 60000) / 1000) + " s";
  }

  function svg(name, attrs, content) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (content !== undefined) e.textContent = content;
    return e;
  }

  function reveal(target) {
    for (let e = target; e; e = e.parentElement) {
      if (e.tagName === "DETAILS") e.open = true;
    }
    target.scrollIntoView({ block: "start" });
  }

  // chart draws one bar per row: from row.start for row.ms, on a scale
  // of span milliseconds; clicking a row shows its target.
  function chart(id, caption, rows, span) {
    const W = 960, L = 250, R = 880, H = 18, TOP = 16;
    const fig = document.createElement("figure");
    fig.className = "chart";
    fig.id = id;
    const cap = document.createElement("figcaption");
    cap.textContent = caption;
    fig.appendChild(cap);
    const s = svg("svg", { class: "bars", viewBox: "0 0 " + W + " " + (TOP + rows.length * H), role: "img", "aria-label": caption });
    s.appendChild(svg("text", { class: "axis", x: L, y: 11 }, "0"));
    s.appendChild(svg("text", { class: "axis", x: R, y: 11, "text-anchor": "end" }, human(span)));
    const scale = span > 0 ? (R - L) / span : 0;
    rows.forEach((r, i) => {
      const y = TOP + i * H;
      const g = svg("g", { class: "row" });
      g.appendChild(svg("title", {}, r.title));
      g.appendChild(svg("rect", { class: "bg", x: 0, y: y, width: W, height: H }));
      g.appendChild(svg("text", { x: 4, y: y + 13 }, short(r.label, 40)));
      g.appendChild(svg("rect", { class: "bar " + r.outcome, x: L + r.start * scale, y: y + 4, width: Math.max(1, r.ms * scale), height: H - 8 }));
      const took = r.ms === 0 && r.outcome === "notrun" ? "–" : human(r.ms);
      g.appendChild(svg("text", { x: W - 4, y: y + 13, "text-anchor": "end" }, took));
      g.addEventListener("click", () => reveal(r.target));
      s.appendChild(g);
    });
    fig.appendChild(s);
    return fig;
  }

  function runTimeline() {
    const rows = [];
    sections.forEach((sec) => {
      const start = parseFloat(sec.dataset.start);
      if (isNaN(start)) return;
      const name = text(sec, "h2 .name");
      rows.push({ label: name, title: name + ": " + sec.dataset.outcome + ", " + human(ms(sec)), start: start, ms: ms(sec), outcome: sec.dataset.outcome, target: sec });
    });
    if (!rows.length) return null;
    const t0 = Math.min(...rows.map((r) => r.start));
    rows.forEach((r) => (r.start -= t0));
    const span = Math.max(...rows.map((r) => r.start + r.ms));
    return chart("timeline", "Timeline of the run: each collection from its start", rows, span);
  }

  function slowest() {
    const top = steps.filter((d) => ms(d) > 0).sort((a, b) => ms(b) - ms(a)).slice(0, 10);
    if (!top.length) return null;
    const rows = top.map((d) => {
      const label = text(d.closest("section"), "h2 .name") + " › " + text(d, ".name");
      return { label: label, title: label + ": " + d.dataset.outcome + ", " + human(ms(d)), start: 0, ms: ms(d), outcome: d.dataset.outcome, target: d };
    });
    return chart("durations", "Step durations: the " + rows.length + " slowest", rows, ms(top[0]));
  }

  // waterfall lays a collection's steps end to end, in order, on the
  // scale of the collection's duration.
  function waterfall(sec, i) {
    const own = all("details.step", sec);
    if (!own.length) return;
    let at = 0;
    const rows = own.map((d) => {
      const name = text(d, ".name");
      const r = { label: name, title: name + ": " + d.dataset.outcome + ", " + human(ms(d)), start: at, ms: ms(d), outcome: d.dataset.outcome, target: d };
      at += r.ms;
      return r;
    });
    const fig = chart("waterfall-" + i, "Steps in order, end to end", rows, Math.max(at, ms(sec)));
    sec.insertBefore(fig, own[0]);
  }

  const charts = document.getElementById("charts");
  [runTimeline(), slowest()].forEach((fig) => fig && charts.appendChild(fig));
  sections.forEach(waterfall);

  const controls = document.getElementById("controls");
  const only = document.getElementById("failures");
  const search = document.getElementById("search");
  const shown = document.getElementById("shown");

  // apply shows the steps that pass the filter and match the search: in
  // the step's line, or else in its details (then opened); a collection
  // whose heading or error matches shows all its steps that pass the
  // filter. A collection that could not start counts as a failure.
  function apply() {
    const q = search.value.trim().toLowerCase();
    let n = 0;
    sections.forEach((sec) => {
      const err = sec.querySelector("pre.error");
      const whole = q !== "" && (text(sec, "h2") + " " + (err ? err.textContent : "")).toLowerCase().includes(q);
      let any = false;
      all("details.step", sec).forEach((d) => {
        let ok = !only.checked || failing(d.dataset.outcome);
        if (ok && q !== "" && !whole && !text(d, "summary").toLowerCase().includes(q)) {
          ok = d.textContent.toLowerCase().includes(q);
          if (ok) d.open = true;
        }
        d.hidden = !ok;
        if (ok) {
          any = true;
          n++;
        }
      });
      const own = err !== null && (!only.checked || failing(sec.dataset.outcome)) && (q === "" || whole);
      sec.hidden = !(any || own);
    });
    shown.textContent = n + " of " + steps.length + " steps shown";
  }

  only.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && document.activeElement !== search) {
      e.preventDefault();
      search.focus();
    }
  });
  controls.hidden = false;
  apply();
})();
