"""The kinds of answer, as data: for each outcome the State Council table's row and sub-row
(国办公开办函〔2021〕30号, table 三), the Order 29 kind it corresponds to (《高等学校信息公开办法》's kinds of
reply; their article number was not checked against a stored text, so none is cited) and the legal ground its
notice cites. Plain data, read by the services, the statistics and the notices.

Articles: 《政府信息公开条例》 (2019, "Regulation") art. 14 (state secrets, other laws, the three safeties and
stability), 15 (third parties' trade secrets and privacy), 16 (internal affairs; process information and
enforcement case files), 30 (unclear after clarification), 35 (many applications without good reason), 36 (already
published; not held, with the holder named; repeated; specially regulated enquiries), 38 (information that would
have to be produced), 39 (para. 1 petitions and complaints; para. 2 public publications). No article of the Regulation
names "confirming or re-issuing information already obtained": that ground cites the Regulation without an article.
Order 29 art. 10 lists what a college does not disclose (state, trade secrets, privacy, other rules; seen as cited by
a court paper, the text itself was not found); art. 4 para. 2 the three safeties and stability (text seen). Checked
against the 2019 text on 2026-12-02 (lawcheck).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from requests_app.models import ReplyKind, ReplyOutcome

Out = ReplyOutcome


@dataclass(frozen=True)
class Outcome:
    row: str  # statistics.STATE_COUNCIL_ROWS key
    subrow: str | None
    kind: str  # the Order 29 kind (ReplyKind)
    ground: object  # the legal ground cited in the notice


OUTCOMES: dict[str, Outcome] = {
    Out.DISCLOSED: Outcome("disclosed", None, ReplyKind.DISCLOSED, _("Order 29; Regulation art. 36(2)")),
    Out.ALREADY_PUBLISHED: Outcome("disclosed", None, ReplyKind.DISCLOSED, _("Order 29; Regulation art. 36(1)")),
    Out.PARTLY: Outcome("partly", None, ReplyKind.PARTLY, _("Order 29; Regulation art. 37")),
    Out.REFUSED_STATE_SECRET: Outcome(
        "refused", "state_secret", ReplyKind.REFUSED, _("Order 29 art. 10; Regulation art. 14")
    ),
    Out.REFUSED_OTHER_LAW: Outcome(
        "refused", "other_law", ReplyKind.REFUSED, _("Order 29 art. 10; Regulation art. 14")
    ),
    Out.REFUSED_THREE_SAFETIES: Outcome(
        "refused", "three_safeties", ReplyKind.REFUSED, _("Order 29 art. 4, paragraph 2; Regulation art. 14")
    ),
    Out.REFUSED_THIRD_PARTY: Outcome(
        "refused", "third_party", ReplyKind.REFUSED, _("Order 29 art. 10; Regulation art. 15, 32")
    ),
    Out.REFUSED_INTERNAL: Outcome("refused", "internal", ReplyKind.REFUSED, _("Regulation art. 16, paragraph 1")),
    Out.REFUSED_PROCESS: Outcome("refused", "process", ReplyKind.REFUSED, _("Regulation art. 16, paragraph 2")),
    Out.REFUSED_ENFORCEMENT: Outcome("refused", "enforcement", ReplyKind.REFUSED, _("Regulation art. 16, paragraph 2")),
    Out.REFUSED_ENQUIRY: Outcome("refused", "enquiry", ReplyKind.REFUSED, _("Regulation art. 36(7)")),
    Out.NOT_HELD: Outcome("unable", "not_held", ReplyKind.NOT_HELD, _("Order 29; Regulation art. 36(4), (5)")),
    Out.MUST_CREATE: Outcome("unable", "must_create", ReplyKind.NOT_HELD, _("Regulation art. 38")),
    Out.STILL_UNCLEAR: Outcome("unable", "still_unclear", ReplyKind.UNCLEAR, _("Order 29; Regulation art. 30")),
    Out.PETITION: Outcome("not_processed", "petition", ReplyKind.OTHER, _("Regulation art. 39, paragraph 1")),
    Out.REPEATED: Outcome("not_processed", "repeated", ReplyKind.REPEATED, _("Order 29; Regulation art. 36(6)")),
    Out.PUBLICATION: Outcome("not_processed", "publication", ReplyKind.OTHER, _("Regulation art. 39, paragraph 2")),
    Out.MASS: Outcome("not_processed", "mass", ReplyKind.OTHER, _("Regulation art. 35")),
    Out.CONFIRM: Outcome(
        "not_processed", "confirm", ReplyKind.OTHER, _("Regulation on the Disclosure of Government Information")
    ),
    Out.OTHER: Outcome("other_handling", "other", ReplyKind.OTHER, ""),
}

# Outcomes whose notice must explain the reason to the applicant (Order 29: 说明理由; 条例 art. 36(3), 37).
REASON_REQUIRED = {
    value for value, outcome in OUTCOMES.items() if outcome.kind in (ReplyKind.REFUSED, ReplyKind.PARTLY)
}

# What an answer recorded before outcomes existed (kind + refusal reason) counts as.
LEGACY = {
    ReplyKind.DISCLOSED: Out.DISCLOSED,
    ReplyKind.PARTLY: Out.PARTLY,
    ReplyKind.NOT_HELD: Out.NOT_HELD,
    ReplyKind.UNCLEAR: Out.STILL_UNCLEAR,
    ReplyKind.REPEATED: Out.REPEATED,
    ReplyKind.OTHER: Out.OTHER,
}
LEGACY_REFUSAL = {
    "state_secret": Out.REFUSED_STATE_SECRET,
    "other_law": Out.REFUSED_OTHER_LAW,
    "trade_secret": Out.REFUSED_THIRD_PARTY,
    "privacy": Out.REFUSED_THIRD_PARTY,
}


def outcome_of(kind: str, refusal_reason: str = "") -> str:
    """The outcome an Order 29 kind (and, for a refusal, its reason) stands for."""
    if kind == ReplyKind.REFUSED:
        return LEGACY_REFUSAL.get(refusal_reason, Out.REFUSED_OTHER_LAW)
    return LEGACY.get(kind, Out.OTHER)


def outcome_choices() -> list:
    """The outcomes grouped by the table's rows, for a select."""
    groups: dict[str, list] = {}
    for value, label in ReplyOutcome.choices:
        groups.setdefault(OUTCOMES[value].row, []).append((value, label))
    names = {
        "disclosed": _("Disclosed"),
        "partly": _("Partly disclosed"),
        "refused": _("Refused"),
        "unable": _("Cannot provide"),
        "not_processed": _("Not processed"),
        "other_handling": _("Other handling"),
    }
    return [(names[row], choices) for row, choices in groups.items()]
