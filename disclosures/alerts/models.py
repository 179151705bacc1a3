"""A subscription to the new items of a category or a disclosure item (registered by disclosures.models)."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily: one e-mail a day when something new was published")
    WEEKLY = "weekly", _("Weekly: one e-mail a week when something new was published")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    """One address following one category or one disclosure item. The row (and with it the address) is deleted
    when its owner unsubscribes, or when it is left unconfirmed (services.subscriptions_purge)."""

    email = models.EmailField(_("e-mail address"))
    category = models.ForeignKey(
        "disclosures.Category", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    item = models.ForeignKey(
        "disclosures.DisclosureItem",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disclosure item"),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    # The secret in the confirmation and unsubscribe links: whoever holds the mail may confirm or leave.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Items published after this moment go into the next digest.
    sent_until = models.DateTimeField(_("digest sent up to"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail alert")
        verbose_name_plural = _("e-mail alerts")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__isnull=False, item__isnull=True) | Q(category__isnull=True, item__isnull=False),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(fields=["email", "category"], condition=Q(item__isnull=True), name="sub_email_cat"),
            models.UniqueConstraint(
                fields=["email", "item"], condition=Q(category__isnull=True), name="sub_email_item"
            ),
        ]

    def __str__(self) -> str:
        return str(self.target)

    @property
    def target(self):
        return self.category if self.category_id else self.item

    @property
    def target_name(self) -> str:
        target = self.target
        return target.display_name if self.category_id else target.display_title
