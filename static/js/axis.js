// The time axis (_browse.html) as a control: point at a year to see its count,
// click it or drag across years to choose them, or focus the axis and use the
// arrow keys (Shift widens to a period, Enter shows it). Choosing sets the
// From and To fields, so the filter form does the rest. While the list
// scrolls, a band on the axis shows the years on screen.
//
// Positions are SVG attributes (x, width), never style attributes: the
// Content-Security-Policy refuses those.

// The chronology's years come with the page (settings.CHRONOLOGY_YEARS, on the axis' SVG).
const SPAN = document.getElementById("axis-svg")?.dataset || {};
const FIRST = Number(SPAN.first);
const LAST = Number(SPAN.last);
const YEARS = LAST - FIRST + 1;
const KEYS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -10, PageUp: 10 };
const SVG = "http://www.w3.org/2000/svg";

let anchor = null; // where a choice began
let cursor = null; // where it ends now
let dragging = false;
let shown = null; // IntersectionObserver of the listed events

function axis() {
  return document.getElementById("axis");
}

// Events per year or period: each event counted once, whatever it spans.
function count(lo, hi) {
  const spans = document.getElementById("axis-svg")?.dataset.spans || "";
  let n = 0;
  for (const span of spans.split(";")) {
    const [first, last, events] = span.split(",").map(Number);
    if (first <= hi && last >= lo) n += events;
  }
  return n;
}

function chosen() {
  const data = document.getElementById("axis-svg")?.dataset || {};
  return [Number(data.from) || null, Number(data.to) || null];
}

function describe(lo, hi) {
  const n = count(lo, hi);
  return `${lo === hi ? lo : `${lo}–${hi}`}: ${n} event${n === 1 ? "" : "s"}`;
}

function overlay() {
  const el = axis();
  let layer = el.querySelector(".axis-overlay");
  if (!layer) {
    layer = document.createElementNS(SVG, "svg");
    layer.setAttribute("class", "axis-overlay");
    layer.setAttribute("viewBox", "0 0 480 1");
    layer.setAttribute("preserveAspectRatio", "none");
    layer.setAttribute("aria-hidden", "true");
    for (const name of ["view", "brush"]) {
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("class", name);
      rect.setAttribute("y", "0");
      rect.setAttribute("height", "1");
      rect.setAttribute("width", "0");
      layer.append(rect);
    }
    el.append(layer);
  }
  return layer;
}

function place(name, x, width) {
  if (!axis()) return;
  const rect = overlay().querySelector(`.${name}`);
  rect.setAttribute("x", String(Math.max(0, x)));
  rect.setAttribute("width", String(Math.max(0, width)));
}

function show(lo, hi, { hover = false } = {}) {
  const el = axis();
  place("brush", (lo - FIRST) * 12, (hi - lo + 1) * 12);
  overlay().classList.toggle("hovering", hover);
  const text = describe(lo, hi);
  const [from, to] = chosen();
  const pending = !hover && !dragging && (lo !== from || hi !== to);
  const readout = document.getElementById("axis-readout");
  if (readout) readout.textContent = pending ? `${text} · Enter shows ${lo === hi ? "it" : "them"}` : text;
  if (!hover) {
    // The value a screen reader hears is the choice being made, not where the mouse is.
    el.setAttribute("aria-valuenow", String(cursor ?? hi));
    el.setAttribute("aria-valuetext", text);
  }
}

function hide() {
  place("brush", 0, 0);
  const readout = document.getElementById("axis-readout");
  if (readout) readout.textContent = "";
}

function range() {
  return [Math.min(anchor, cursor), Math.max(anchor, cursor)];
}

function apply(lo, hi) {
  const from = document.getElementById("from");
  const to = document.getElementById("to");
  if (!from || !to) return;
  from.value = String(lo);
  to.value = String(hi);
  // The form requests on a change in its date fields (hx-trigger on #filters).
  to.dispatchEvent(new Event("change", { bubbles: true }));
}

function yearAt(clientX) {
  const box = axis().getBoundingClientRect();
  const share = Math.min(Math.max((clientX - box.left) / box.width, 0), 0.9999);
  return FIRST + Math.floor(share * YEARS);
}

function enhance() {
  const el = axis();
  if (!el || el.getAttribute("role") === "slider") return;
  el.setAttribute("role", "slider");
  el.setAttribute("tabindex", "0");
  el.setAttribute("aria-label", `Time axis, ${FIRST} to ${LAST}`);
  el.setAttribute("aria-valuemin", String(FIRST));
  el.setAttribute("aria-valuemax", String(LAST));
  el.setAttribute("aria-describedby", "axis-help");
  overlay();
}

// The value as the page now has it (after an update, whoever made it).
function refresh() {
  const el = axis();
  if (!el || dragging) return;
  const [from, to] = chosen();
  const lo = from || FIRST;
  const hi = to || LAST;
  if (document.activeElement === el) {
    show(...range());
    return;
  }
  el.setAttribute("aria-valuenow", String(hi));
  el.setAttribute("aria-valuetext", describe(lo, hi));
  hide();
}

// --- pointer: hover, click, drag --------------------------------------------

document.addEventListener("pointerdown", (event) => {
  const el = event.target instanceof Element && event.target.closest("#axis");
  if (!el || event.button !== 0) return;
  event.preventDefault();
  el.focus({ preventScroll: true });
  el.setPointerCapture(event.pointerId);
  dragging = true;
  anchor = cursor = yearAt(event.clientX);
  show(anchor, cursor);
});

document.addEventListener("pointermove", (event) => {
  const el = axis();
  if (!el) return;
  if (dragging) {
    cursor = yearAt(event.clientX);
    show(...range());
  } else if (event.target instanceof Element && event.target.closest("#axis")) {
    const year = yearAt(event.clientX);
    show(year, year, { hover: true });
  }
});

document.addEventListener("pointerup", (event) => {
  if (!dragging) return;
  dragging = false;
  cursor = yearAt(event.clientX);
  apply(...range());
  show(...range());
});

document.addEventListener("pointercancel", () => {
  // The browser took the gesture (a vertical scroll on a phone): choose nothing.
  dragging = false;
  hide();
});

document.addEventListener("pointerout", (event) => {
  if (dragging || !(event.target instanceof Element) || !event.target.closest("#axis")) return;
  if (event.relatedTarget instanceof Element && event.relatedTarget.closest("#axis")) return;
  if (document.activeElement === axis()) show(...range());
  else hide();
});

// --- keyboard ----------------------------------------------------------------

document.addEventListener("focusin", (event) => {
  if (event.target !== axis() || dragging) return;
  const [from, to] = chosen();
  if (from || to) {
    anchor = from || FIRST;
    cursor = to || LAST;
  } else {
    anchor = cursor = inView() || FIRST; // nothing chosen: start from the years on screen
  }
  show(...range());
});

document.addEventListener("focusout", (event) => {
  if (event.target === axis() && !dragging) hide();
});

document.addEventListener("keydown", (event) => {
  if (event.target !== axis()) return;
  let year = cursor ?? FIRST;
  if (event.key in KEYS) year += KEYS[event.key];
  else if (event.key === "Home") year = FIRST;
  else if (event.key === "End") year = LAST;
  else if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    apply(...range());
    return;
  } else if (event.key === "Escape") {
    const [from, to] = chosen();
    anchor = from || to ? from || FIRST : inView() || FIRST;
    cursor = from || to ? to || LAST : anchor;
    show(...range());
    return;
  } else return;
  event.preventDefault();
  cursor = Math.min(Math.max(year, FIRST), LAST);
  if (!event.shiftKey) anchor = cursor;
  show(...range());
});

// --- where the reader is -------------------------------------------------------

function month(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return (y - FIRST) * 12 + m - 1 + (d - 1) / 31;
}

const visible = new Set();

function inView() {
  let first = null;
  for (const article of visible) {
    const year = Number(article.dataset.start.slice(0, 4));
    if (first === null || year < first) first = year;
  }
  return first && Math.min(Math.max(first, FIRST), LAST);
}

function mark() {
  if (!visible.size) return place("view", 0, 0);
  let lo = Infinity;
  let hi = -Infinity;
  for (const article of visible) {
    lo = Math.min(lo, month(article.dataset.start));
    hi = Math.max(hi, month(article.dataset.end) + 1 / 31);
  }
  place("view", lo, Math.max(hi - lo, 1));
}

function watch() {
  const bar = document.querySelector(".timebar");
  shown?.disconnect();
  visible.clear();
  // The sticky bar covers the top of the screen: what is under it is not in view.
  const top = bar ? Math.round(bar.getBoundingClientRect().height) : 0;
  shown = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) visible.add(entry.target);
      else visible.delete(entry.target);
    }
    mark();
  }, { rootMargin: `-${top}px 0px 0px 0px` });
  for (const article of document.querySelectorAll("#results article.event")) shown.observe(article);
  mark();
}

// On load, and whenever htmx puts new content or a restored page in place.
function ready() {
  enhance();
  refresh();
  watch();
}
ready();
document.addEventListener("htmx:afterSettle", ready);
document.addEventListener("htmx:historyRestore", ready);
