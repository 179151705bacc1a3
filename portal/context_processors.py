from django.conf import settings
from django.utils import translation


def site(request):
    english = (translation.get_language() or "").startswith("en")
    return {
        "site_name": settings.PORTAL_SITE_NAME_EN if english else settings.PORTAL_SITE_NAME,
    }
