"""The read-replica router: public anonymous reads go to the replica, everything else to the primary.

The test settings define ``replica`` as a TEST MIRROR of the test database (a second connection to it), so the
queries a request sends to each alias can be counted; the router is switched on per test.
"""

import pytest
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosures import services
from disclosures.models import Attachment, Disclosure
from portal import db_router
from portal.db_router import PRIMARY, REPLICA, PrimaryReplicaRouter, ReplicaRoutingMiddleware, RequestScope
from requests_app.models import DisclosureApplication
from tests.factories import make_disclosure, pdf_bytes, upload
from tests.requests_app.factories import form_post

ROUTED = override_settings(DATABASE_ROUTERS=["portal.db_router.PrimaryReplicaRouter"], PAGE_CACHE_ENABLED=False)


def _in_scope(replica_allowed: bool):
    return db_router._scope.set(RequestScope(replica_allowed=replica_allowed))


def test_outside_a_request_everything_uses_the_primary():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Disclosure) == PRIMARY
    assert router.db_for_write(Disclosure) == PRIMARY


def test_reads_go_to_the_replica_until_the_request_writes():
    router = PrimaryReplicaRouter()
    token = _in_scope(True)
    try:
        assert router.db_for_read(Disclosure) == REPLICA
        assert router.db_for_write(Attachment) == PRIMARY
        assert router.db_for_read(Disclosure) == PRIMARY  # reads its own write
    finally:
        db_router._scope.reset(token)


def test_a_request_not_allowed_the_replica_reads_the_primary():
    token = _in_scope(False)
    try:
        assert PrimaryReplicaRouter().db_for_read(Disclosure) == PRIMARY
    finally:
        db_router._scope.reset(token)


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary():
    token = _in_scope(True)
    try:
        with transaction.atomic():
            assert PrimaryReplicaRouter().db_for_read(Disclosure) == PRIMARY
    finally:
        db_router._scope.reset(token)


def test_migrations_run_on_the_primary_only_and_relations_are_allowed():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(PRIMARY, "disclosures") is True
    assert router.allow_migrate(REPLICA, "disclosures") is False
    assert router.allow_relation(Disclosure(), Attachment()) is True


@pytest.mark.parametrize(
    "method, cookies, allowed",
    [
        ("GET", {}, True),
        ("HEAD", {}, True),
        ("GET", {"csrftoken": "x", "django_language": "en"}, True),
        ("GET", {settings.SESSION_COOKIE_NAME: "abc"}, False),  # staff, applicants following their records
        ("POST", {}, False),
    ],
)
def test_which_requests_may_read_the_replica(rf, method, cookies, allowed):
    request = rf.generic(method, "/items/")
    request.COOKIES.update(cookies)
    assert db_router.replica_allowed(request) is allowed


def test_without_the_router_the_middleware_steps_out():
    # The default: no DATABASE_REPLICA_URL, no router, nothing changes.
    with pytest.raises(MiddlewareNotUsed):
        ReplicaRoutingMiddleware(lambda request: None)


# Through the whole stack, with the replica as a real second connection ----------------------------------------


def _queries(alias):
    return CaptureQueriesContext(connections[alias])


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])
def test_public_pages_read_from_the_replica_and_staff_from_the_primary(client, seeded_catalogue, staff_user):
    item = make_disclosure(title="副本读取的通知")
    with ROUTED:
        for url in ["/", reverse("disclosures:disclosure-list"), item.get_absolute_url(), "/search/?q=副本"]:
            with _queries(PRIMARY) as primary, _queries(REPLICA) as replica:
                response = client.get(url)
            assert response.status_code == 200, url
            assert len(replica) > 0 and len(primary) == 0, (url, len(replica), len(primary))
        assert "副本读取的通知" in client.get(item.get_absolute_url()).content.decode()

        client.force_login(staff_user)
        with _queries(PRIMARY) as primary, _queries(REPLICA) as replica:
            assert client.get(item.get_absolute_url()).status_code == 200
        assert len(replica) == 0 and len(primary) > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])
def test_an_applicant_reads_the_receipt_of_what_they_just_filed_from_the_primary(client, seeded_catalogue):
    with ROUTED:
        form = client.get(reverse("requests_app:apply"))
        assert form.status_code == 200
        with _queries(REPLICA) as replica:
            posted = client.post(reverse("requests_app:apply"), form_post())
            assert posted.status_code == 302
            receipt = client.get(posted["Location"])
        assert len(replica) == 0
    application = DisclosureApplication.objects.get()
    assert receipt.status_code == 200 and application.tracking_number in receipt.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])
def test_a_download_reads_the_replica_until_it_counts_itself_on_the_primary(client, seeded_catalogue):
    item = make_disclosure()
    attachment = services.attachment_add(disclosure=item, uploaded=upload("计划.pdf", pdf_bytes()))
    url = reverse("disclosures:attachment-download", args=[item.index_number, attachment.pk])
    with ROUTED, _queries(PRIMARY) as primary, _queries(REPLICA) as replica:
        response = client.get(url)
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert len(replica) > 0
    assert any("UPDATE" in q["sql"] and "download_count" in q["sql"] for q in primary.captured_queries)
    writes = ("UPDATE", "INSERT", "DELETE")
    assert not any(q["sql"].lstrip().upper().startswith(writes) for q in replica.captured_queries)
    assert Attachment.objects.get(pk=attachment.pk).download_count == 1
