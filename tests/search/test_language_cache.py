"""Cached fragments and memoized blocks follow the language (issue 16).

Two server processes share nothing but the database and, with Redis, the cache: each keeps its own memo of the
content version, and with the local-memory cache its own store. The pages are asked alternately in Chinese and
English through two caches (two processes with their own local-memory caches) and through one shared cache
(two processes on one Redis), with the page cache and the fragment caches on as shipped; every answer must be
the page rendered with no cache at all in that language.
"""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse, translate_url
from django.utils import translation

from core import cache as pagecache
from tests.factories import make_disclosure

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en")


def _normalised(content: bytes) -> str:
    text = content.decode()
    text = re.sub(r'nonce="[^"]*"', 'nonce=""', text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def _get(client, url, language):
    """The page in ``language``: at its own address (English under /en/, issue 18), with the cookie to match."""
    client.cookies["django_language"] = language
    path, _, query = url.partition("?")
    with translation.override(settings.LANGUAGE_CODE):  # the addresses below are the Chinese (unprefixed) ones
        path = translate_url(path, language)
    response = client.get(path + (f"?{query}" if query else ""))
    assert response.status_code == 200, url
    return _normalised(response.content)


def _urls(disclosure):
    return [
        reverse("home"),
        reverse("search") + "?q=鸿雁",
        reverse("search") + "?q=鸿雁&page=1",
        reverse("search") + "?q=量子计算机",
        reverse("disclosures:disclosure-list"),
        reverse("disclosures:disclosure-list") + "?department=admissions",
        reverse("disclosures:category-list"),
        disclosure.category.get_absolute_url(),
        disclosure.get_absolute_url(),
    ]


def _forget_version_memo():
    """What a fresh process knows of the content version: nothing yet."""
    for memo in pagecache._version_memos.values():
        memo["read_at"] = float("-inf")


@pytest.mark.parametrize("shared", [False, True], ids=["own-caches", "shared-cache"])
def test_pages_alternate_languages_across_two_processes(client, shared):
    disclosure = make_disclosure(title="鸿雁计划通知", body="<p>正文提到鸿雁</p>")
    urls = _urls(disclosure)
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=False):
        expected = {(url, language): _get(client, url, language) for url in urls for language in LANGUAGES}
    assert "1 result for" in expected[(urls[1], "en")]
    assert "条" in expected[(urls[1], "zh-hans")]
    process_caches = {
        "a": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process-a"}},
        "b": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process-b"}},
    }
    if shared:
        process_caches["b"] = process_caches["a"]
    for name in process_caches:
        with override_settings(CACHES=process_caches[name]):
            caches["default"].clear()
    order = [(p, lang) for lang in LANGUAGES + LANGUAGES for p in ("a", "b")] + [("b", "en"), ("a", "zh-hans")]
    with override_settings(PAGE_CACHE_ENABLED=True, FRAGMENT_CACHE_ENABLED=True):
        for url in urls:
            for process, language in order:
                with override_settings(CACHES=process_caches[process]):
                    _forget_version_memo()
                    assert _get(client, url, language) == expected[(url, language)], (url, process, language)
        # The page cache off, the fragments and memos still on: the same, from the fragments alone.
        with override_settings(PAGE_CACHE_ENABLED=False):
            for url in urls:
                for process, language in order:
                    with override_settings(CACHES=process_caches[process]):
                        _forget_version_memo()
                        assert _get(client, url, language) == expected[(url, language)], (url, process, language)


def test_memo_keys_name_the_language(rf):
    from django.utils import translation

    request = rf.get("/")
    keys = []
    for language in LANGUAGES:
        with translation.override(language):
            keys.append(pagecache.variant_key(request))
    assert keys[0] != keys[1]
