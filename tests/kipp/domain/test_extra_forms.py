"""The extra forms of a proposal as data (kipp.md §6 ``extra_forms``): the SPBE questions,
their required-when rules, cleaning with Indonesian errors naming the question, and the
answers as readers (and blind assessors) see them. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from prima.core.domain.errors import DomainError
from prima.kipp.domain import extra_forms as ef
from prima.kipp.domain.rules import EXTRA_FORMS
from tests.kipp.domain.test_proposals_support import SPBE_APP

SPBE = ef.FORMS["spbe"]
TODAY = dt.date(2025, 5, 1)


def missing(answers: dict) -> list[str]:
    return [q.code for q in ef.missing_questions(SPBE, answers)]


def clean(answers: dict) -> dict:
    return ef.clean_answers(SPBE, answers, today=TODAY)


def test_every_code_the_rules_accept_has_a_form():
    assert set(EXTRA_FORMS) <= set(ef.FORMS)
    assert [f.code for f in ef.forms_for(["spbe", "unknown"])] == ["spbe"]


# --------------------------------------------------------------------------- required when


def test_unanswered_form_needs_only_the_first_question():
    assert missing({}) == ["berbasis_elektronik"]


def test_not_electronic_needs_nothing_else():
    assert missing({"berbasis_elektronik": "tidak"}) == []


def test_electronic_needs_the_app_questions_but_not_the_optional_or_dependent_ones():
    assert missing({"berbasis_elektronik": "ya"}) == [
        "nama_aplikasi",
        "alamat_akses",
        "platform",
        "pengelola",
        "hosting",
        "data_pribadi",
        "uji_keamanan",
    ]


@pytest.mark.parametrize(
    ("answer", "then_required"),
    [
        ({"platform": ["web", "lainnya"]}, "platform_lainnya"),
        ({"hosting": "lainnya"}, "hosting_lainnya"),
        ({"data_pribadi": "ya"}, "pelindungan_data"),
        ({"uji_keamanan": "ya"}, "tahun_uji_keamanan"),
    ],
)
def test_an_answer_makes_its_follow_up_required(answer, then_required):
    complete = dict(SPBE_APP)
    for code in ("platform_lainnya", "hosting_lainnya", "pelindungan_data", "tahun_uji_keamanan"):
        complete.pop(code, None)
    complete.update({"platform": ["web"], "hosting": "pdn", "data_pribadi": "tidak"})
    complete["uji_keamanan"] = "tidak"

    assert missing(complete) == []
    assert missing({**complete, **answer}) == [then_required]


def test_the_test_fixture_is_complete():
    assert missing(SPBE_APP) == []


# --------------------------------------------------------------------------- cleaning


def test_clean_stores_in_form_order_and_normalises_values():
    cleaned = clean(
        {
            "platform": ["android", "web", "android"],
            "berbasis_elektronik": "ya",
            "nama_aplikasi": "  SITARANG  ",
            "tahun_uji_keamanan": "2024",
            "uji_keamanan": "ya",
            "integrasi": [],
            "hosting": "",
        }
    )

    assert list(cleaned) == [
        "berbasis_elektronik",
        "nama_aplikasi",
        "platform",
        "uji_keamanan",
        "tahun_uji_keamanan",
    ]
    assert cleaned["platform"] == ["web", "android"]  # option order, no repeats
    assert cleaned["nama_aplikasi"] == "SITARANG"
    assert cleaned["tahun_uji_keamanan"] == 2024


def test_answering_no_drops_the_answers_ruled_out_even_invalid_ones():
    cleaned = clean(
        {
            "berbasis_elektronik": "tidak",
            "nama_aplikasi": "SITARANG",
            "alamat_akses": "bukan alamat",
            "platform": ["web"],
        }
    )
    assert cleaned == {"berbasis_elektronik": "tidak"}


def test_answers_are_kept_while_the_deciding_question_is_still_open():
    cleaned = clean({"nama_aplikasi": "SITARANG", "data_pribadi": "tidak"})
    assert cleaned == {"nama_aplikasi": "SITARANG", "data_pribadi": "tidak"}


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        (
            {"berbasis_elektronik": "mungkin"},
            "extra:spbe:berbasis_elektronik",
            "pilihan «mungkin» tidak dikenal; pilih salah satu: ya, tidak",
        ),
        (
            {"berbasis_elektronik": "ya", "alamat_akses": "sitarang.go.id"},
            "extra:spbe:alamat_akses",
            "«Alamat akses (situs web atau tautan toko aplikasi)»: isi alamat web yang diawali",
        ),
        (
            {"berbasis_elektronik": "ya", "platform": ["web", "linux"]},
            "extra:spbe:platform",
            "pilihan «linux» tidak dikenal",
        ),
        (
            {"berbasis_elektronik": "ya", "nama_aplikasi": "A" * 101},
            "extra:spbe:nama_aplikasi",
            "paling banyak 100 karakter, tertulis 101",
        ),
        (
            {"berbasis_elektronik": "ya", "uji_keamanan": "ya", "tahun_uji_keamanan": 2026},
            "extra:spbe:tahun_uji_keamanan",
            "isi tahun 2000–2025, tertulis «2026»",
        ),
        (
            {"berbasis_elektronik": "ya", "uji_keamanan": "ya", "tahun_uji_keamanan": "dulu"},
            "extra:spbe:tahun_uji_keamanan",
            "tertulis «dulu»",
        ),
        (
            {"nama_app": "SITARANG"},
            "extra:spbe",
            "Pertanyaan «nama_app» tidak ada pada Formulir SPBE",
        ),
    ],
)
def test_wrong_answers_are_refused_naming_the_question(answers, field, words):
    with pytest.raises(DomainError) as refused:
        clean(answers)
    assert refused.value.field == field
    assert words in refused.value.message
    assert refused.value.message.startswith(("SPBE", "Pertanyaan"))


def test_answers_must_be_a_mapping():
    with pytest.raises(DomainError) as refused:
        ef.clean_answers(SPBE, ["ya"], today=TODAY)  # type: ignore[arg-type]
    assert refused.value.field == "extra:spbe"


def test_missing_message_names_each_question():
    message = ef.missing_message(SPBE, ef.missing_questions(SPBE, {"berbasis_elektronik": "ya"}))
    assert message.startswith("SPBE belum lengkap: «Nama aplikasi atau layanan elektronik», ")
    assert "«Platform»" in message and message.endswith("belum dijawab.")


# --------------------------------------------------------------------------- reading


def test_answer_lines_show_words_and_hide_identifying_answers_when_asked():
    lines = {line.code: line for line in ef.answer_lines(SPBE, SPBE_APP)}
    assert lines["platform"].text == "Web, Android"
    assert lines["hosting"].text == "Pusat data milik instansi"
    assert lines["alamat_akses"].url == "https://sitarang.payakumbuhkota.go.id"
    assert lines["tahun_uji_keamanan"].text == "2021"
    # Questions ruled out by an answer are not shown.
    assert "platform_lainnya" not in lines and "hosting_lainnya" not in lines

    blind = {line.code: line for line in ef.answer_lines(SPBE, SPBE_APP, hide_identifying=True)}
    for code in ("nama_aplikasi", "alamat_akses"):
        assert blind[code].hidden and blind[code].text == "" and blind[code].url == ""
    assert blind["platform"].text == "Web, Android" and not blind["platform"].hidden


def test_a_not_electronic_form_reads_as_one_line():
    lines = ef.answer_lines(SPBE, {"berbasis_elektronik": "tidak"})
    assert [(line.code, line.text) for line in lines] == [("berbasis_elektronik", "Tidak")]


# --------------------------------------------------------------------------- schema


def test_a_form_definition_is_checked():
    with pytest.raises(ValueError) as wrong:
        ef.build_form(
            {
                "code": "uji",
                "label": "Uji",
                "title": "Formulir uji",
                "intro": "",
                "questions": [
                    {"code": "a", "kind": "choice", "label": "A", "options": [("x", "X")]},
                    {"code": "b", "kind": "tanggal", "label": "B"},
                    {
                        "code": "c",
                        "kind": "text",
                        "label": "C",
                        "when": {"question": "d", "in": ["ya"]},
                    },
                    {"code": "d", "kind": "yes_no", "label": "D"},
                    {
                        "code": "e",
                        "kind": "text",
                        "label": "E",
                        "when": {"question": "d", "in": ["x"]},
                    },
                    {"code": "d", "kind": "yes_no", "label": "D lagi"},
                ],
            }
        )
    message = str(wrong.value)
    assert "uji.questions[0] (a): pilihan minimal dua" in message
    assert "uji.questions[1] (b): jenis 'tanggal' tidak dikenal" in message
    assert "uji.questions[2] (c): syarat merujuk pertanyaan sebelumnya yang tidak ada" in message
    assert "uji.questions[4] (e): syarat memakai pilihan yang tidak ada" in message
    assert "uji.questions[5] (d): kode ganda" in message
