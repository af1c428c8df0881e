"""The import checks the register's check constraints in Python: the same answer as the
database, for every constraint, on every combination of the values they read."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from members.imports.checking import PASSES
from members.models import Accreditation, LegalDocument, Organisation, Registration

pytestmark = pytest.mark.django_db

MODELS = [Organisation, Registration, Accreditation, LegalDocument]
DATES = [None, datetime.date(2024, 1, 1), datetime.date(2024, 6, 1)]


def check_constraints(model):
    return [c for c in model._meta.constraints if isinstance(c, models.CheckConstraint)]


def database_passes(constraint, instance):
    try:
        constraint.validate(type(instance), instance)
    except ValidationError:
        return False
    return True


def test_every_check_constraint_of_the_imported_models_has_a_predicate():
    names = {c.name for model in MODELS for c in check_constraints(model)}
    assert names == set(PASSES)


def registrations():
    for status, number, submitted, issued, valid in itertools.product(
        ["submitted", "registered"], ["", "460/1"], DATES, DATES, DATES
    ):
        yield Registration(
            status=status,
            number=number,
            submitted_on=submitted,
            issued_on=issued,
            valid_until=valid,
        )


def accreditations():
    for status, grade, submitted, accredited, valid in itertools.product(
        ["submitted", "accredited"], ["", "B"], DATES, DATES, DATES
    ):
        yield Accreditation(
            status=status,
            grade=grade,
            submitted_on=submitted,
            accredited_on=accredited,
            valid_until=valid,
        )


def documents():
    for issued, valid in itertools.product(DATES, DATES):
        yield LegalDocument(kind="npwp", number="1", issued_on=issued, valid_until=valid)


@pytest.mark.parametrize("instances", [registrations, accreditations, documents])
def test_the_predicates_agree_with_the_database(instances):
    disagreements = [
        (constraint.name, vars(instance))
        for instance in instances()
        for constraint in check_constraints(type(instance))
        if PASSES[constraint.name](instance) != database_passes(constraint, instance)
    ]
    assert disagreements == []
