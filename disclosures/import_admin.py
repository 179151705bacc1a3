"""The admin page of the importer (issue 18), for staff who never open a terminal: upload the manifest and a ZIP
of attachments, check them (the dry run: every row's problems, nothing changed), then import what was checked.

The uploads are kept in the file storage between the check and the import (under ``imports/<random>/``, deleted
after the import), so nothing is uploaded twice. The importing reviewer is the person signed in.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosures import importer, permissions

UPLOADS = "imports"


def may_import(user) -> bool:
    return permissions.is_reviewer(user) and user.has_perm("disclosures.publish_disclosure")


class ImportForm(forms.Form):
    manifest = forms.FileField(label=gettext_lazy("Manifest (.xlsx or .csv)"))
    files = forms.FileField(label=gettext_lazy("Attachments (one ZIP file)"), required=False)

    def clean_manifest(self):
        manifest = self.cleaned_data["manifest"]
        if not manifest.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("The manifest must be an .xlsx or .csv file."))
        return manifest

    def clean_files(self):
        files = self.cleaned_data.get("files")
        if files and not files.name.lower().endswith(".zip"):
            raise ValidationError(_("The attachments must be one ZIP file."))
        return files


def _stored(key: str) -> tuple[str, bytes, object] | None:
    """(manifest name, its bytes, the attachments ZIP opened or None) kept under ``key``, or None."""
    if not key.isalnum():
        return None
    folder = f"{UPLOADS}/{key}"
    try:
        _dirs, names = default_storage.listdir(folder)
    except (FileNotFoundError, OSError):
        return None
    manifest = next((name for name in names if name.startswith("manifest.")), None)
    if manifest is None:
        return None
    with default_storage.open(f"{folder}/{manifest}", "rb") as handle:
        content = handle.read()
    files = default_storage.open(f"{folder}/files.zip", "rb") if "files.zip" in names else None
    return manifest, content, files


def _discard(key: str) -> None:
    folder = f"{UPLOADS}/{key}"
    try:
        for name in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{name}")
    except (FileNotFoundError, OSError):
        pass


def import_view(model_admin, request):
    if not may_import(request.user):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import items from the old site"),
    }
    if request.method == "POST" and request.POST.get("key"):  # the import of what was checked
        key = request.POST["key"]
        stored = _stored(key)
        if stored is None:
            messages.error(request, _("The checked files are no longer there. Upload them again."))
            return redirect("admin:disclosures_disclosure_import")
        name, content, files = stored
        try:
            rows = importer.check_rows(importer.read_manifest(name, content), importer.Files(files))
            outcome = importer.import_rows(rows, reviewer=request.user)
        finally:
            if files is not None:
                files.close()
        _discard(key)
        messages.success(
            request,
            _(
                "Imported and published %(imported)s, left for review %(held)s, skipped as already imported "
                "%(skipped)s, not imported for problems %(failed)s."
            )
            % {
                "imported": len(outcome.imported),
                "held": len(outcome.held),
                "skipped": len(outcome.skipped),
                "failed": len(outcome.failed),
            },
        )
        context.update({"outcome": outcome, "problems": importer.problem_lines(rows), "form": ImportForm()})
        return TemplateResponse(request, "admin/disclosures/import.html", context)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():  # the check (dry run)
        manifest = form.cleaned_data["manifest"]
        content = manifest.read()
        zipped = form.cleaned_data.get("files")
        try:
            rows = importer.check_rows(
                importer.read_manifest(manifest.name, content), importer.Files(zipped.file if zipped else None)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            key = secrets.token_hex(16)
            extension = manifest.name.rsplit(".", 1)[-1].lower()
            default_storage.save(f"{UPLOADS}/{key}/manifest.{extension}", ContentFile(content))
            if zipped:
                zipped.seek(0)
                default_storage.save(f"{UPLOADS}/{key}/files.zip", zipped)
            good = [row for row in rows if not row.problems]
            context.update(
                {
                    "checked": True,
                    "key": key,
                    "rows": rows,
                    "problems": importer.problem_lines(rows),
                    "importable": sum(1 for row in good if not row.duplicate),
                    "already": sum(1 for row in good if row.duplicate),
                }
            )
    context["form"] = form
    return TemplateResponse(request, "admin/disclosures/import.html", context)


def template_view(model_admin, request):
    if not may_import(request.user):
        raise PermissionDenied
    response = HttpResponse(
        importer.template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="import-template.xlsx"'
    return response
