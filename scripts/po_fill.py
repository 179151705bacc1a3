"""Fill empty translations of a .po file from a JSON file mapping msgid to msgstr.

    python scripts/po_fill.py locale/zh_Hans/LC_MESSAGES/django.po translations.json

For a plural entry the JSON value is the one Chinese form (Chinese has no plural). Entries already
translated are left alone unless --overwrite is given. Prints the msgids still untranslated.
"""

from __future__ import annotations

import argparse
import json
import sys

import polib


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("po")
    parser.add_argument("json")
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    catalogue = polib.pofile(args.po)
    mapping = json.load(open(args.json, encoding="utf-8"))
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        value = mapping.get(entry.msgid)
        # A fuzzy entry holds gettext's guess, never a translation: replace it or report it.
        replace = args.overwrite or "fuzzy" in entry.flags
        if entry.msgid_plural:
            if value is not None and (replace or not entry.msgstr_plural.get(0)):
                entry.msgstr_plural = {0: value}
            translated = bool(entry.msgstr_plural.get(0))
        else:
            if value is not None and (replace or not entry.msgstr):
                entry.msgstr = value
            translated = bool(entry.msgstr)
        if value is not None and "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if not translated or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    catalogue.save(args.po)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
