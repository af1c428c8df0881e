from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.grants.test_views import *  # noqa

def test_dbg(staff_client, kampar, grant):
    def add(count):
        for _ in range(count):
            activity = ActivityFactory(program__body=kampar)
            AllocationFactory(grant=grant, activity=activity, amount=1)
            DisbursementFactory(grant=grant, amount=1)
            line = BudgetLineFactory(grant=grant, amount=1)
            ExpenditureFactory(grant=grant, activity=activity, budget_line=line, amount=1, receipt="receipts/x.pdf")
            RemainderReturnFactory(grant=grant, amount=1)
            LpjSubmissionFactory(grant=grant, outcome="returned", decided_on="2025-01-09", review_note="Kurang kuitansi")
    url = grant.get_absolute_url()
    add(5)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as a: staff_client.get(url)
    add(45)
    with CaptureQueriesContext(connection) as b: staff_client.get(url)
    for q in a.captured_queries: print("A", q["sql"][:150])
    for q in b.captured_queries: print("B", q["sql"][:150])
    assert 0
