"""The LKS of the portal's tests: one of Kampar, recorded by its staff."""

import pytest

from tests.factories import OrganisationFactory


@pytest.fixture
def lks(staff):
    organisation = OrganisationFactory(
        body=staff.memberships.get().body, name="Panti Asuhan Al-Ikhlas"
    )
    organisation.history.update(history_user=staff)
    return organisation
