"""SVG figures: well-formed, described for screen readers, and escaped."""

import xml.etree.ElementTree as ET

from ipt_widgets.figures import closeness_circle_svg, phq9_svg, timeline_svg

PAYLOAD = "<script>alert(1)</script>"


def parse(svg):
    return ET.fromstring(svg)  # raises if the markup is not well-formed


def test_closeness_circle_places_people_and_describes_them():
    svg = closeness_circle_svg(
        [{"name": "Amara", "circle": "inner", "focus": True, "changed": True}, {"name": PAYLOAD, "circle": "outer"}]
    )
    root = parse(svg)
    assert root.get("role") == "img"
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    assert "Amara: inner circle" in desc and "tied to the problem area" in desc
    assert "<script>" not in svg and "Amara ★" in svg


def test_empty_circle_is_still_a_picture():
    assert "No people yet." in closeness_circle_svg([])


def test_timeline_and_phq9_are_well_formed_and_escaped():
    parse(timeline_svg([7, 6, 4, 2], [(PAYLOAD, 2, "onset"), ("Move", 3, "")]))
    svg = phq9_svg([18, None, 7], ["Intake", PAYLOAD, "Session 8"])
    parse(svg)
    assert "<script>" not in svg and "not scored" in svg


def test_no_person_is_drawn_over_a_ring_label():
    """Ring labels sit at the bottom of each ring; people keep clear of that sector."""
    import math

    from ipt_widgets.figures import _LABEL_GAP, _person_angle

    for circle in ("inner", "middle", "outer"):
        for n in range(1, 13):
            for k in range(n):
                off_bottom = abs((_person_angle(circle, k, n) - math.pi / 2 + math.pi) % (2 * math.pi) - math.pi)
                assert off_bottom >= _LABEL_GAP - 1e-9, (circle, k, n)


def test_late_event_labels_stay_inside_the_chart():
    from ipt_widgets.figures import timeline_svg

    svg = timeline_svg([5] * 14, [("Sipho's children move to Mthatha", 13, "worsening"), ("Course", 2, "")])
    body = svg.split("</desc>", 1)[1]
    late = next(part for part in body.split("<text") if "Mthatha" in part)
    early = next(part for part in body.split("<text") if "Course" in part)
    assert "text-anchor='end'" in late and "text-anchor='end'" not in early
