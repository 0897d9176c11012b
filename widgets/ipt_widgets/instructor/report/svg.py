"""What both figures share: the font, the viridis colour scale, the ink that reads on a colour, the frame."""

from __future__ import annotations

from .formats import text

_FONT = "font-family='system-ui, sans-serif'"
# viridis, sampled at 0, 0.1, ..., 1: perceptually uniform, readable with every common colour
# vision deficiency and in greyscale.
_VIRIDIS = (
    "#440154",
    "#482475",
    "#414487",
    "#355f8d",
    "#2a788e",
    "#21918c",
    "#22a884",
    "#44bf70",
    "#7ad151",
    "#bddf26",
    "#fde725",
)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def colour_for(value: float) -> str:
    """The viridis colour of a fraction (0–1, clamped), interpolated between the sampled stops."""
    v = max(0.0, min(1.0, value)) * (len(_VIRIDIS) - 1)
    lo = min(int(v), len(_VIRIDIS) - 2)
    t = v - lo
    a, b = _rgb(_VIRIDIS[lo]), _rgb(_VIRIDIS[lo + 1])
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def _ink(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG relative luminance)."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(background))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def _svg(width: float, height: float, title: str, desc: str, body: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' width='{width:.0f}' "
        f"style='max-width:100%;height:auto' role='img' aria-label='{text(title)}'>"
        f"<title>{text(title)}</title><desc>{text(desc)}</desc>{body}</svg>"
    )
