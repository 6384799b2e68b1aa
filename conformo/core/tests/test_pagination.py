"""A DISTINCT list's page and count read by its keys (`conformo.core.pagination.page_rows`, `row_count`,
`KeyedRows`): the same rows in the same order as slicing the queryset, and the same count."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from conformo.core.pagination import KeyedRows, PageNumberPagination, keyed_page, page_rows, read_page, row_count
from conformo.core.tests.factories import OrganizationFactory, SiteFactory
from conformo.organizations.models import Organization, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizations() -> list[Organization]:
    found: list[Organization] = []
    for i, sites in enumerate((3, 1, 0, 2, 1, 4)):
        organization = OrganizationFactory(legal_name=f"Org {i % 3} {i}")
        SiteFactory.create_batch(sites, organization=organization)
        found.append(organization)
    return found


def test_a_distinct_page_is_the_slice_of_the_queryset_and_the_count_its_count(organizations):
    # The join to the sites repeats an organization once per site: DISTINCT drops the repeats.
    rows = Organization.objects.filter(sites__permanent_staff__gt=0).distinct().order_by("-legal_name", "pk")
    assert row_count(rows) == rows.count() == 5
    for start, stop in ((0, 2), (2, 4), (4, 6), (0, 10), (3, 3)):
        assert page_rows(rows, start, stop) == list(rows[start:stop])
    page = Paginator[Organization](KeyedRows(rows), 2).get_page(2)
    assert list(page.object_list) == list(rows[2:4])
    assert page.paginator.count == 5


def test_a_queryset_that_is_not_distinct_or_aggregates_is_sliced_as_it_is(organizations):
    plain = Organization.objects.order_by("legal_name", "pk")
    assert page_rows(plain, 1, 3) == list(plain[1:3])
    counted = Organization.objects.annotate(n=Count("sites")).distinct().order_by("-n", "pk")
    assert page_rows(counted, 0, 3) == list(counted[0:3])
    assert row_count(counted) == counted.count() == len(organizations)
    assert row_count([1, 2, 3]) == 3


def test_a_page_of_keyed_rows_counts_the_rows_once(organizations, django_assert_num_queries):
    rows = Organization.objects.filter(sites__permanent_staff__gt=0).distinct().order_by("-legal_name", "pk")
    # The count of the keys, the page's keys, the page's rows.
    expected = list(rows[2:4])
    with django_assert_num_queries(3):
        page = Paginator[Organization](KeyedRows(rows), 2).get_page(2)
        assert list(page.object_list) == expected
        assert page.paginator.count == 5


def test_a_distinct_list_whose_joins_cannot_repeat_a_row_is_paged_and_counted_without_distinct(organizations):
    # Each site joins its one organization: no duplicates, so no DISTINCT to pay for.
    rows = Site.objects.filter(organization__legal_name__startswith="Org").distinct().order_by("-name", "pk")
    with CaptureQueriesContext(connection) as counted:
        assert row_count(rows) == 11
    with CaptureQueriesContext(connection) as paged:
        assert page_rows(rows, 2, 7) == list(rows[2:7])
    assert rows.count() == 11
    assert "DISTINCT" not in counted.captured_queries[0]["sql"]
    assert "DISTINCT" not in paged.captured_queries[0]["sql"]  # the page's keys
    # A join along a one-to-many relation can repeat a row: the DISTINCT stays.
    repeated = Organization.objects.filter(sites__permanent_staff__gte=0).distinct().order_by("legal_name", "pk")
    with CaptureQueriesContext(connection) as counted:
        assert row_count(repeated) == 5
    with CaptureQueriesContext(connection) as paged:
        assert page_rows(repeated, 0, 3) == list(repeated[0:3])
    assert "DISTINCT" in counted.captured_queries[0]["sql"]
    assert "DISTINCT" in paged.captured_queries[0]["sql"]


def test_a_page_and_its_counts_are_read_in_one_statement_with_the_rows_after(organizations):
    # Each site joins its one organization: the keys, the total and each condition's count in one statement.
    rows = Site.objects.filter(organization__legal_name__startswith="Org").distinct().order_by("-name", "pk")
    small = Q(permanent_staff__lt=10)
    for start, stop in ((0, 4), (4, 8), (8, 12)):
        with CaptureQueriesContext(connection) as queries:
            found, counted = read_page(rows, start, stop, small=small)
        assert found == list(rows[start:stop])
        assert counted == {"all": 11, "small": rows.filter(small).count()}
        assert len(queries) == 2  # the keys with the counts, then the page's rows
        assert "OVER ()" in queries[0]["sql"]


def test_a_list_shown_whole_is_counted_apart_with_the_same_page_and_counts(organizations):
    rows = Site.objects.filter(organization__legal_name__startswith="Org").distinct().order_by("-name", "pk")
    small = Q(permanent_staff__lt=10)
    for start, stop in ((0, 4), (8, 12), (20, 24)):
        windowed = read_page(rows, start, stop, small=small)
        with CaptureQueriesContext(connection) as queries:
            assert read_page(rows, start, stop, whole=True, small=small) == windowed
        assert not any("OVER ()" in q["sql"] for q in queries)  # an aggregate, and the page in the list's order
    page, counted = keyed_page(rows, "2", 4, whole=True, small=small)
    assert (list(page.object_list), counted) == (list(rows[4:8]), {"all": 11, "small": rows.filter(small).count()})


@pytest.mark.parametrize(("query", "apart"), [("", True), ("page=2&page_size=3", True), ("q=", True), ("q=Org", False)])
def test_an_indexed_api_list_asked_for_with_no_other_parameter_is_counted_apart(organizations, query, apart):
    rows = Site.objects.filter(organization__legal_name__startswith="Org").distinct().order_by("-name", "pk")
    request = RequestFactory().get("/api/v1/sites", QueryDict(query))
    asked = PageNumberPagination.Input(page=2, page_size=3)
    plain = PageNumberPagination().paginate_queryset(rows, asked, request)
    with CaptureQueriesContext(connection) as queries:
        assert PageNumberPagination(indexed=True).paginate_queryset(rows, asked, request) == plain
    assert plain == {"items": list(rows[3:6]), "count": 11}
    assert any("OVER ()" in q["sql"] for q in queries) is not apart


def test_an_empty_first_page_needs_no_count_and_a_page_past_the_end_counts_apart(organizations):
    none = Organization.objects.filter(legal_name="nobody").distinct().order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        assert read_page(none, 0, 5, big=Q(pk__gt=0)) == ([], {"all": 0, "big": 0})
    assert len(queries) == 1
    rows = Organization.objects.order_by("legal_name", "pk")
    assert read_page(rows, 10, 15, big=Q(pk__gt=0)) == ([], {"all": 6, "big": 6})
    assert read_page([1, 2, 3], 1, 2) == ([2], {"all": 3})


def test_a_list_whose_joins_repeat_rows_is_counted_apart_without_the_repeats(organizations):
    repeated = Organization.objects.filter(sites__permanent_staff__gte=0).distinct().order_by("legal_name", "pk")
    found, counted = read_page(repeated, 1, 4, early=Q(legal_name__startswith="Org 0"))
    assert found == list(repeated[1:4])
    assert counted == {"all": 5, "early": repeated.filter(legal_name__startswith="Org 0").count()}


@pytest.mark.parametrize(
    ("asked", "number", "keys"), [("2", 2, (2, 4)), ("9", 3, (4, 6)), ("0", 3, (4, 6)), ("x", 1, (0, 2))]
)
def test_a_keyed_page_is_the_page_get_page_answers(organizations, asked, number, keys):
    rows = Organization.objects.order_by("-legal_name", "pk")
    page, counted = keyed_page(rows, asked, 2, early=Q(legal_name__startswith="Org 0"))
    expected = Paginator[Organization](rows, 2).get_page(asked)
    assert (
        (page.number, list(page.object_list))
        == (expected.number, list(expected.object_list))
        == (
            number,
            list(rows[keys[0] : keys[1]]),
        )
    )
    assert page.paginator.count == 6
    assert counted == {"all": 6, "early": 2}
