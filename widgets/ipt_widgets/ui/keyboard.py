"""The one piece of browser code in the course: keyboard behaviour that ipywidgets cannot set.

Added as a hidden child of every course widget (``StoredItemWidget``), it marks the widget's
root node, and every control in it that can take focus, with ``data-lm-suppress-shortcuts``.
Lumino, which dispatches JupyterLab's and Notebook 7's keyboard shortcuts, ignores every key
pressed on such a node: a letter typed
on a focused radio button no longer cuts the cell (``x``), turns it into Markdown (``m``) or
moves to another cell (arrow keys). The browser's own handling of the key is unchanged.

It also makes each ipywidgets ``RadioButtons`` one radio group, as the ARIA practice asks: its
inputs share a ``name`` (one Tab stop, arrow keys move inside), and the box has
``role="radiogroup"`` labelled by the control's description. Focus rings are drawn 3 px wide in
a colour with at least 3:1 contrast against the notebook, outside the control, never clipped.
"""

from __future__ import annotations

import anywidget

_ESM = r"""
let groups = 0;

function groupRadios(box) {
  if (!box.dataset.iptGroup) box.dataset.iptGroup = `ipt-radio-${Math.random().toString(36).slice(2)}-${groups++}`;
  const name = box.dataset.iptGroup;
  box.querySelectorAll('input[type="radio"]').forEach((radio) => {
    if (radio.name !== name) radio.name = name;
  });
  if (box.getAttribute("role") !== "radiogroup") box.setAttribute("role", "radiogroup");
  const label = box.parentElement && box.parentElement.querySelector(":scope > .widget-label");
  if (label && label.textContent.trim()) {
    if (!label.id) label.id = `${name}-label`;
    if (box.getAttribute("aria-labelledby") !== label.id) box.setAttribute("aria-labelledby", label.id);
  }
}

// Lumino walks up from the key's target and stops at the first node that carries the attribute,
// but a shortcut whose selector ends in ":focus" matches the focused control itself first: so the
// attribute goes on every control that takes focus, as well as on the widget's root.
const SUPPRESS = "data-lm-suppress-shortcuts";
const FOCUSABLE = "input, select, textarea, button, a[href], [tabindex], .noUi-handle";

function suppress(node) {
  if (node instanceof Element && !node.hasAttribute(SUPPRESS)) node.setAttribute(SUPPRESS, "true");
}

// ipywidgets' sliders label the widget, not the handle a screen reader lands on.
function nameSliders(host) {
  host.querySelectorAll(".widget-slider").forEach((slider) => {
    const label = slider.querySelector(":scope > .widget-label");
    const name = slider.getAttribute("title") || (label ? label.textContent.trim() : "");
    slider.querySelectorAll(".noUi-handle").forEach((handle) => {
      if (name && handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
    });
  });
}

function applyTo(host) {
  suppress(host);
  host.querySelectorAll(FOCUSABLE).forEach(suppress);
  host.querySelectorAll(".widget-radio-box").forEach(groupRadios);
  nameSliders(host);
}

// Ctrl+S / Cmd+S is the one shortcut a trainee needs inside a widget ("save the notebook before you
// submit"). Lumino now ignores it here, and the browser would offer to save the web page instead:
// hand the same keys to the notebook itself, outside the widget.
function saveFromInside(event) {
  const accel = event.ctrlKey || event.metaKey;
  if (!accel || event.altKey || event.shiftKey || (event.key || "").toLowerCase() !== "s") return;
  event.preventDefault();
  event.stopPropagation();
  const target = event.currentTarget.closest(".jp-Notebook") || document.body;
  target.dispatchEvent(new KeyboardEvent("keydown", {
    key: event.key, code: event.code, keyCode: event.keyCode, which: event.which,
    ctrlKey: event.ctrlKey, metaKey: event.metaKey, bubbles: true, cancelable: true,
  }));
}

function render({ el }) {
  el.classList.add("ipt-keyboard-scope");
  let observer = null;
  let frames = 0;
  const attach = () => {
    const host = el.closest(".ipt-widget");
    if (!host) {
      // The parent box inserts this view after rendering it: wait until it is in place.
      if (frames++ < 600) requestAnimationFrame(attach);
      return;
    }
    applyTo(host);
    host.addEventListener("focusin", (event) => suppress(event.target));
    host.addEventListener("keydown", saveFromInside);
    // Controls are re-rendered when their options change: group them again.
    observer = new MutationObserver(() => applyTo(host));
    observer.observe(host, { childList: true, subtree: true });
  };
  attach();
  return () => observer && observer.disconnect();
}

export default { render };
"""

_CSS = r"""
.ipt-keyboard-scope { display: none !important; }
.ipt-widget { padding: 4px; }
.ipt-widget .widget-radio-box,
.ipt-widget .widget-radio-box label,
.ipt-widget .widget-hbox,
.ipt-widget .widget-vbox { overflow: visible; }
.ipt-widget :focus-visible,
.ipt-widget textarea:focus,
.ipt-widget input:focus,
.ipt-widget select:focus,
.ipt-widget button:focus-visible,
.ipt-widget .noUi-handle:focus {
  outline: 3px solid #0b57d0 !important;
  outline-offset: 2px !important;
}
.ipt-widget .widget-radio-box label { padding: 2px 4px; }
/* Long labels (a timeline's events) wrap in their column instead of being cut off. */
.ipt-widget .widget-dropdown > .widget-label {
  white-space: normal; overflow: visible; text-overflow: clip; height: auto; line-height: 1.25;
}
.ipt-widget .widget-dropdown { height: auto; min-height: var(--jp-widgets-inline-height, 28px); }
.ipt-widget .widget-dropdown > select { height: var(--jp-widgets-inline-height, 28px); align-self: center; }
"""


class KeyboardScope(anywidget.AnyWidget):
    """Invisible helper: keeps keys inside the enclosing ``.ipt-widget`` and groups its radio buttons."""

    _esm = _ESM
    _css = _CSS
