// Filtering without losing anything: the reader's controls are never replaced
// while results update, stale responses are dropped, and after each update the
// count and chips are in view and focus is somewhere sensible.
//
// htmx queues a control's requests instead of aborting them (an abort logs a
// console error), so two may be in flight: only the newest one's response is
// shown. Each response carries the filter form as it should now read
// (_browse.html, "update"); we apply it to the live form in place instead of
// letting htmx replace it.

document.documentElement.classList.add("js"); // controls that only work with this script show

const results = () => document.getElementById("results");
let sent = 0; // results requests sent so far
let newest = 0; // number of the newest one
let edits = 0; // reader's changes to the form so far
let swapping = null; // the response being applied

function inForm(event) {
  return event.target instanceof Element && event.target.closest("#filters");
}
for (const type of ["input", "change"]) {
  document.addEventListener(type, (event) => { if (inForm(event)) edits++; }, true);
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const { xhr, target } = event.detail;
  if (!target || !target.closest(".browse")) return;
  // A new list makes every older response stale, next pages of the old list included.
  const number = ++sent;
  if (target === results()) newest = number;
  xhr.timeline = { number, edits, listed: document.querySelectorAll("#results article").length };
});

document.addEventListener("htmx:beforeSwap", (event) => {
  const { xhr, target } = event.detail;
  if (!xhr.timeline) return;
  if (xhr.timeline.number < newest || !document.body.contains(target)) {
    event.detail.shouldSwap = false; // superseded: a newer request is on its way or done
    return;
  }
  swapping = xhr;
});

document.addEventListener("htmx:oobBeforeSwap", (event) => {
  const live = event.detail.target;
  if (live.id !== "filters" || !swapping) return;
  const fresh = event.detail.fragment.querySelector("#filters");
  if (!fresh) return;
  event.detail.shouldSwap = false;
  // Values come from the response only if the reader has changed nothing since
  // the request left (a newer request will carry their change); the control
  // being typed in keeps its value whatever happens.
  sync(live, fresh, edits === swapping.timeline.edits);
});

// Attributes that belong to the reader, not to the response.
const KEEP = new Set(["open"]);

function sync(live, fresh, takeValues) {
  if (live.nodeType === Node.TEXT_NODE) {
    if (live.data !== fresh.data) live.data = fresh.data;
    return;
  }
  if (live.nodeType !== Node.ELEMENT_NODE) return;
  for (const { name, value } of fresh.attributes) {
    if (!KEEP.has(name) && live.getAttribute(name) !== value) live.setAttribute(name, value);
  }
  for (const { name } of [...live.attributes]) {
    if (!KEEP.has(name) && !fresh.hasAttribute(name)) live.removeAttribute(name);
  }
  // Setting "value", "checked" and "selected" above changes the defaults (what
  // htmx's history snapshot records); what the control shows follows here.
  const focused = document.activeElement;
  if (takeValues && live !== focused && live.parentElement !== focused) { // an option: its select may be open
    if (live.type === "checkbox" || live.type === "radio") live.checked = live.defaultChecked;
    else if (live.tagName === "INPUT") live.value = live.defaultValue;
    else if (live.tagName === "OPTION") live.selected = live.defaultSelected;
  }
  const a = live.childNodes;
  const b = fresh.childNodes;
  if (a.length === b.length && [...a].every((node, i) => same(node, b[i]))) {
    for (let i = 0; i < a.length; i++) sync(a[i], b[i], takeValues);
  } else if (!live.contains(document.activeElement)) {
    live.replaceChildren(...[...b].map((node) => document.importNode(node, true))); // the data changed shape
  }
}

function same(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName && (a.id || "") === (b.id || "");
}

document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.xhr !== swapping) return;
  swapping = null;
  const lost = !document.activeElement || document.activeElement === document.body;
  if (event.detail.target === results()) reveal(lost);
  else if (lost) {
    // "More events" had focus and is gone: go on to the first event it brought.
    const listed = event.detail.xhr.timeline.listed;
    document.querySelectorAll("#results article")[listed]?.querySelector("h3 a")?.focus();
  }
});

// Bring the count and chips into view if they are above the screen, and move
// focus to the count if it was lost (the link the reader used is gone).
function reveal(moveFocus) {
  const top = document.querySelector(".results-column")?.getBoundingClientRect().top;
  if (top < 0) window.scrollBy(0, top);
  if (moveFocus) document.getElementById("result-count")?.focus({ preventScroll: true });
}

// "Show N events" at the foot of the filter panel: on a phone it closes the
// panel; everywhere it takes the reader to the results, already up to date.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest(".panel-bar .show");
  if (!button) return;
  event.preventDefault();
  const panel = button.closest("details");
  if (panel && getComputedStyle(panel.querySelector("summary")).display !== "none") panel.open = false;
  window.scrollBy(0, document.querySelector(".results-column")?.getBoundingClientRect().top || 0);
  document.getElementById("result-count")?.focus({ preventScroll: true });
});

// Filter links in the results (a person, a crime type, a chip, "Clear all")
// change the live form and send it, rather than following their href, which
// was written before the reader's latest changes. The href stays for a new
// tab and for pages without this script.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a[data-filter]");
  const form = document.getElementById("filters");
  if (!link || !form || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const { filter, name, value } = link.dataset;
  const fields = [...form.elements].filter((field) => field.name && (filter === "clear" || field.name === name));
  for (const field of fields) {
    if (field.type === "checkbox") {
      if (filter === "clear" || field.value === value) field.checked = filter === "add";
    } else if (field.type === "hidden") {
      if (filter === "clear" || field.value === value) field.remove();
    } else if (field.tagName === "SELECT") {
      if (filter !== "add") field.selectedIndex = 0;
    } else if (filter !== "add") field.value = "";
  }
  if (filter === "add" && !fields.some((field) => field.value === value)) {
    // No control for it on this page (a person on a person's page): carried as a hidden field.
    const hidden = Object.assign(document.createElement("input"), { type: "hidden", name, value });
    (document.getElementById("hidden-box") || form).append(hidden);
  }
  edits++;
  form.requestSubmit();
});
