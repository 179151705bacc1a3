from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.http import campus_session
from disclosures.models import DisclosureGuide
from portal.middleware import language_alternates


def site(request):
    english = (translation.get_language() or "").startswith("en")
    return {
        "site_name": settings.PORTAL_SITE_NAME_EN if english else settings.PORTAL_SITE_NAME,
        # Read only where a template uses it (the footer, inside its cached fragment).
        "disclosure_office": SimpleLazyObject(DisclosureGuide.current),
        # What a page without a description of its own says about itself (<meta name="description">, Open Graph).
        "site_description": _(
            "What %(college)s publishes under the Measures for the Disclosure of Information of Institutions of "
            "Higher Education: the disclosure catalogue and its items, applications for disclosure, feedback and "
            "the annual reports."
        )
        % {"college": settings.PORTAL_COLLEGE_NAME},
        # Site identity in every page's footer (README: PORTAL_COLLEGE_NAME, PORTAL_ICP_NUMBER, ...).
        "college_name": settings.PORTAL_COLLEGE_NAME,
        "icp_number": settings.PORTAL_ICP_NUMBER,
        "psb_number": settings.PORTAL_PSB_NUMBER,
        "psb_code": settings.PORTAL_PSB_CODE,
        "site_code": settings.PORTAL_SITE_CODE,
        # Campus sign-in (portal.campus_sso): the header's sign-in link, or sign-out for a campus session.
        "portal_sso": settings.PORTAL_SSO != "none",
        "campus_signed_in": campus_session(request) is not None,
        # This page in each language, for the hreflang links and the language switch.
        "language_alternates": language_alternates(request),
    }
