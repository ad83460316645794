"""Property: a text holding one article is never split into several.

Long reads, essays with dated sections, diaries, letters, interviews and
changelogs repeat shapes too (subheads, dates, questions); none of them is a
record template printed N times. Texts are drawn from such blocks in any order
and number, in several languages, with the splitter's own line shapes among
them (a byline, a date under the title, a `Read more: …` cross-link).
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.archive import detect, listing
from tests.listings import MONTHS, WORDS, _Writer

BLOCKS = ("paragraph", "paragraph", "paragraph", "subhead", "dated", "quote", "list",
          "cross_link", "question", "short", "md_subhead", "md_dated", "signed", "update",
          "speaker", "caption", "steps")
LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "id")


def _article(rng: random.Random, lang: str, blocks: list[str], header: bool) -> list[str]:
    w = _Writer(rng, lang)
    out = [w.title(), ""]
    if header:
        m, d = rng.randint(1, 12), rng.randint(1, 28)
        out += [f"By {w.word().capitalize()} {w.word().capitalize()}", "",
                f"{WORDS['posted'][lang]} {d} {MONTHS[lang][m - 1]} 2019", ""]
    out += [w.paragraph(), ""]
    day = 1
    for block in blocks:
        if block == "paragraph":
            out += [w.paragraph(), ""]
        elif block == "subhead":
            out += [w.title(), "", w.paragraph(), ""]
        elif block == "dated":
            day += 1
            out += [f"{day} {MONTHS[lang][5]} 2019", "", w.paragraph(), ""]
        elif block == "quote":
            out += ["> " + w.sentence(), ""]
        elif block == "list":
            out += [*("- " + w.sentence() for _ in range(rng.randint(2, 4))), ""]
        elif block == "cross_link":
            out += ["Read more: " + w.title(), ""]
        elif block == "md_subhead":
            out += ["## " + w.title(), "", w.paragraph(), ""]
        elif block == "md_dated":
            day += 1
            out += [f"### 2019-06-{day:02d}", "", w.paragraph(), ""]
        elif block == "signed":
            out += [w.paragraph(), "", "— " + w.word().capitalize(), ""]
        elif block == "update":
            day += 1
            out += [f"Update, {MONTHS['en'][6]} {day}, 2019: " + w.sentence(), ""]
        elif block == "speaker":
            out += [w.word().capitalize() + ":", "", w.paragraph(), ""]
        elif block == "caption":
            out += ["Photo: " + w.title(), "", w.paragraph(), ""]
        elif block == "steps":
            out += [f"{k}. " + w.sentence() for k in range(1, rng.randint(3, 6))] + [""]
        elif block == "question":
            out += ["Q: " + w.sentence()[:-1] + "?", "", w.paragraph(), ""]
        else:
            out += [w.sentence(), ""]
    return out


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 10**6), lang=st.sampled_from(LANGS),
       blocks=st.lists(st.sampled_from(BLOCKS), min_size=2, max_size=30),
       header=st.booleans())
def test_a_single_article_is_never_split(seed: int, lang: str, blocks: list[str],
                                         header: bool) -> None:
    lines = _article(random.Random(seed), lang, blocks, header)
    assert detect(lines) in ("markdown", "text")
    articles = list(listing.parse(iter(lines), "x"))
    assert len(articles) == 1, [a.title for a in articles]


def test_the_same_blocks_printed_as_records_are_split() -> None:
    """The property can fail: articles drawn the same way, printed one after another
    with their bylines and dates, are a listing of as many records."""
    rng = random.Random(5)
    lines = [x for k in range(5) for x in _article(rng, "en", ["paragraph"] * (k % 3 + 1), True)]
    assert detect(lines) not in ("markdown", "text")
    assert len(list(listing.parse(iter(lines), "x"))) == 5
