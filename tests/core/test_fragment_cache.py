"""``{% fragment_cache %}``: one rendering per content version, language, audience and URL prefix."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.cache import bump_content_version

pytestmark = pytest.mark.django_db
LINK = Template("{% load fragment_cache %}{% fragment_cache 'link' %}{% url 'home' %}{% endfragment_cache %}")


@pytest.fixture
def script_prefix():
    """Set the URL prefix as the WSGI handler does for a site served under a sub-path (SCRIPT_NAME)."""
    yield set_script_prefix
    clear_script_prefix()


def render(request) -> str:
    return LINK.render(Context({"request": request}))


class Counter:
    def __init__(self):
        self.renders = 0

    def __str__(self) -> str:
        self.renders += 1
        return str(self.renders)


def test_a_fragment_is_rendered_once_per_content_version():
    counter = Counter()
    counted = Template("{% load fragment_cache %}{% fragment_cache 'count' %}{{ counter }}{% endfragment_cache %}")
    for _request in range(3):
        assert counted.render(Context({"request": RequestFactory().get("/"), "counter": counter})) == "1"
    bump_content_version()
    assert counted.render(Context({"request": RequestFactory().get("/"), "counter": counter})) == "2"


def test_each_url_prefix_gets_its_own_links(script_prefix):
    script_prefix("/xxgk/")
    assert render(RequestFactory().get("/")) == "/xxgk/"
    script_prefix("/")
    assert render(RequestFactory().get("/")) == "/"
    script_prefix("/xxgk/")
    assert render(RequestFactory().get("/")) == "/xxgk/"


def test_the_site_navigation_follows_the_url_prefix(client, script_prefix):
    script_prefix("/xxgk/")
    catalogue_under_prefix = reverse("disclosures:category-list")
    page = client.get(reverse("home")).content.decode()
    assert f'href="{catalogue_under_prefix}"' in page and catalogue_under_prefix.startswith("/xxgk/")
    script_prefix("/")
    catalogue = reverse("disclosures:category-list")
    page = client.get(reverse("disclosures:disclosure-list")).content.decode()
    assert f'href="{catalogue}"' in page and "/xxgk/" not in page
