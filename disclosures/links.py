"""Links in published items that lead nowhere, the check government-site inspections make (断链检查).

- Internal links (relative, or to this site's own host) are checked when an item is published
  (``check_internal``, called by the publishing services after the commit): the address must resolve to a page
  of the site, and an item or attachment it names must exist and be public.
- External links are checked by ``manage.py check_links`` (run it from cron, e.g. nightly): each address once,
  with a short timeout (``LINK_CHECK_TIMEOUT``, 5 s by default), HEAD first and GET when HEAD is refused.
Broken ones are kept as ``BrokenLink`` rows and listed on the compliance dashboard.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.models import Attachment, BrokenLink, Disclosure, DisclosureStatus, LinkKind

USER_AGENT = "portal-link-check/1.0"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (tag in ("img", "source") and name == "src")):
                self.links.append(value.strip())


def links_in(html: str) -> list[str]:
    """The addresses an item's body links to (no mailto:, tel:, javascript: or #anchors), each once."""
    parser = _Links()
    parser.feed(html or "")
    seen, result = set(), []
    for link in parser.links:
        if link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")) or link in seen:
            continue
        seen.add(link)
        result.append(link)
    return result


def is_internal(url: str) -> bool:
    """A relative address, or one on this site's own address (PORTAL_BASE_URL) or host names (ALLOWED_HOSTS,
    without another port)."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True
    if parts.netloc == urlsplit(settings.PORTAL_BASE_URL).netloc:
        return True
    hosts = {host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"}
    return parts.port is None and (parts.hostname or "") in hosts


def internal_problem(url: str) -> str | None:
    """Why an address on this site leads nowhere, or None when it leads to a page."""
    path = urlsplit(url).path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        return _("No such page (404)")
    name = match.url_name or ""
    public = [DisclosureStatus.PUBLISHED]
    if name in ("disclosure-detail", "disclosure-print"):
        if not Disclosure.objects.filter(index_number=match.kwargs["index_number"], status__in=public).exists():
            return _("The item is not published (404)")
    elif name == "attachment-download":
        if not Attachment.objects.filter(
            pk=match.kwargs["pk"],
            disclosure__index_number=match.kwargs["index_number"],
            disclosure__status__in=public,
        ).exists():
            return _("The attachment is not there (404)")
    return None


def _record(disclosure: Disclosure, kind: str, problems: dict[str, str]) -> None:
    now = timezone.now()
    with transaction.atomic():
        BrokenLink.objects.filter(disclosure=disclosure, kind=kind).exclude(url__in=problems).delete()
        for url, problem in problems.items():
            BrokenLink.objects.update_or_create(
                disclosure=disclosure, url=url, defaults={"kind": kind, "problem": problem[:200], "checked_at": now}
            )


def check_internal(disclosure: Disclosure) -> dict[str, str]:
    """Check the internal links of a published item now; keep what is broken. Returns {address: problem}."""
    problems = {}
    for url in links_in(disclosure.body):
        if is_internal(url):
            problem = internal_problem(url)
            if problem:
                problems[url] = problem
    _record(disclosure, LinkKind.INTERNAL, problems)
    return problems


def external_problem(url: str, *, timeout: float) -> str | None:
    """Why an external address leads nowhere (HTTP status or network error), or None when it answers."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, below
                if response.status < 400:
                    return None
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            if method == "HEAD" and status in (403, 405, 501):
                continue  # some servers refuse HEAD: ask again with GET
            return _("HTTP %(status)s") % {"status": status}
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                return _("No answer within %(seconds)s seconds") % {"seconds": f"{timeout:g}"}
            return _("Unreachable: %(reason)s") % {"reason": str(reason)[:120]}
        else:
            return _("HTTP %(status)s") % {"status": status}
    return _("HTTP %(status)s") % {"status": status}


def check_external(*, timeout: float = 5.0) -> dict[str, str]:
    """Check every external link of the published items (each address once); keep what is broken."""
    published = list(Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED).only("pk", "body"))
    by_url: dict[str, list[Disclosure]] = {}
    for disclosure in published:
        for url in links_in(disclosure.body):
            if not is_internal(url) and urlsplit(url).scheme in ("http", "https"):
                by_url.setdefault(url, []).append(disclosure)
    results = {url: external_problem(url, timeout=timeout) for url in by_url}
    for disclosure in published:
        problems = {
            url: results[url] for url in links_in(disclosure.body) if url in results and results[url] is not None
        }
        _record(disclosure, LinkKind.EXTERNAL, problems)
    return {url: problem for url, problem in results.items() if problem}
