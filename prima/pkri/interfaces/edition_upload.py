"""Reading an uploaded PKRI edition rule file (the page `/pkri/baru/`).

The same checks as `prima pkri edition create FILE` (`config.validate`, then
`editions.create_edition`), plus what only an upload needs: the file's size and encoding,
YAML syntax with its line, and a code the staff pages can address. Every problem comes
back at once with its path, in Indonesian; nothing is written here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml
from django.core.files.uploadedfile import UploadedFile

from prima.evaluation.domain.yamlcheck import ROOT, Problem
from prima.pkri.domain.config import json_ready, validate

MAX_BYTES = 256 * 1024
FILE = "(berkas)"
# Staff pages name an edition by its code: a lowercase letter first, a hyphen and a digit
# somewhere (the `pkri_code` URL converter), e.g. pkri-2025.
CODE_RE = re.compile(r"(?=[a-z0-9_-]*[0-9])[a-z][a-z0-9_]*-[a-z0-9_-]*\Z")
MAX_CODE = 40


def _yaml_problem(error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    where = f"{FILE} baris {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else FILE
    detail = getattr(error, "problem", None) or str(error)
    return Problem(where, f"bukan YAML yang sah ({detail})")


SECTIONS = ("edition", "scope", "calendar", "groups", "desk_evaluation")


def _shape_problems(data: Any) -> list[Problem]:
    """Sections that are not mappings (the validator reads them as mappings)."""
    if not isinstance(data, Mapping):
        return [Problem(ROOT, "harus berupa pemetaan (kunci: nilai), mis. `edition: ...`")]
    problems = [
        Problem(key, "harus berupa pemetaan (kunci: nilai)")
        for key in SECTIONS
        if key in data and not isinstance(data[key], Mapping)
    ]
    groups = data.get("groups")
    if isinstance(groups, Mapping):
        problems += [
            Problem(f"groups.{code}", "harus berupa pemetaan (kunci: nilai)")
            for code, group in groups.items()
            if not isinstance(group, Mapping)
        ]
    return problems


def _code_problems(data: Mapping[str, Any]) -> list[Problem]:
    edition = data.get("edition")
    if not isinstance(edition, Mapping):
        return []
    code = edition.get("code")
    if not isinstance(code, str) or not code:
        return [Problem("edition.code", "wajib diisi")]
    if len(code) > MAX_CODE or not CODE_RE.match(code):
        return [
            Problem(
                "edition.code",
                f"{code!r} tidak dapat dipakai: huruf kecil, angka, garis bawah dan tanda "
                f"hubung, diawali huruf, memuat tanda hubung dan angka, paling panjang "
                f"{MAX_CODE} karakter (mis. pkri-2025)",
            )
        ]
    return []


def read_rules_upload(upload: UploadedFile) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The JSON-ready rule data of an uploaded YAML file, or None with every problem."""
    if (upload.size or 0) > MAX_BYTES:
        return None, [Problem(FILE, f"lebih dari {MAX_BYTES // 1024} KB")]
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(FILE, "bukan teks UTF-8; simpan berkas aturan sebagai UTF-8")]
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return None, [_yaml_problem(error)]
    data = json_ready(loaded)
    problems = _shape_problems(data)
    if problems:
        return None, problems
    try:
        problems = list(validate(data))
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as error:
        # A value of another shape deeper down (a list where a mapping belongs…) stops the
        # validator; name it rather than fail.
        problems = [Problem(ROOT, f"susunan aturan tidak dapat dibaca ({error})")]
    if isinstance(data, Mapping):
        problems += _code_problems(data)
    if problems:
        return None, problems
    assert isinstance(data, dict)
    return data, []
