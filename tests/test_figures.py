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
