"""A file is read once, when it is stored (issue 14): the review page and the approval search the kept text and
read no file; a file stored before the text was kept is read before the approval's transaction, never inside."""

import pytest
from django.db import connection
from django.urls import reverse

from disclosures import attachment_text, services
from disclosures.models import DisclosureStatus
from disclosures.search_models import AttachmentText
from tests.factories import make_disclosure, reviewer, upload
from tests.scans import VALID_ID, docx_with_parts

pytestmark = pytest.mark.django_db
CONFIRMED = {"no_state_secrets": True, "no_trade_secrets": True, "no_personal_privacy": True}


@pytest.fixture
def reads(monkeypatch):
    """Every file read, with whether a transaction was open at that moment."""
    seen = []
    original = attachment_text.extract

    def counting(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return original(*args, **kwargs)

    monkeypatch.setattr(attachment_text, "extract", counting)
    return seen


def test_the_review_page_and_the_approval_read_no_file(client, reads, settings):
    settings.DISCLOSURE_SELF_APPROVAL = True
    item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.attachment_add(disclosure=item, uploaded=upload("名单.docx", docx_with_parts(footer=f"身份证 {VALID_ID}")))
    assert len(reads) == 1  # on upload
    office = reviewer()
    client.force_login(office)
    page = client.get(reverse("admin:disclosures_disclosure_review", args=[item.pk])).content.decode()
    assert "1101**********002X" in page
    services.disclosure_approve(disclosure=item, user=office, acknowledge_scan=True, **CONFIRMED)
    assert len(reads) == 1  # neither the page nor the approval read the file again


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_without_kept_text_is_read_outside_the_transaction(reads, seeded_catalogue, settings):
    item = make_disclosure(status=DisclosureStatus.SUBMITTED)
    services.attachment_add(disclosure=item, uploaded=upload("名单.docx", docx_with_parts(body=f"身份证 {VALID_ID}")))
    AttachmentText.objects.all().delete()  # stored before the text was kept
    reads.clear()
    review = services.disclosure_approve_and_publish(
        disclosure=item, user=reviewer(), acknowledge_scan=True, publish=False, **CONFIRMED
    )
    assert reads == [False]  # read once, with no transaction open
    assert [hit["masked"] for hit in review.scan_hits if "masked" in hit] == ["1101**********002X"]
