"""A page's article stops where it ends: a second essay or a gallery after it is cut."""

from __future__ import annotations

import random

import lxml.html

from reader.archive.extract import cut_tail, shingles

_POOL = ("river stone harbour lantern orchard meadow copper signal window ferry garden "
         "winter summer market engine letter island bridge candle thread mirror ladder "
         "pocket shadow basket kettle compass anchor feather pepper violin marble")
WORDS = _POOL.split()


def paragraphs(seed: int, count: int) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "."
                     for _ in range(4)]
        out.append(f"<p>{' '.join(sentences)}</p>")
    return "".join(out)


FIRST = "<h1>On tides</h1>" + paragraphs(1, 10) + "<h2>Why they turn</h2>" + paragraphs(2, 6)
SECOND = "<h2>Read next: on bees</h2>" + paragraphs(3, 20)


def text(fragment: str) -> str:
    return str(lxml.html.fragment_fromstring(fragment, create_parent="div").text_content())


def test_a_second_article_that_only_one_extractor_leaves_out_is_cut() -> None:
    both = f"<div>{FIRST}{SECOND}</div>"
    kept = cut_tail(both, [shingles(text(FIRST))])
    assert "Why they turn" in kept and "Read next" not in kept
    assert text(kept).split() == text(FIRST).split()


def test_agreeing_extractors_keep_everything() -> None:
    both = f"<div>{FIRST}{SECOND}</div>"
    assert cut_tail(both, [shingles(text(both))]) == both


def test_a_short_tail_or_a_different_body_is_left_alone() -> None:
    short = f"<div>{FIRST}<h2>Notes</h2>{paragraphs(4, 2)}</div>"
    assert cut_tail(short, [shingles(text(FIRST))]) == short
    unrelated = shingles(text(paragraphs(9, 10)))
    both = f"<div>{FIRST}{SECOND}</div>"
    assert cut_tail(both, [unrelated]) == both


def test_without_a_heading_at_the_seam_nothing_is_cut() -> None:
    seamless = f"<div>{FIRST}{paragraphs(3, 20)}</div>"
    assert cut_tail(seamless, [shingles(text(FIRST))]) == seamless


def test_a_tail_another_extractor_holds_is_kept() -> None:
    # trafilatura's precision mode sometimes stops early; readability going on says
    # the article does too.
    both = f"<div>{FIRST}{SECOND}</div>"
    assert cut_tail(both, [shingles(text(FIRST)), shingles(text(both))]) == both


def test_a_gallery_after_the_article_is_cut() -> None:
    rng = random.Random(7)
    captions = "".join(
        f"<figure><figcaption>{' '.join(rng.choice(WORDS) for _ in range(12))}</figcaption>"
        "</figure>" for _ in range(50))
    page = f"<div>{FIRST}<div class='gallery'>{captions}</div></div>"
    kept = cut_tail(page, [shingles(text(FIRST))])
    assert "figcaption" not in kept
    assert text(kept).split() == text(FIRST).split()


def test_short_closing_paragraphs_that_are_the_article_stay() -> None:
    rng = random.Random(8)
    shorts = "".join(f"<p>{' '.join(rng.choice(WORDS) for _ in range(12))}</p>"
                     for _ in range(50))
    page = f"<div>{FIRST}{shorts}</div>"
    # Another extractor holds the closing paragraphs too: nothing is cut.
    assert cut_tail(page, [shingles(text(FIRST)), shingles(text(page))]) == page
