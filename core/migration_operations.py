"""Migration operations of the project's own, for migrations of any app.

``MoveContentTypes`` goes with a model moved from one app to another by ``SeparateDatabaseAndState`` (the table
kept through ``db_table``): it relabels the model's content type, so that everything that points at it (the
permissions with their group and user grants, the admin's history, generic relations) stays attached.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType as LiveContentType
from django.db import migrations


class MoveContentTypes(migrations.RunPython):
    """Relabel the content types of ``models`` (lower-case model names) from ``old_app`` to ``new_app``.

    Where the new label already has a content type of its own (created by an earlier ``migrate`` of an
    unfinished upgrade), its permissions and admin history are first moved onto the old one, which then takes
    its place; nothing is lost either way. Reversible.
    """

    def __init__(self, old_app: str, new_app: str, models: list[str]):
        self.old_app, self.new_app, self.models = old_app, new_app, list(models)
        super().__init__(self._forwards, self._backwards)

    def describe(self):
        return f"Move the content types of {', '.join(self.models)} from {self.old_app} to {self.new_app}"

    def _forwards(self, apps, schema_editor):
        self._relabel(apps, schema_editor, self.old_app, self.new_app)

    def _backwards(self, apps, schema_editor):
        self._relabel(apps, schema_editor, self.new_app, self.old_app)

    def _relabel(self, apps, schema_editor, source: str, target: str) -> None:
        db = schema_editor.connection.alias
        content_types = apps.get_model("contenttypes", "ContentType").objects.db_manager(db)
        permissions = apps.get_model("auth", "Permission").objects.db_manager(db)
        log_entries = apps.get_model("admin", "LogEntry").objects.db_manager(db)
        for model in self.models:
            moving = content_types.filter(app_label=source, model=model).first()
            if moving is None:
                continue
            existing = content_types.filter(app_label=target, model=model).first()
            if existing is not None:
                self._merge(apps, db, permissions, moving=moving, existing=existing)
                log_entries.filter(content_type=existing).update(content_type=moving)
                existing.delete()
            moving.app_label = target
            moving.save(update_fields=["app_label"])
        LiveContentType.objects.clear_cache()

    @staticmethod
    def _merge(apps, db, permissions, *, moving, existing) -> None:
        """Move ``existing``'s permissions onto ``moving``: those it lacks whole, the grants of the others."""
        kept = dict(permissions.filter(content_type=moving).values_list("codename", "pk"))
        group_grants = apps.get_model("auth", "Group").permissions.through.objects.db_manager(db)
        user_grants = apps.get_model("auth", "User").user_permissions.through.objects.db_manager(db)
        for permission in permissions.filter(content_type=existing):
            if permission.codename not in kept:
                permission.content_type = moving
                permission.save(update_fields=["content_type"])
                continue
            for grants, owner in ((group_grants, "group_id"), (user_grants, "user_id")):
                for row in grants.filter(permission_id=permission.pk):
                    grants.get_or_create(**{owner: getattr(row, owner)}, permission_id=kept[permission.codename])
