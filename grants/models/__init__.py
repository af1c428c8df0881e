"""The grants app's models, one module per part of the hibah cycle."""

from grants.models.agreement import Agreement, BudgetLine
from grants.models.grant import (
    MONEY,
    Funder,
    Grant,
    GrantQuerySet,
    GrantRecordQuerySet,
    Stage,
    not_negative,
    sum_of,
)
from grants.models.lpj import LpjSubmission
from grants.models.money import (
    Allocation,
    AllocationQuerySet,
    Disbursement,
    Expenditure,
    RemainderReturn,
)

__all__ = [
    "MONEY",
    "Agreement",
    "Allocation",
    "AllocationQuerySet",
    "BudgetLine",
    "Disbursement",
    "Expenditure",
    "Funder",
    "Grant",
    "GrantQuerySet",
    "GrantRecordQuerySet",
    "LpjSubmission",
    "RemainderReturn",
    "Stage",
    "not_negative",
    "sum_of",
]
