"""A post whose title reads like page meta (`Posted in Paris: …`, `Tags of the City: …`,
`No Comments From the Minister …`) is a post with that title, where the page's other
posts print their titles in one slot beside the line that finds them: over their date,
under a byline, under a date header, after the footer of the post before. Before, the
first such post took the page's header or menu for its title, and a later one joined
the post above it, its title lost.

Each case is a synthetic page of `tests.listings` in one of its site styles, split once
as generated and once with one post's title replaced: the two splits must differ in
that title only. A title shaped like meta printed again in a sidebar is not taken for
a second kind of record's anchor either."""

from __future__ import annotations

import pytest

from reader.archive import parse_bytes
from tests.listings import STYLES, Style, page
from tests.unit.test_doubled_titles import META_TITLES
from tests.unit.test_listing_losses import split, walks_titled

# Every style with titles, but for posts that share a day's date header (the second
# post of a day has no anchor of its own to find it by).
SLOTTED = [s for s in STYLES if not s.untitled and not s.shared_days]


def retitled(style: Style, seed: int, post: int) -> tuple[list[tuple[str, str]],
                                                         list[tuple[str, str]]]:
    """What the split finds in a page of `style` with post `post` titled like meta,
    and what it should find (the plain page's split, that one title changed)."""
    generated = page(style, seed)
    plain = [(a.title, a.body) for a in parse_bytes(generated.text.encode(), "t.txt").articles]
    assert [t for t, _ in plain] == [e.title for e in generated.articles]
    titles = META_TITLES.get(style.lang, META_TITLES["en"])
    meta = titles[(seed + post) % len(titles)]
    text = generated.text.replace(plain[post][0], meta)
    got = [(a.title, a.body) for a in parse_bytes(text.encode(), "t.txt").articles]
    return got, [(meta if i == post else t, b) for i, (t, b) in enumerate(plain)]


@pytest.mark.parametrize("style", SLOTTED, ids=lambda s: s.name)
def test_a_later_post_titled_like_meta_keeps_its_title_and_text(style: Style) -> None:
    for seed in range(3):
        got, want = retitled(style, seed, 2)
        assert got == want, seed


@pytest.mark.parametrize("style", SLOTTED, ids=lambda s: s.name)
def test_the_first_post_titled_like_meta_is_not_titled_by_the_page_header(
        style: Style) -> None:
    for seed in range(3):
        got, want = retitled(style, seed, 0)
        assert got == want, seed


def test_a_post_under_a_byline_takes_its_meta_shaped_title_not_the_byline() -> None:
    titles = [f"Walk number {n} along the river" for n in range(1, 7)]
    titles[2] = "Tags of the City: Graffiti Along the Canal"
    articles, problems = split(walks_titled(titles, head=("By marta", "")))
    assert [a[0] for a in articles] == titles and problems == []
    assert all("By marta" not in a[1] for a in articles)


def test_an_authors_name_over_every_date_is_not_every_posts_title() -> None:
    # The name printed over each date, a blank line between: a template line.
    titles = [f"Walk number {n} along the river" for n in range(1, 7)]
    articles, _ = split(walks_titled(titles, head=("Marta Lind", "")))
    assert [a[0] for a in articles] == titles


def test_a_meta_line_printed_in_every_post_is_never_a_title() -> None:
    # The slot over the date holds a template line in every post: the titles stay.
    titles = [f"Walk number {n} along the river" for n in range(1, 7)]
    articles, problems = split(walks_titled(titles, head=("Filed under Walks and Rivers", "")))
    assert [a[0] for a in articles] == titles and problems == []
