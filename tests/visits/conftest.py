import pytest

from lkks.models import Body, Membership
from tests.factories import KAMPAR, StudyVisitFactory, region


@pytest.fixture
def visit(kampar, sleman):
    """Kampar's visit to Sleman on 16 October 2024."""
    return StudyVisitFactory(visiting_body=kampar, host_body=sleman)


@pytest.fixture
def third(db):
    """A body on neither side of the visit."""
    return Body.objects.create(name="LKKS Contoh Ketiga", slug="ketiga", regency=region(KAMPAR))


@pytest.fixture
def third_staff(third, member):
    return member(third, username="staf-ketiga")


@pytest.fixture
def sleman_official(sleman, member):
    return member(sleman, Membership.Role.OFFICIAL, username="pejabat-sleman")
