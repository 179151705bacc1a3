"""RSS and Atom feeds of the public items: all of them, and per category."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from disclosures.models import Audience, Category, Disclosure

FEED_ITEMS = 30


def public_disclosures():
    """What anyone may read, whatever network the feed reader is on."""
    return Disclosure.objects.published().filter(audience=Audience.PUBLIC).with_relations()


class LatestFeed(Feed):
    description_template = "portal/feed_item_description.html"

    def title(self):
        return settings.PORTAL_SITE_NAME

    def link(self):
        return reverse("disclosures:disclosure-list")

    def description(self):
        return _("The latest items published by the college.")

    def items(self):
        return public_disclosures().order_by("-published_at", "-id")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        return item.index_number

    item_guid_is_permalink = False

    def item_categories(self, item):
        return [item.category.name]

    def item_author_name(self, item):
        return item.department.name


class AtomEntryIds:
    """Atom entries are identified by the item's address (RFC 4287 4.2.6: an ``atom:id`` is an absolute IRI; the
    W3C feed validator refuses a bare index number), the permanent address of the item's page as the feed
    reader was given it. RSS keeps the index number as a ``guid`` that is not a permalink, which RSS allows."""

    feed_type = Atom1Feed
    item_guid = None

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for entry in feed.items:
            entry["unique_id"] = entry["link"]
        return feed


class LatestAtomFeed(AtomEntryIds, LatestFeed):
    subtitle = LatestFeed.description


class CategoryFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.PORTAL_SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _("The latest items published in the category %(category)s.") % {"category": obj.name}

    def items(self, obj):
        return public_disclosures().filter(category=obj).order_by("-published_at", "-id")[:FEED_ITEMS]


class CategoryAtomFeed(AtomEntryIds, CategoryFeed):
    subtitle = CategoryFeed.description
