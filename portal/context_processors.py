from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from disclosures.models import DisclosureGuide


def site(request):
    english = (translation.get_language() or "").startswith("en")
    return {
        "site_name": settings.PORTAL_SITE_NAME_EN if english else settings.PORTAL_SITE_NAME,
        # Read only where a template uses it (the footer, inside its cached fragment).
        "disclosure_office": SimpleLazyObject(DisclosureGuide.current),
    }
