"""Every user-visible string in the code and templates is translated in both catalogues."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["app.py", "cli.py", "jobs.py", "admin", "auth", "cases", "catalogue", "core",
           "deadlines", "inspections", "registry", "web", "templates"]


def test_catalogues_cover_every_string(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-o", str(pot), "--omit-header", *SOURCES],
                   cwd=ROOT, check=True)
    wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    assert len(wanted) > 300
    for lang in ("vi", "en"):
        catalogue = read_po((ROOT / f"translations/{lang}/LC_MESSAGES/messages.po").open("rb"))
        have = {m.id: m.string for m in catalogue if m.id}
        missing = sorted(i for i in wanted if not have.get(i))
        assert missing == [], f"{lang}: run `make extract-messages` and translate: {missing}"
        flagged = [m.id for m in catalogue if m.id and "fuzzy" in m.flags]
        assert flagged == [], f"{lang}: fuzzy entries {flagged}"


def test_no_translated_call_hides_inside_an_f_string():
    """Babel's extractor (on Python 3.11) does not read a call inside an f-string's braces:
    such a message never reaches the catalogues, and is shown untranslated as soon as the
    catalogues are extracted again (the field errors' "Error:" was)."""
    import re
    import tokenize

    call = re.compile(r"\b(?:_|_l|gettext|ngettext|lazy_gettext)\(")
    hidden = []
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
        for file in files:
            with file.open("rb") as source:
                for token in tokenize.tokenize(source.readline):
                    if token.type == tokenize.STRING and re.match(r"(?i)r?f", token.string) \
                            and call.search(token.string):
                        hidden.append(f"{file.relative_to(ROOT)}:{token.start[0]}")
    assert hidden == [], f"take the call out of the f-string: {hidden}"


def test_translations_found_once_per_request_follow_the_locale(app, monkeypatch):
    """core.i18n.RequestDomain keeps a request's translations with their locale: a block in
    another language (`force_locale`, the e-mails in Vietnamese) and a `refresh()` after
    the language changed translate in the new one; the page's own language comes back."""
    from flask import session
    from flask_babel import Domain, force_locale, get_translations, refresh
    from flask_babel import gettext as _
    from flask_babel import lazy_gettext as _l

    found = []
    original = Domain.get_translations
    monkeypatch.setattr(Domain, "get_translations",
                        lambda self: found.append(1) or original(self))
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert (_("Case"), str(_l("Case"))) == ("Case", "Case")
        assert get_translations() is get_translations()
        assert len(found) == 1  # found once for the request, not once per message
        with force_locale("vi"):
            assert (_("Case"), str(_l("Case"))) == ("Vụ việc", "Vụ việc")
        assert _("Case") == "Case"
        session["lang"] = "vi"
        assert _("Case") == "Case"  # the request's locale holds until refreshed
        refresh()
        assert (_("Case"), str(_l("Case"))) == ("Vụ việc", "Vụ việc")
    with app.app_context():  # no request: Vietnamese (CLI, jobs)
        assert _("Case") == "Vụ việc"
