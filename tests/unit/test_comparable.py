"""`comparable` gives exactly the string it always gave: an article's identity
(its content hash, `content_key`) is computed from it, and libraries already
hold articles under those hashes. Its quick ways are checked here against the
plain definition, for every character that matters and for random text."""

from __future__ import annotations

import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.clean import (
    _ASCII_SPACES,
    _LATIN1_FOLD,
    _LONG,
    _STYLE_VARIANTS,
    _UNICODE_SPACES,
    _casefold,
    _squash_ascii_spaces,
    comparable,
    content_key,
)


def reference(text: str) -> str:
    """`comparable` as it was before its quick ways, kept word for word: an ASCII
    text keeps its backquotes (a style variant only in other text)."""
    if not text.isascii():
        for variant, plain in _STYLE_VARIANTS:
            if variant in text:
                text = text.replace(variant, plain)
        return " ".join(text.split()).casefold()
    for space in _ASCII_SPACES:
        if space in text:
            text = text.replace(space, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ").casefold()


def test_the_reference_is_the_plain_definition() -> None:
    for text in ["`a`", "\u2018a\u2019 `b`", "  A\u00a0\u2014 b\t\x1c", "\xb5 \xdf \u03a3\u03a3"]:
        plain = text
        if not text.isascii():
            for variant, ascii in _STYLE_VARIANTS:
                plain = plain.replace(variant, ascii)
        assert reference(text) == " ".join(plain.split()).casefold()


def reference_key(title: str, body: str) -> str:
    norm_body = reference(body)
    if len(norm_body) >= 200:
        return norm_body
    return reference(title) + "\x00" + norm_body


def test_the_spaces_are_every_character_split_splits_at() -> None:
    every = {chr(c) for c in range(sys.maxunicode + 1)}
    assert {c for c in every if c.isspace()} == set(_ASCII_SPACES + " " + _UNICODE_SPACES)
    assert all(c.isascii() for c in _ASCII_SPACES)
    assert not any(c.isascii() for c in _UNICODE_SPACES)
    # `isspace` is what `split` uses; asked of `split` itself too
    splits = {c for c in every if len(f"a{c}b".split()) == 2}
    assert splits == set(_ASCII_SPACES + " " + _UNICODE_SPACES)


def test_the_latin1_fold_table_is_casefold() -> None:
    for code in range(256):
        ch = chr(code)
        if ch in "\xb5\xdf":
            # µ and ß fold outside Latin-1: `_casefold` leaves them to `casefold`
            assert len(ch.casefold()) != 1 or ord(ch.casefold()) > 255
            continue
        assert bytes([code]).translate(_LATIN1_FOLD).decode("latin-1") == ch.casefold()


STYLE = "".join(v for v, _ in _STYLE_VARIANTS)
SPACES = _ASCII_SPACES + " " + _UNICODE_SPACES
ASCII = "aZ09.,;:!?'\"-_()[]/\\#*`~" + "\x00\x7f"
LATIN1 = "\xb5\xdf\xe9\xc9\xfc\xdc\xff\xa0\x85\xad\xaa\xba\xc0\xd7\xf7"
OTHER = "\u03a3\u03c3\u03c2\u0130\u0131\u017f\u1e9e\ufb00\u2022\u20ac\u4e2d\u6587\uac00\U0001f600"
CHARACTERS = STYLE + SPACES + ASCII + LATIN1 + OTHER

# Runs of a few characters that matter, and words of random text (no surrogates:
# text read from a file never holds them), joined into texts of any length
# around `_LONG`, long ones too.
pieces = st.one_of(
    st.text(alphabet=CHARACTERS, max_size=6),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
    st.sampled_from(["\n\n", "  ", " \n ", "\r\n", "\t", "Word", "word", "WORD"]),
)
texts = st.lists(pieces, max_size=120).map("".join)
long_texts = st.tuples(texts, st.integers(1, 40)).map(lambda t: t[0] * t[1])


@settings(max_examples=600, deadline=None)
@given(st.one_of(texts, long_texts))
@example("")
@example("`" * _LONG)
@example("`\xe9" * _LONG)
@example(" " * _LONG)
@example("a" * (_LONG - 1) + "\xa0")
@example("a " * _LONG + "\u3000b")
@example("\xb5" + "x" * _LONG)
@example("\xdf" + "X" * _LONG)
@example("\u03a3A" * _LONG)
@example("\u201cQuoted\u201d \u2014 \xe9t\xe9\u2026\n\n" * 40)
@example("\n\n" + "\xc9t\xe9 \r\n\tparagraph.  \x1c" * 30 + " \n")
def test_comparable_is_the_reference(text: str) -> None:
    assert comparable(text) == reference(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, long_texts))
def test_the_quick_ways_are_split_and_casefold(text: str) -> None:
    if not any(space in text for space in _UNICODE_SPACES):
        assert _squash_ascii_spaces(text) == " ".join(text.split())
    assert _casefold(text) == text.casefold()


@settings(max_examples=200, deadline=None)
@given(texts, st.one_of(texts, long_texts))
def test_content_key_is_the_reference(title: str, body: str) -> None:
    assert content_key(title, body) == reference_key(title, body)


@pytest.mark.parametrize("length", [_LONG - 1, _LONG, _LONG + 1])
@pytest.mark.parametrize("fill", ["a", "\xe9", "\u2022", "\U0001f600", "\u2019"])
def test_either_side_of_the_long_way(length: int, fill: str) -> None:
    for spaced in (fill * length, (fill + " \n\xa0")[:4] * (length // 4 + 1)):
        text = ("  " + spaced + "\t")[:length]
        assert comparable(text) == reference(text)
        assert comparable(text.upper()) == reference(text.upper())


def test_a_long_body_folds_and_squashes() -> None:
    body = "\u201cCaf\xc9\u201d \u2014 \xdcber  STRA\xdfE\u2026\n\n\tNext\xa0line.\r\n" * 20
    assert comparable(body) == " ".join(
        ["\"caf\xe9\" - \xfcber strasse... next line."] * 20)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, long_texts), texts)
def test_an_article_prepared_keeps_its_hash_and_counts_the_words_split_finds(
        body: str, title: str) -> None:
    # `prepare` takes the hash and the words from one comparable form of the body.
    from reader.models import ParsedArticle, Provenance
    from reader.store.ingest import _word_count, article_hash, prepare

    article = ParsedArticle(title=title or "t", body=body,
                            provenance=Provenance("a.txt", "text", 1, 1))
    prepared = prepare(article)
    assert prepared.key == article_hash(article)
    assert prepared.key == article_hash(article, reference(body))
    assert prepared.words == _word_count(body) == len(body.split())
