"""Every interface message has a French translation and the shipped catalog is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from maliquiz.i18n import _, detect_language, ngettext, set_language

REPO = Path(__file__).resolve().parents[1]


def test_catalog_is_complete_and_compiled() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "i18n.py"), "check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        done.stdout + "\nrun `python scripts/i18n.py extract`, translate, then `compile`"
    )


def test_french_and_plural_forms() -> None:
    set_language("fr")
    assert _("error") == "erreur"
    assert ngettext("{n} error", "{n} errors", 1).format(n=1) == "1 erreur"
    assert ngettext("{n} error", "{n} errors", 3).format(n=3) == "3 erreurs"
    set_language("en")
    assert _("error") == "error"


def test_language_detection() -> None:
    assert detect_language({"MALIQUIZ_LANG": "fr"}) == "fr"
    assert detect_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert detect_language({"LC_ALL": "de_DE.UTF-8"}) == "en"
    assert detect_language({"MALIQUIZ_LANG": "xx", "LANG": "fr_CA.UTF-8"}) == "fr"
