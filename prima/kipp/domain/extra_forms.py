"""Extra questionnaires of a KIPP proposal (kipp.md §6 ``extra_forms``; the SPBE form of 2023).

An edition's rule set may name extra forms that its proposals answer besides the
instrument's sections (``extra_forms: [spbe]``). A form is data: an ordered list of
questions, each with a code, an Indonesian label, a kind and, optionally, a condition
naming an earlier question and the answers under which it is asked ("required when").

Kinds and the value stored for each:

==========  ===============================================  ======================
kind        answer                                           stored as
==========  ===============================================  ======================
``yes_no``  Ya / Tidak                                       ``"ya"`` / ``"tidak"``
``choice``  one of the options                               option code
``multi``   several options                                  list of option codes
``text``    free text up to ``max_chars`` characters         text
``url``     a web address (``http://`` or ``https://``)      text
``year``    a year from 2000 to the current year             integer
==========  ===============================================  ======================

Answers live on ``Proposal.extra_answers`` as form code → question code → value. Drafts may
be incomplete; the send and submit guards and the administrative check use
:func:`missing_questions`. A question is *active* when its condition holds, *inactive* when
the answer it depends on rules it out, and *undecided* while that answer is still empty:
saving drops the answers of inactive questions only, so nothing typed is lost while the
deciding question is still open. ``identifying`` questions (an application's name and
address point to its institution) are hidden from assessors while a stage is blind.

To add a form: write its data below (like :data:`SPBE`), add it to :data:`FORMS`, and add
its code to ``EXTRA_FORMS`` in :mod:`prima.kipp.domain.rules` (the codes rule sets may name).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.core.domain.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KINDS = ("yes_no", "choice", "multi", "text", "url", "year")
YES, NO = "ya", "tidak"
YES_NO_OPTIONS = ((YES, gettext_lazy("Ya")), (NO, gettext_lazy("Tidak")))
MIN_YEAR = 2000
MAX_URL_CHARS = 200
DEFAULT_MAX_CHARS = 200
FIELD_PREFIX = "extra"  # domain errors name their field "extra:<form>:<question>"


@dataclass(frozen=True)
class Option:
    code: str
    label: StrOrPromise


@dataclass(frozen=True)
class Condition:
    """The question is asked when ``question`` was answered with one of ``values``
    (for a ``multi`` question: when one of them is among the chosen options)."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    code: str
    label: StrOrPromise
    kind: str
    options: tuple[Option, ...] = ()
    required: bool = True
    when: Condition | None = None
    max_chars: int | None = None
    help: StrOrPromise = ""
    identifying: bool = False

    def option_label(self, code: str) -> str:
        return next((str(o.label) for o in self.options if o.code == code), code)


@dataclass(frozen=True)
class ExtraForm:
    code: str
    label: StrOrPromise  # short name used in messages and column headers ("SPBE")
    title: StrOrPromise
    intro: StrOrPromise
    sources: tuple[str, ...]  # the regulations the questions come from
    questions: tuple[Question, ...]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)


def field_name(form: ExtraForm, question: Question) -> str:
    """The field a domain error names: ``extra:spbe:nama_aplikasi``."""
    return f"{FIELD_PREFIX}:{form.code}:{question.code}"


# --------------------------------------------------------------------------- building


def build_form(data: Mapping[str, Any]) -> ExtraForm:
    """An :class:`ExtraForm` from plain data, checked: unique codes, known kinds, options
    where a kind needs them, conditions on earlier choice questions naming their options.
    Raises ``ValueError`` listing every problem."""
    problems: list[str] = []
    questions: list[Question] = []
    seen: dict[str, Question] = {}
    for position, item in enumerate(data["questions"]):
        code = str(item["code"])
        where = f"{data['code']}.questions[{position}] ({code})"
        kind = str(item["kind"])
        if code in seen:
            problems.append(f"{where}: kode ganda")
        if kind not in KINDS:
            problems.append(f"{where}: jenis {kind!r} tidak dikenal")
        if kind == "yes_no":
            options = tuple(Option(c, label) for c, label in YES_NO_OPTIONS)
        else:
            options = tuple(Option(str(c), label) for c, label in item.get("options", ()))
        if kind in ("choice", "multi") and len(options) < 2:
            problems.append(f"{where}: pilihan minimal dua")
        when = None
        if "when" in item:
            when = Condition(str(item["when"]["question"]), tuple(item["when"]["in"]))
            target = seen.get(when.question)
            if target is None:
                problems.append(f"{where}: syarat merujuk pertanyaan sebelumnya yang tidak ada")
            elif target.kind not in ("yes_no", "choice", "multi"):
                problems.append(f"{where}: syarat harus merujuk pertanyaan pilihan")
            elif not set(when.values) <= {o.code for o in target.options}:
                problems.append(f"{where}: syarat memakai pilihan yang tidak ada")
        question = Question(
            code=code,
            label=item["label"],
            kind=kind,
            options=options,
            required=bool(item.get("required", True)),
            when=when,
            max_chars=int(item.get("max_chars", DEFAULT_MAX_CHARS)) if kind == "text" else None,
            help=item.get("help", ""),
            identifying=bool(item.get("identifying", False)),
        )
        seen[code] = question
        questions.append(question)
    if problems:
        raise ValueError("; ".join(problems))
    return ExtraForm(
        code=str(data["code"]),
        label=data["label"],
        title=data["title"],
        intro=data["intro"],
        sources=tuple(data.get("sources", ())),
        questions=tuple(questions),
    )


# --------------------------------------------------------------------------- the SPBE form

_ELECTRONIC = {"question": "berbasis_elektronik", "in": [YES]}

# SPBE = Sistem Pemerintahan Berbasis Elektronik. The ministry did not publish its 2023
# question list; these are Prima's questions, drawn from the regulations named in `sources`
# (documented in docs/editions.md).
SPBE: dict[str, Any] = {
    "code": "spbe",
    "label": gettext_lazy("SPBE"),
    "title": gettext_lazy("Formulir SPBE (Sistem Pemerintahan Berbasis Elektronik)"),
    "intro": gettext_lazy(
        "Pertanyaan tentang inovasi yang berbasis aplikasi atau layanan elektronik. Jika "
        "inovasi tidak berbasis elektronik, jawab «Tidak» pada pertanyaan pertama; pertanyaan "
        "lainnya tidak perlu diisi."
    ),
    "sources": [
        "Perpres 95/2018 tentang Sistem Pemerintahan Berbasis Elektronik",
        "Perpres 82/2023 tentang Percepatan Transformasi Digital dan Keterpaduan Layanan "
        "Digital Nasional",
        "UU 27/2022 tentang Pelindungan Data Pribadi",
    ],
    "questions": [
        {
            "code": "berbasis_elektronik",
            "kind": "yes_no",
            "label": gettext_lazy("Apakah inovasi ini berbasis aplikasi atau layanan elektronik?"),
        },
        {
            "code": "nama_aplikasi",
            "kind": "text",
            "max_chars": 100,
            "when": _ELECTRONIC,
            "identifying": True,
            "label": gettext_lazy("Nama aplikasi atau layanan elektronik"),
        },
        {
            "code": "alamat_akses",
            "kind": "url",
            "when": _ELECTRONIC,
            "identifying": True,
            "label": gettext_lazy("Alamat akses (situs web atau tautan toko aplikasi)"),
            "help": gettext_lazy("Diawali https:// atau http://."),
        },
        {
            "code": "platform",
            "kind": "multi",
            "when": _ELECTRONIC,
            "label": gettext_lazy("Platform"),
            "options": [
                ("web", gettext_lazy("Web")),
                ("android", gettext_lazy("Android")),
                ("ios", gettext_lazy("iOS")),
                ("desktop", gettext_lazy("Desktop")),
                ("lainnya", gettext_lazy("Lainnya")),
            ],
        },
        {
            "code": "platform_lainnya",
            "kind": "text",
            "max_chars": 100,
            "when": {"question": "platform", "in": ["lainnya"]},
            "label": gettext_lazy("Platform lainnya"),
        },
        {
            "code": "pengelola",
            "kind": "choice",
            "when": _ELECTRONIC,
            "label": gettext_lazy("Pengelola aplikasi"),
            "options": [
                ("instansi_sendiri", gettext_lazy("Instansi pengusul sendiri")),
                ("instansi_pemerintah_lain", gettext_lazy("Instansi pemerintah lain")),
                ("pihak_ketiga", gettext_lazy("Pihak ketiga (penyedia non-pemerintah)")),
            ],
        },
        {
            "code": "hosting",
            "kind": "choice",
            "when": _ELECTRONIC,
            "label": gettext_lazy("Tempat aplikasi dan datanya dijalankan (hosting)"),
            "options": [
                ("pdn", gettext_lazy("Pusat Data Nasional (PDN)")),
                ("pusat_data_instansi", gettext_lazy("Pusat data milik instansi")),
                ("cloud_pihak_ketiga", gettext_lazy("Layanan cloud pihak ketiga")),
                ("lainnya", gettext_lazy("Lainnya")),
            ],
        },
        {
            "code": "hosting_lainnya",
            "kind": "text",
            "max_chars": 100,
            "when": {"question": "hosting", "in": ["lainnya"]},
            "label": gettext_lazy("Hosting lainnya"),
        },
        {
            "code": "integrasi",
            "kind": "multi",
            "required": False,
            "when": _ELECTRONIC,
            "label": gettext_lazy("Integrasi dengan layanan nasional"),
            "help": gettext_lazy("Boleh lebih dari satu; kosongkan bila belum terintegrasi."),
            "options": [
                ("splp", gettext_lazy("Interoperabilitas melalui SPLP")),
                ("satu_data", gettext_lazy("Satu Data Indonesia")),
                ("identitas_digital", gettext_lazy("Identitas Kependudukan Digital (IKD)")),
                ("lainnya", gettext_lazy("Layanan digital nasional lainnya")),
            ],
        },
        {
            "code": "data_pribadi",
            "kind": "yes_no",
            "when": _ELECTRONIC,
            "label": gettext_lazy("Apakah aplikasi memproses data pribadi pengguna?"),
            "help": gettext_lazy("Misalnya NIK, nama, alamat, nomor telepon atau data kesehatan."),
        },
        {
            "code": "pelindungan_data",
            "kind": "text",
            "max_chars": 1000,
            "when": {"question": "data_pribadi", "in": [YES]},
            "label": gettext_lazy("Bagaimana data pribadi tersebut dilindungi?"),
            "help": gettext_lazy(
                "Misalnya persetujuan pengguna, pembatasan hak akses, enkripsi, kebijakan "
                "privasi, pejabat pelindungan data."
            ),
        },
        {
            "code": "uji_keamanan",
            "kind": "yes_no",
            "when": _ELECTRONIC,
            "label": gettext_lazy(
                "Apakah sudah dilakukan penilaian keamanan atau uji penetrasi aplikasi?"
            ),
        },
        {
            "code": "tahun_uji_keamanan",
            "kind": "year",
            "when": {"question": "uji_keamanan", "in": [YES]},
            "label": gettext_lazy("Tahun penilaian keamanan atau uji penetrasi terakhir"),
        },
    ],
}

FORMS: Mapping[str, ExtraForm] = {form.code: form for form in (build_form(SPBE),)}


def forms_for(codes: Sequence[str]) -> tuple[ExtraForm, ...]:
    """The forms an edition names (``EditionRules.extra_forms``), in its order."""
    return tuple(FORMS[code] for code in codes if code in FORMS)


# --------------------------------------------------------------------------- reading answers


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def activity(form: ExtraForm, answers: Mapping[str, Any]) -> dict[str, bool | None]:
    """Question code → True (asked), False (ruled out by an earlier answer) or None
    (undecided: the answer it depends on is still empty)."""
    state: dict[str, bool | None] = {}
    for question in form.questions:
        condition = question.when
        if condition is None:
            state[question.code] = True
            continue
        parent = state.get(condition.question)
        value = answers.get(condition.question)
        if parent is False:
            state[question.code] = False
        elif is_empty(value):
            state[question.code] = None
        else:
            chosen = set(value) if isinstance(value, list | tuple) else {value}
            holds = bool(chosen & set(condition.values))
            state[question.code] = holds if parent else (None if holds else False)
    return state


def missing_questions(form: ExtraForm, answers: Mapping[str, Any]) -> list[Question]:
    """The required questions that are asked and still unanswered, in form order."""
    state = activity(form, answers)
    return [
        q
        for q in form.questions
        if q.required and state[q.code] is True and is_empty(answers.get(q.code))
    ]


def missing_message(form: ExtraForm, questions: Sequence[Question]) -> str:
    """«SPBE belum lengkap: «Nama aplikasi», «Platform» belum dijawab.»"""
    names = ", ".join(f"«{q.label}»" for q in questions)
    return _("%(form)s belum lengkap: %(questions)s belum dijawab.") % {
        "form": form.label,
        "questions": names,
    }


@dataclass(frozen=True)
class AnswerLine:
    """One answer as a reader sees it; ``hidden`` while identities are withheld."""

    code: str
    label: str
    text: str
    url: str
    hidden: bool


def answer_text(question: Question, value: Any) -> str:
    """The answer in words: option labels, joined with commas for several."""
    if is_empty(value):
        return ""
    if question.kind == "multi" and isinstance(value, list | tuple):
        return ", ".join(question.option_label(str(v)) for v in value)
    if question.kind in ("yes_no", "choice"):
        return question.option_label(str(value))
    return str(value)


def answer_lines(
    form: ExtraForm, answers: Mapping[str, Any], *, hide_identifying: bool = False
) -> list[AnswerLine]:
    """The questions a reader should see: those asked, and undecided ones with an answer."""
    state = activity(form, answers)
    lines = []
    for question in form.questions:
        value = answers.get(question.code)
        if state[question.code] is False or (state[question.code] is None and is_empty(value)):
            continue
        hidden = hide_identifying and question.identifying
        text = "" if hidden else answer_text(question, value)
        url = text if question.kind == "url" and text else ""
        lines.append(AnswerLine(question.code, str(question.label), text, url, hidden))
    return lines


# --------------------------------------------------------------------------- cleaning


def _refuse(form: ExtraForm, question: Question, message: str) -> DomainError:
    return DomainError(
        _("%(form)s, «%(question)s»: %(message)s")
        % {"form": form.label, "question": question.label, "message": message},
        field=field_name(form, question),
    )


def _clean_value(form: ExtraForm, question: Question, value: Any, today: date) -> Any:
    """The stored form of one non-empty answer, or a DomainError naming the question."""
    codes = [o.code for o in question.options]
    if question.kind in ("yes_no", "choice"):
        if not isinstance(value, str) or value not in codes:
            raise _refuse(
                form,
                question,
                _("pilihan «%(value)s» tidak dikenal; pilih salah satu: %(choices)s.")
                % {"value": value, "choices": ", ".join(codes)},
            )
        return value
    if question.kind == "multi":
        chosen = value if isinstance(value, list | tuple) else [value]
        unknown = [str(v) for v in chosen if v not in codes]
        if unknown:
            raise _refuse(
                form,
                question,
                _("pilihan «%(value)s» tidak dikenal; pilih dari: %(choices)s.")
                % {"value": ", ".join(unknown), "choices": ", ".join(codes)},
            )
        return [code for code in codes if code in chosen]
    if question.kind == "year":
        if isinstance(value, bool):
            value = None
        try:
            year = int(str(value).strip())
        except (TypeError, ValueError):
            year = None
        if year is None or not MIN_YEAR <= year <= today.year:
            raise _refuse(
                form,
                question,
                _("isi tahun %(first)s–%(last)s, tertulis «%(value)s».")
                % {"first": MIN_YEAR, "last": today.year, "value": value},
            )
        return year
    text = str(value).strip()
    if question.kind == "url":
        if len(text) > MAX_URL_CHARS:
            raise _refuse(
                form,
                question,
                _("alamat paling panjang %(n)s karakter.") % {"n": MAX_URL_CHARS},
            )
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise _refuse(
                form, question, _("isi alamat web yang diawali http:// atau https://.")
            ) from None
        return text
    limit = question.max_chars or DEFAULT_MAX_CHARS
    if len(text) > limit:
        raise _refuse(
            form,
            question,
            _("paling banyak %(limit)s karakter, tertulis %(n)s.")
            % {"limit": limit, "n": len(text)},
        )
    return text


def _stripped(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return [v for v in value if not is_empty(_stripped(v))]
    return value


def clean_answers(form: ExtraForm, answers: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """The answers to store: each checked against its question (a DomainError names the
    first wrong one), empty answers and those of questions ruled out dropped, in form
    order. Completeness is not required here: drafts may be partial."""
    if not isinstance(answers, Mapping):
        raise DomainError(
            _("Jawaban %(form)s harus berupa pasangan kode pertanyaan dan jawaban.")
            % {"form": form.label},
            field=f"{FIELD_PREFIX}:{form.code}",
        )
    for code in answers:
        if form.question(str(code)) is None:
            raise DomainError(
                _("Pertanyaan «%(code)s» tidak ada pada %(form)s; yang ada: %(codes)s.")
                % {
                    "code": code,
                    "form": form.title,
                    "codes": ", ".join(q.code for q in form.questions),
                },
                field=f"{FIELD_PREFIX}:{form.code}",
            )
    cleaned: dict[str, Any] = {}
    for question in form.questions:
        value = _stripped(answers.get(question.code))
        # Conditions name earlier questions only, so what is cleaned so far decides; an
        # answer to a question ruled out is dropped unread (a stale address does not block).
        if is_empty(value) or activity(form, cleaned).get(question.code) is False:
            continue
        cleaned[question.code] = _clean_value(form, question, value, today)
    return cleaned
