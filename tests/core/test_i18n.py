"""Bahasa Indonesia by default, English on request, and an English catalogue that is complete.

The msgids are Indonesian; `prima/locale/en/LC_MESSAGES/django.po` holds the English text and the
committed `django.mo` is what Django actually reads (CI machines may lack gettext).
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from prima.core.domain.errors import DomainError
from prima.core.enums import Role
from prima.core.interfaces.tabular import CellError, TableError
from prima.core.models import Institution
from prima.innovations.domain.awards import record_award
from tests.factories import InnovationFactory, PersonFactory, person_with_role

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

HOW_TO_FIX = (
    "Update the English catalogue: `cd prima && ../.venv/bin/prima makemessages -l en "
    '--ignore "node_modules/*" --ignore "var/*" --no-location`, translate every empty or '
    "fuzzy entry in prima/locale/en/LC_MESSAGES/django.po (and drop the `#, fuzzy` flag), then "
    "`../.venv/bin/prima compilemessages -l en` and commit both django.po and django.mo."
)


def text(response) -> str:
    return " ".join(response.content.decode().split())


def switch_language(client: Client, code: str) -> None:
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302


# (url name, an Indonesian phrase on the page, the same phrase in English)
PUBLIC_PAGES = [
    ("home", "Jelajahi katalog inovasi", "Explore the innovation catalogue"),
    ("login", "Masuk ke Prima", "Log in to Prima"),
    (
        "public_innovation_list",
        "Katalog Inovasi Pelayanan Publik",
        "Public Service Innovation Catalogue",
    ),
    ("institution_list", "Registri instansi", "Institution registry"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "indonesian", "english"), PUBLIC_PAGES)
def test_public_pages_are_indonesian_by_default(name, indonesian, english):
    page = text(Client().get(reverse(name)))  # no cookie, no Accept-Language: LANGUAGE_CODE
    assert '<html lang="id">' in page
    assert indonesian in page
    assert english not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "indonesian", "english"), PUBLIC_PAGES)
def test_public_pages_switch_to_english_and_back(name, indonesian, english):
    client = Client()
    switch_language(client, "en")
    page = text(client.get(reverse(name)))
    assert '<html lang="en">' in page
    assert english in page
    assert indonesian not in page
    assert "Log in" in page  # the shared navigation too

    switch_language(client, "id")
    page = text(client.get(reverse(name)))
    assert '<html lang="id">' in page
    assert indonesian in page


@pytest.mark.django_db
def test_the_checked_pages_live_at_their_public_paths():
    assert reverse("public_innovation_list") == "/inovasi/publik/"
    assert reverse("institution_list") == "/instansi/"
    assert reverse("set_language") == "/i18n/setlang/"


@pytest.mark.django_db
def test_logged_in_dashboard_and_enum_labels_follow_the_language(institution_a):
    admin = person_with_role(Role.INSTITUTION_ADMIN, institution=institution_a, username="admin")
    client = Client()
    client.force_login(admin)
    page = text(client.get(reverse("dashboard")))
    assert "Kelola operator UPP" in page
    switch_language(client, "en")
    page = text(client.get(reverse("dashboard")))
    assert '<html lang="en">' in page
    assert "Manage UPP operators" in page
    assert "Log out" in page
    detail = text(client.get(reverse("institution_detail", args=[institution_a.pk])))
    assert "City government" in detail  # InstitutionKind label (gettext_lazy in enums.py)


# ---------------------------------------------------------------------- the catalogue


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def _unquote(literal: str) -> str:
    return ast.literal_eval(literal)  # a .po string is a valid Python string literal


def parse_po(path: Path) -> list[Entry]:
    """The live (non-obsolete) entries of a .po file, header included (msgid "")."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            current = None
            continue
        if line.startswith("#~"):  # obsolete: not compiled, not checked
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.fullmatch(r'(msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line):
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword == "msgstr":
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = value
            else:
                target = (keyword, 0)
                setattr(current, keyword, value)
        elif line.startswith('"'):
            value = _unquote(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], getattr(current, target[0]) + value)
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    return [entry for entry in entries if entry.msgid or entry.msgstr]


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing. {HOW_TO_FIX}"
    entries = [entry for entry in parse_po(PO_PATH) if entry.msgid]
    assert len(entries) > 500, "the English catalogue looks truncated"
    return entries


def test_every_message_has_an_english_translation(po_entries):
    untranslated = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in po_entries
        if not entry.msgstr
        or not all(entry.msgstr.values())
        or (entry.msgid_plural is not None and len(entry.msgstr) < 2)
    ]
    assert not untranslated, (
        f"{len(untranslated)} untranslated message(s):\n"
        + "\n".join(untranslated[:30])
        + f"\n{HOW_TO_FIX}"
    )


def test_no_translation_is_fuzzy(po_entries):
    header = [entry for entry in parse_po(PO_PATH) if not entry.msgid]
    fuzzy = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in po_entries + header
        if "fuzzy" in entry.flags
    ]
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy entry(ies) (Django ignores them, so the page stays Indonesian):\n"
        + "\n".join(fuzzy[:30])
        + f"\n{HOW_TO_FIX}"
    )


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def test_translations_keep_placeholders_and_html(po_entries):
    """A dropped or misspelt placeholder raises KeyError (or loses data) at render time."""
    broken = []
    for entry in po_entries:
        source = entry.msgid + (entry.msgid_plural or "")
        allowed = set(PLACEHOLDER.findall(source))
        for translation in entry.msgstr.values():
            found = PLACEHOLDER.findall(translation)
            if not set(found) <= allowed:
                broken.append(f"line {entry.line}: {translation!r} uses {found}")
        if entry.msgid_plural is None:
            if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(
                PLACEHOLDER.findall(entry.msgstr.get(0, ""))
            ):
                broken.append(f"line {entry.line}: {entry.msgid!r} → {entry.msgstr.get(0)!r}")
            if sorted(TAG.findall(entry.msgid)) != sorted(TAG.findall(entry.msgstr.get(0, ""))):
                broken.append(f"line {entry.line}: HTML differs in {entry.msgstr.get(0)!r}")
        elif set(PLACEHOLDER.findall(entry.msgid_plural)) != set(
            PLACEHOLDER.findall(entry.msgstr[max(entry.msgstr)])
        ):
            broken.append(f"line {entry.line}: plural of {entry.msgid!r}")
    assert not broken, "\n".join(broken)


def test_compiled_catalogue_matches_the_po(po_entries):
    """The committed .mo carries exactly the .po's translations (recompile after editing)."""
    assert MO_PATH.exists(), f"{MO_PATH} is missing. {HOW_TO_FIX}"
    with MO_PATH.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in po_entries:
        if entry.msgid_plural is None:
            if catalog.get(entry.msgid) != entry.msgstr.get(0):
                stale.append(entry.msgid)
        else:
            for index, translation in entry.msgstr.items():
                if catalog.get((entry.msgid, index)) != translation:
                    stale.append(f"{entry.msgid} [{index}]")
    assert not stale, (
        f"django.mo is older than django.po ({len(stale)} message(s) differ or are missing, "
        f"e.g. {stale[:5]!r}). Run `cd prima && ../.venv/bin/prima compilemessages -l en` "
        "and commit django.mo."
    )


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="id"' in response.content.decode()
    assert response["Content-Language"] == "id"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="en"' in response.content.decode()


# ------------------------------------------------- messages raised in Python (domain, imports)


def _import_as(client: Client, content: bytes, capture) -> str:
    """The import runs as a job; its page shows the refusal in the starter's language."""
    upload = SimpleUploadedFile("instansi.csv", content)
    with capture(execute=True):
        started = client.post(reverse("institution_import"), {"file": upload})
    return text(client.get(started.url))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "unexpected"),
    [
        (
            None,  # no choice made: Bahasa Indonesia
            [
                "Berkas kosong; isi baris judul kolom dan data.",
                "nilai &#x27;lembaga&#x27; tidak dikenal; pilih salah satu:",
            ],
            ["The file is empty", "is not recognised"],
        ),
        (
            "en",
            [
                "The file is empty; fill in the column header row and the data.",
                "value &#x27;lembaga&#x27; is not recognised; choose one of:",
            ],
            ["Berkas kosong", "tidak dikenal"],
        ),
    ],
)
def test_import_errors_follow_the_language(
    secretariat, language, expected, unexpected, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(secretariat)
    if language:
        switch_language(client, language)
    capture = django_capture_on_commit_callbacks
    blank = _import_as(client, b" \n \n", capture)
    invalid = _import_as(
        client, b"name;kind\nKementerian Kesehatan;ministry\nBadan X;lembaga\n", capture
    )
    assert expected[0] in blank
    assert expected[1] in invalid
    for phrase in unexpected:
        assert phrase not in blank + invalid
    assert not Institution.objects.exists()


@pytest.mark.django_db
def test_domain_errors_are_translated_where_they_are_raised():
    """Named placeholders and plurals survive translation; the msgid stays the Indonesian text."""
    problems = [CellError(3, "kind", "x"), CellError(4, "name", "y"), CellError(5, "", "z")]
    with override("en"):
        assert TableError(problems).message == "Row 3, column kind: x (and 2 other problems)"
        assert TableError(problems[:2]).message == "Row 3, column kind: x (and 1 other problem)"
        with pytest.raises(DomainError, match=r"^Only the Secretariat can record awards\.$"):
            record_award(
                InnovationFactory(),
                actor=PersonFactory(),
                programme="kipp",
                year=2020,
                tier="top99",
                level="winner",
            )
    with override("id"):
        assert TableError(problems).message == "Baris 3, kolom kind: x (dan 2 masalah lain)"


@pytest.mark.django_db
def test_sdg_choices_in_the_innovation_form_follow_the_language(operator_a):
    client = Client()
    client.force_login(operator_a)
    assert "1. Tanpa Kemiskinan" in text(client.get(reverse("innovation_create")))
    switch_language(client, "en")
    page = text(client.get(reverse("innovation_create")))
    assert "1. No Poverty" in page
    assert "Tanpa Kemiskinan" not in page


@pytest.mark.django_db
def test_an_english_request_does_not_leave_the_thread_speaking_english(client):
    from django.utils import translation

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
    # Code outside a request (domain actions, tasks) keeps the default language.
    assert translation.get_language() == "id"
