"""The member's score page names each component by the scheme's label, in the scheme's order."""

from scoring.models import Result
from scoring.selectors import component_lines

from .conftest import YEAR, scheme
from .test_pages import PageClient


def test_a_members_components_read_under_the_schemes_labels(county_a, admin_a, tree, alice):
    deduction = scheme(admin_a, "deduction_base100")
    result = Result.objects.get(person=alice, year=YEAR)
    labels = [component["label"] for component in deduction.config["components"]]

    lines = component_lines(result)
    page = PageClient(county_a, alice.user).get(f"/me/scores/?year={YEAR}").content.decode()

    assert [label for label, _points in lines] == [label for label in labels if label in dict(lines)]
    assert len(lines) == len(result.components)
    assert "<th>党的纪律</th>" in page and "<th>discipline</th>" not in page
