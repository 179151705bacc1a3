"""The catalogue: departments, categories, disclosure items and disclosures, publishing, search, compliance."""

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "disclosures"
    verbose_name = _("Disclosure catalogue")

    def ready(self):
        # After every migrate, like Django's content types: published items with no search entry get one.
        from disclosures import guide, search  # the app registry is ready only now

        post_migrate.connect(search.index_missing, sender=self, dispatch_uid="disclosures-index-missing")
        # A search document's SQLite FTS5 row goes with it, however it is deleted.
        post_delete.connect(
            search.remove_index_row, sender=search.SearchDocument, dispatch_uid="disclosures-remove-index-row"
        )
        checks.register(guide.check_placeholders, deploy=True)  # `check --deploy`, production settings
