"""The statutory sections of the annual report, in their order, and the report's default title."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosures.models import academic_year_label


@dataclass(frozen=True)
class Section:
    key: str  # also the name of the report's narrative field
    title: object  # lazy translation
    keywords: tuple[str, ...]  # how an imported heading is recognised (most specific sections first)
    narrative_required: bool = False


# The statutory order (DESIGN.md, "Annual report sections"); the system numbers them 一、二、…
SECTIONS: list[Section] = [
    Section("overview", gettext_lazy("Overview"), ("概述", "概况"), narrative_required=True),
    Section("proactive", gettext_lazy("Proactive disclosure"), ("主动公开",)),
    Section("special", gettext_lazy("Disclosure of special information"), ("专项",)),
    Section("applications", gettext_lazy("Disclosure on application and refusals"), ("依申请", "不予公开")),
    Section("evaluation", gettext_lazy("Evaluation of the information disclosure"), ("评议",)),
    Section(
        "complaints",
        gettext_lazy("Complaints received about the college's disclosure work"),
        ("举报", "投诉", "复议", "诉讼"),
    ),
    Section(
        "experience",
        gettext_lazy("Main experience, problems and improvements of the disclosure work"),
        ("经验", "存在的问题", "存在问题", "改进"),
        narrative_required=True,
    ),
    Section("other", gettext_lazy("Other matters to report"), ("其他",), narrative_required=True),
]
SECTION_KEYS = [section.key for section in SECTIONS]
# Which section an imported heading belongs to: the most specific keywords are tried first.
MATCH_ORDER = ["applications", "complaints", "evaluation", "experience", "special", "proactive", "overview", "other"]


def section(key: str) -> Section:
    return SECTIONS[SECTION_KEYS.index(key)]


def default_title(year: int) -> str:
    """In the site's language (Chinese): a report's title is part of the published document."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(college)s information disclosure annual report for the academic year %(label)s") % {
            "college": settings.PORTAL_COLLEGE_NAME,
            "label": academic_year_label(year),
        }
