"""Listing dumps: line shapes, template induction and segmentation.

Most cases come from `tests/listings.py`, a generator of synthetic listing
pages in two dozen site styles and eight languages, which knows the articles
each page holds.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.archive import detect, listing, parse_bytes, parse_file
from reader.archive.lines import (
    BLANK,
    DATE,
    JUNK,
    META,
    NAV,
    SEP,
    TEXT,
    TITLE,
    Line,
    classify,
    key,
    kind_of,
    literal,
)
from reader.archive.names import name_shaped
from reader.dates import numeric_order
from tests.listings import STYLES, Style, page, single_articles


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Posted on Sun 28 July 2019 in data • Tagged with data, python", DATE),
        ("Publiziert am 13. Januar 2014 von ann", DATE),
        ("By ann, Sat, 03/16/2019 - 20:44", DATE),
        ("April 24, 2009 · 1 min · jra", DATE),
        ("Feb 22nd, 2013", DATE),
        ("2019年11月20日", DATE),
        ("Read more", SEP),
        ("Read", SEP),
        ("Read →", SEP),
        ("Read post", SEP),
        ("記事を読む", SEP),
        ("Ready, steady, go", TITLE),
        ("Filed under books I did not expect to like as much as I did. A sprawling epic "
         "about a stubborn queen and a kingdom that keeps changing its mind.", TEXT),
        ("This entry was posted in News and tagged rivers, walks. Bookmark the permalink. "
         "Both comments and trackbacks are currently closed on this post.", META),
        ("1/12 »", NAV),
        ("« 2/12", NAV),
        ("3/4", TEXT),
        ("Continue reading →", SEP),
        ("Weiterlesen", SEP),
        ("Lire la suite", SEP),
        ("Leer más", SEP),
        ("阅读全文", SEP),
        ("…more", SEP),
        ("Visit Website", SEP),
        ("Read the story", SEP),
        ("site.org / by ann / 2d", META),
        ("example.com · 6 min read", META),
        ("3 Comments", META),
        ("Reply", META),
        ("Labels: soup, winter", META),
        ("Ann Lee — 5 min read", META),
        ("Northwind News – 3 hours ago", META),
        ("Lesezeit: 5 Minuten", META),
        ("Temps de lecture : 4 min", META),
        ("Ten Years Later – 10 Years", TITLE),
        ("Read more: Another Story", TITLE),
        ("Posted by Ann at 10:15 AM", META),
        ("Email ThisBlogThis!Share to TwitterShare to Facebook", META),
        ("Veröffentlicht unter Allgemein | 19 Kommentare", META),
        ("Tags", META),
        ("Flag as irrelevant", META),
        ("« Older Entries", NAV),
        ("← Ältere Beiträge", NAV),
        ("123…5", NAV),
        ("Pagination", NAV),
        ("SPONSORED", JUNK),
        ("12 reactions", META),
        ("1.2K claps", META),
        ("340 views", META),
        ("45 points by ann 3 hours ago | 12 comments", META),
        ("#rust #beginners", META),
        ("#python, #testing", META),
        ("Mar 3", META),
        ("# Notes on rust", TITLE),
        ("#1 Tip for Better Soup", TITLE),
        ("12 Views of the Harbour", TITLE),
        ("10 Points About Writing Letters", TITLE),
        ("More On the Pier Than Ever", TITLE),
        ("A Walk on the Harbour Wall", TITLE),
        ("This paragraph runs on as a paragraph does, with a verb and a full stop at its end.",
         TEXT),
    ],
)
def test_line_shapes(line: str, kind: str) -> None:
    assert kind_of(line)[0] == kind


def test_relative_dates_give_no_date() -> None:
    for line in ("2d", "3 hours ago", "site.org / by ann / 5d", "Sunday, March 29"):
        assert kind_of(line)[0] != DATE


def test_numeric_date_order_is_decided_per_file() -> None:
    assert numeric_order(["03/16/2019", "01/02/2019"]) == "mdy"
    assert numeric_order(["16.03.2019", "01.02.2019"]) == "dmy"
    assert numeric_order(["01/02/2019"]) is None
    assert kind_of("01/02/2019", "mdy") == (DATE, "2019-01-02")
    assert kind_of("01/02/2019", "dmy") == (DATE, "2019-02-01")


def test_shape_keys_group_a_template_slot() -> None:
    def k(text: str) -> str:
        kind, date = kind_of(text)
        return key(Line(1, text, kind, date))

    # The same slot printed with different values has one key…
    assert k("Posted on March 3, 2019 by ann") == k("Posted on 4 April 2020 by bob")
    assert k("a.org / by ann / 2d") == k("Joachim's blog / by joachim / 2mo")
    assert k("Read More") == k("Continue reading →")
    # …and different slots have different keys.
    assert k("Posted on March 3, 2019") != k("March 3, 2019")
    assert k("Posted in News | 3 Comments") != k("Posted on March 3, 2019")


def test_markdown_markers_at_line_start_are_kept_literal() -> None:
    assert literal("1. Install QEMU") == "1\\. Install QEMU"
    assert literal("* [master] branch") == "\\* [master] branch"
    assert literal("# not a heading") == "\\# not a heading"
    assert literal("1.5 times faster") == "1.5 times faster"


def _style(name: str) -> Style:
    return next(s for s in STYLES if s.name == name)


@pytest.mark.parametrize(
    ("name", "start", "foot"),
    [
        ("wp-en-under", "head", None),
        ("hugo-footer-date", "foot", "date:"),
        ("wp-es-under-footer", "head", "meta:|"),
        ("blogger-day-headers", "above", "meta:|"),
        ("digest-doubled", "double", "sep:"),
        ("digest-meta", "head", "sep:"),
        ("pelican-iso-separator", "head", "sep:"),
    ],
)
def test_template_induction(name: str, start: str, foot: str | None) -> None:
    text = page(_style(name), seed=1).text.split("\n")
    template = listing.sniff(text)
    assert template is not None
    assert (template.start, template.foot) == (start, foot)
    assert template.describe()[0].startswith("records found by")


def test_induction_finds_template_lines_and_number_order() -> None:
    share = listing.sniff(page(_style("share-rows"), seed=2).text.split("\n"))
    assert share is not None and {"Facebook", "Twitter"} <= share.boilerplate
    mdy = listing.sniff(page(_style("drupal-mdy"), seed=0, records=8).text.split("\n"))
    dmy = listing.sniff(page(_style("drupal-dmy"), seed=0, records=8).text.split("\n"))
    assert mdy is not None and dmy is not None
    assert (mdy.order, dmy.order) in (("mdy", "dmy"), ("mdy", None), (None, "dmy"))


def _check(style: Style, seed: int, tmp_path: Path) -> None:
    generated = page(style, seed)
    path = tmp_path / f"{style.name}-{seed}.txt"
    path.write_text(generated.text, encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.format in ("tagpage", "digest")
    got = list(parsed.articles)
    assert [a.title for a in got] == [e.title for e in generated.articles]
    assert [a.date for a in got] == [e.date for e in generated.articles]
    assert [a.source for a in got] == [e.source for e in generated.articles]
    for article, expected in zip(got, generated.articles, strict=True):
        lines = [ln for ln in article.body.split("\n") if ln.strip()]
        assert (lines[0], lines[-1]) == (expected.first, expected.last), article.title


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_synthetic_listing_pages_split_exactly(style: Style, seed: int, tmp_path: Path) -> None:
    _check(style, seed, tmp_path)


def test_there_are_many_styles_and_languages() -> None:
    assert len(STYLES) >= 20
    assert {s.lang for s in STYLES} >= {"en", "de", "fr", "es", "it", "pt", "nl", "id", "zh",
                                        "ru", "pl", "sv", "tr", "ja", "ko"}
    assert {s.meta_form for s in STYLES if s.date_where == "meta"} >= {"dot", "dash", "dash-age",
                                                                         "label"}
    assert any(s.kicker_gap for s in STYLES) and any(s.kicker and not s.kicker_gap for s in STYLES)
    kinds = {s.date_where for s in STYLES} | {s.date_form for s in STYLES}
    assert {"under", "above", "footer", "meta", "dmy", "mdy", "cjk", "ordinal"} <= kinds
    assert any(s.header is None and not s.menu for s in STYLES)
    assert any(s.sidebar_before for s in STYLES) and any(s.doubled for s in STYLES)


@pytest.mark.parametrize("name", sorted(single_articles()))
def test_single_articles_are_never_split(name: str, tmp_path: Path) -> None:
    text = single_articles()[name]
    assert detect(text.split("\n")) in ("markdown", "text")
    path = tmp_path / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    assert len(list(parse_file(path).articles)) == 1


@pytest.mark.parametrize("name", ["wp-es-under-footer", "blogger-day-headers", "digest-doubled",
                                  "hugo-footer-date", "tumblr-untitled"])
def test_windows_stream_records_across_their_edges(name: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    text = page(_style(name), seed=3, records=40).text.split("\n")
    whole = list(listing.parse(iter(text), "x"))
    monkeypatch.setattr(listing, "WINDOW", 53)
    windowed = list(listing.parse(iter(text), "x"))
    assert len(whole) == 40
    assert [(a.title, a.date, a.body, a.provenance) for a in windowed] == [
        (a.title, a.date, a.body, a.provenance) for a in whole]


def test_provenance_starts_at_the_title_or_the_date_header() -> None:
    generated = page(_style("blogger-day-headers"), seed=0)
    text = generated.text.split("\n")
    for article in listing.parse(iter(text), "x"):
        first = text[article.provenance.start_line - 1]
        assert first == article.title or kind_of(first)[0] == DATE
        assert article.provenance.end_line > article.provenance.start_line


def test_bodies_lose_template_lines_but_keep_their_text() -> None:
    text = """Site Name

First Post Title Here

March 3, 2019

3 Comments

The first paragraph of the first post, long enough to be running text for sure.

1
2
3
x = 1

The last paragraph ends with its ellipsis … Read the rest

Related

Another Post Title
March 1, 2019

Share this:
Facebook

Second Post Title Here

March 2, 2019

Reply

The second post's only paragraph, which is running text of a decent length too.

Labels: one, two
"""
    articles = list(listing.parse(iter(text.split("\n")), "x"))
    assert [a.title for a in articles] == ["First Post Title Here", "Second Post Title Here"]
    first = articles[0].body.split("\n")
    assert first[0].startswith("The first paragraph")
    assert "1" not in first and "x = 1" in first
    assert first[-1] == "The last paragraph ends with its ellipsis"
    assert "Another Post Title" not in articles[0].body
    assert articles[1].body.startswith("The second post's") and "Labels" not in articles[1].body


def test_classify_numbers_lines_from_the_file() -> None:
    lines = classify(["", "Title", "", "More text"], first_no=10)
    # Blank lines are one shared line numbered 0: a line's number is its index's.
    assert [(x.no, x.kind) for x in lines] == [(0, BLANK), (11, TITLE), (0, BLANK), (13, TITLE)]
    assert lines[0] is lines[2]


ZINE = "My Zine\n\n" + "".join(
    f"Issue Note Number {n}\n\nNote {n} opens with a paragraph, running text that goes on.\n\n"
    f"Its second paragraph ({n}), also running text of a decent length for a note.\n\n~~~\n\n"
    for n in range(1, 5))


def test_a_site_template_splits_what_induction_cannot(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG", str(tmp_path / "config.toml"))
    dump = tmp_path / "zine.txt"
    dump.write_text(ZINE, encoding="utf-8")
    assert len(list(parse_file(dump).articles)) == 1  # no shape it knows: one article
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "my-zine.toml").write_text("match = 'My Zine'\nseparator = '^~~~$'\n")
    parsed = parse_file(dump)
    assert parsed.format == "tagpage"
    articles = list(parsed.articles)
    assert [a.title for a in articles] == [f"Issue Note Number {n}" for n in range(1, 5)]
    assert all("~~~" not in a.body for a in articles)
    # A dump of another site is not affected.
    other = tmp_path / "other.txt"
    other.write_text(ZINE.replace("My Zine", "Other Zine"), encoding="utf-8")
    assert len(list(parse_file(other).articles)) == 1


def test_bad_site_templates_are_reported_and_ignored(tmp_path: Path) -> None:
    from reader.archive.sites import load_sites

    (tmp_path / "a.toml").write_text("match = 'A'\ndate = '('\n")
    (tmp_path / "b.toml").write_text("date = '^Posted'\n")
    (tmp_path / "c.toml").write_text("match = 'C'\ndate = '^Posted'\ndate_position = 'below'\n")
    (tmp_path / "d.toml").write_text("match = 'D'\ndate = '^Posted'\n")
    problems: list[str] = []
    sites = load_sites(tmp_path, problems)
    assert [s.name for s in sites] == ["d"]
    assert len(problems) == 3 and all("\n" not in p for p in problems)


def test_preview_shows_the_template_and_every_boundary(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from reader.cli import main

    monkeypatch.setenv("READER_CONFIG", str(tmp_path / "config.toml"))
    generated = page(_style("pelican-iso-separator"), seed=0)
    dump = tmp_path / "page.txt"
    dump.write_text(generated.text, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "--preview", str(dump)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "template: records found by a line under each title: a date line (posted on …)" in out
    assert "template: separators: lines like 'Lees meer'" in out or "separators:" in out
    assert "template: chrome: lines 1-" in out
    assert str(tmp_path / "sites") in out and "date_position = \"under\"" in out
    for expected in generated.articles:
        assert any(line.startswith("  lines ") and line.endswith(expected.title)
                   for line in out.splitlines())


def test_a_listing_saved_as_markdown_keeps_its_markup(tmp_path: Path) -> None:
    posts = "".join(
        f"## Post Number {n} of the Series\n\n*Posted on March {n}, 2022*\n\n"
        f"The **first** paragraph of post {n}, which runs on as paragraphs do here.\n\n"
        f"1. a numbered step, the {n}th\n\n"
        for n in range(1, 4))
    for suffix, step in ((".md", "1. a numbered step, the"), (".txt", "1\\. a numbered step, the")):
        path = tmp_path / f"posts{suffix}"
        path.write_text(posts, encoding="utf-8")
        articles = list(parse_file(path).articles)
        assert [(a.title, a.date) for a in articles] == [
            (f"Post Number {n} of the Series", f"2022-03-0{n}") for n in range(1, 4)]
        assert all("**first**" in a.body for a in articles)
        assert all(a.body.split("\n")[-1].startswith(step) for a in articles)


def test_pages_pasted_one_after_another_lose_no_post(monkeypatch: pytest.MonkeyPatch) -> None:
    style = _style("wp-en-under")
    first, second = page(style, seed=0, records=6), page(style, seed=1, records=7)
    text = (first.text + "\n" + second.text).split("\n")
    expected = [e.title for e in first.articles + second.articles]
    assert [a.title for a in listing.parse(iter(text), "x")] == expected
    monkeypatch.setattr(listing, "WINDOW", 60)  # the sidebar between pages falls mid-file
    assert [a.title for a in listing.parse(iter(text), "x")] == expected


def test_a_widget_repeating_posts_after_the_list_is_chrome() -> None:
    posts = "".join(
        f"Card Title Number {n}\nCard Title Number {n}\n\nSnippet {n} of the card, running text "
        f"that goes on for a while like snippets do.\n" for n in range(1, 9))
    widget = "".join(f"Popular Title {n}\nPopular Title {n}\n\nPopular snippet {n}, also "
                     f"running text of some length.\n" for n in range(1, 4))
    text = ("Blog Name\n\n" + posts + "Popular Posts\n\n" + widget).split("\n")
    titles = [a.title for a in listing.parse(iter(text), "x")]
    assert titles == [f"Card Title Number {n}" for n in range(1, 9)]


def test_an_article_page_with_comments_stays_one_article() -> None:
    comments = "".join(
        f"Reader {k}\nMarch {k + 2}, 2019 at 10:0{k} am\n\nComment {k}: a short opinion on the "
        f"piece, as readers write them.\n\nReply\n\n" for k in range(6))
    body = "".join(f"Paragraph {k} of the article, running text that goes on for a good while "
                   f"as an article's paragraphs do.\n\n" for k in range(5))
    text = ("My Blog\n\nThe Article Title Here\n\nMarch 1, 2019\n\n" + body + "6 Comments\n\n"
            + comments).split("\n")
    articles = list(listing.parse(iter(text), "x"))
    assert [(a.title, a.date) for a in articles] == [("The Article Title Here", "2019-03-01")]
    assert "Comment 5: a short opinion" in articles[0].body  # comments are kept, in the article


def test_running_text_before_the_first_record_is_never_lost() -> None:
    intro = "".join(f"Intro paragraph {k}, running text of a fair length that a menu or a site "
                    f"description never has, so it is kept.\n\n" for k in range(5))
    generated = page(_style("wp-en-under"), seed=4, records=5)
    text = ("A Long Introduction\n\n" + intro + generated.text).split("\n")
    articles = list(listing.parse(iter(text), "x"))
    assert articles[0].title == "A Long Introduction"
    assert articles[0].body.startswith("Intro paragraph 0") and "Intro paragraph 4" in articles[0].body
    assert [a.title for a in articles[1:]] == [e.title for e in generated.articles]


@pytest.mark.parametrize("spacing", ["dense", "sparse"])
@pytest.mark.parametrize("name", ["wp-de-under", "blogger-day-headers", "digest-doubled",
                                  "hugo-footer-date", "digest-meta", "news-kicker-age"])
def test_blank_lines_copied_differently_change_nothing(name: str, spacing: str) -> None:
    """Browsers copy blocks with no blank line between them, or with two."""
    generated = page(_style(name), seed=5)
    lines = generated.text.split("\n")
    if spacing == "dense":
        lines = [x for x in lines if x.strip()]
    else:
        lines = "\n".join(lines).replace("\n\n", "\n\n\n").split("\n")
    got = list(listing.parse(iter(lines), "x"))
    assert [(a.title, a.date) for a in got] == [(e.title, e.date) for e in generated.articles]
    for article, expected in zip(got, generated.articles, strict=True):
        body = [x for x in article.body.split("\n") if x.strip()]
        assert (body[0], body[-1]) == (expected.first, expected.last)


def test_a_site_description_above_the_first_post_is_chrome() -> None:
    generated = page(_style("hugo-footer-date"), seed=6, records=5)
    lines = generated.text.split("\n")
    start = lines.index(generated.articles[0].title)
    text = ["Blog Name", "", "A blog about making things and the tools for them, written "
            "since 2009 by one person.", "", *lines[start:]]
    got = list(listing.parse(iter(text), "x"))
    assert [a.title for a in got] == [e.title for e in generated.articles]
    assert "A blog about" not in got[0].body


def test_code_gutters_copied_beside_code_are_dropped() -> None:
    posts = "".join(
        f"Post Number {n} About Code\n\nMarch {n}, 2022\n\nRun step {n}, then look at what the "
        f"output says about it.\n\n1\n\n$ make run{n}\n\n1234\n\nx = {n}\ny{n} = x\nz{n} = y{n}\n"
        f"print(z{n})\n\nThat is all there is to post {n}.\n\n" for n in range(1, 4))
    articles = list(listing.parse(iter(posts.split("\n")), "x"))
    assert len(articles) == 3
    for n, article in enumerate(articles, 1):
        body = [x for x in article.body.split("\n") if x.strip()]
        assert "1" not in body and "1234" not in body
        assert f"$ make run{n}" in body and f"x = {n}" in body


def test_a_title_that_starts_with_by_is_a_title() -> None:
    posts = "".join(
        f"{title}\n\nMarch {n}, 2022\n\nThe post's paragraph number {n}, running text that goes "
        f"on for a while, as posts do.\n\n" for n, title in enumerate(
            ["By the Sea at Night", "A Walk Up the Hill", "By Train to the Coast"], 1))
    articles = list(listing.parse(iter(posts.split("\n")), "x"))
    assert [(a.title, a.author) for a in articles] == [
        ("By the Sea at Night", None), ("A Walk Up the Hill", None),
        ("By Train to the Coast", None)]


@pytest.mark.parametrize("by_first", [False, True])
def test_the_fast_shape_test_agrees_with_the_case_blind_one(
        by_first: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines of ASCII and uncased marks are matched lower-cased without IGNORECASE: the
    same answers, including letters IGNORECASE matches across scripts (`ı` and `i`);
    and the same again once the test is split by the line's first character. Lines
    with other cased letters are matched part by part, then, after `JOIN_AFTER` of them,
    by the joined pattern: the same answers both ways."""
    from reader.archive import lines
    from reader.archive.lines import _any_shape_pattern, any_shape

    monkeypatch.setattr(lines, "_BY_FIRST", {})
    monkeypatch.setattr(lines, "_SEEN", {})
    monkeypatch.setattr(lines, "_CASED_TESTED", [0])
    if by_first:
        monkeypatch.setattr(lines, "DISPATCH_AFTER", 0)
        monkeypatch.setattr(lines, "DISPATCH_CHAR", 1)
        monkeypatch.setattr(lines, "JOIN_AFTER", 0)

    texts = {x.strip() for style in STYLES for seed in range(2)
             for x in page(style, seed).text.split("\n")}
    for path in (Path(__file__).parent.parent / "fixtures").glob("*.txt"):
        texts |= {x.strip() for x in path.read_text(errors="replace").split("\n")}
    texts |= {"DEVAMINI OKU", "Devamini oku", "READ MORE »", "POSTED IN NEWS", "3 COMMENTS",
              "Older Posts", "Share This:", "SPONSORED", "Image Result For Cats", "LEIA MAIS",
              "READ MORE →", "…MORE", "« Older Entries", "Continue Reading “The Title” →",
              "Ann – 3 Hours Ago", "ſhare this", "Devamını oku", "DEVAMINI OKU »"}
    shaped = [t for t in texts if t.isascii() and any_shape(t)]
    assert len(shaped) > 20
    cased = [t for t in texts if lines._CASED.search(t) and any_shape(t)]
    assert len(cased) >= 3, cased
    for text in texts:
        assert any_shape(text) == (_any_shape_pattern().match(text) is not None), text
    assert (len(lines._BY_FIRST) > 20) == by_first
    assert (lines._CASED_TESTED[0] == 0) == by_first


def test_a_cross_link_is_never_a_title() -> None:
    from reader.archive.listing.anchors import could_title

    assert not could_title(classify(["Read more: Another Story"])[0])
    assert not could_title(classify(["Siehe auch: Ein anderer Text"])[0])
    assert could_title(classify(["Read More Books This Winter"])[0])


def test_a_pattern_splits_into_alternatives_that_match_what_it_matches() -> None:
    from reader.archive.firsts import alternatives

    assert alternatives(r"^(?:a|b(?:c|d))$") == ["^(?:a)$", "^(?:b(?:c|d))$"]
    assert alternatives(r"a|^(?:b|c)x") == ["a", "^(?:b)x", "^(?:c)x"]
    assert alternatives(r"^(?:a|b)?c") == [r"^(?:a|b)?c"]  # a quantified group stays
    assert alternatives(r"^[|(\]](?:a|b)") == [r"^[|(\]](?:a)", r"^[|(\]](?:b)"]
    assert alternatives(r"^\((?:a|\|)") == [r"^\((?:a)", r"^\((?:\|)"]
    assert alternatives("^(?: a # x|y\n | b)$", verbose=True) == ["^(?: a # x|y\n )$",
                                                                   "^(?: b)$"]


def test_the_first_characters_of_a_pattern_are_a_superset() -> None:
    from reader.archive.firsts import regex_first

    chars = frozenset(map(chr, range(128)))
    assert regex_first("^(?:ab|c)d", 0, chars) == {"a", "c"}
    first = regex_first(r"^[\W_]{0,3}x", 0, chars)
    assert first is not None and {"x", "_", "-", " ", "«"} & chars <= first
    assert "a" not in first and "1" not in first
    assert regex_first(r"^\d+\s", 0, chars) == set("0123456789")
    assert regex_first(r"^[^a-y]", 0, chars) == chars - set("abcdefghijklmnopqrstuvwxy")
    assert regex_first("^a?", 0, chars) is None  # may match nothing: any line
    assert regex_first("^a", re.IGNORECASE, chars) is None
    assert regex_first("(?i)^a", 0, chars) is None
    assert regex_first("^(?i:a)b", 0, chars) is None
    assert regex_first("^(?=x)a", 0, chars) == {"a"}


def test_the_marked_meta_prefilter_agrees_with_its_pattern() -> None:
    from reader.archive.lines import _META_MARKS, _marked_meta

    parts = ["site.org", " · ", " / ", " | ", " — ", " – ", " - ", "•", "6 min read",
             "one min read", "a MIN", "mın", "3 hours ago", "2d", "yesterday", "Today",
             "just now", "read", "by ann", "vor 3 Stunden", "hace 2 horas", "٣", "10 Years"]
    texts = {a + b + c for a in parts for b in parts for c in ("", *parts[:8])}
    assert sum(_marked_meta(t) for t in texts) > 20
    for text in texts:
        assert _marked_meta(text) == (_META_MARKS.match(text) is not None), text


@pytest.mark.parametrize("sep", ["-", "|", "\u2013", "\u2014"])
def test_every_suffix_separator_passes_the_quick_test(sep: str) -> None:
    from reader.archive.listing.bodies import _may_have_suffix
    from reader.archive.listing.template import _SUFFIX

    title = f"A title of some words {sep} example.com"
    assert _SUFFIX.match(title) is not None
    assert _may_have_suffix(title)


def test_reading_time_dates_and_engagement_counts_frame_each_post() -> None:
    # A card listing: the title, `5 min read · Mar 3, 2021` under it, an excerpt, and
    # counts (`12 reactions`, `1.2K claps`) under that: the counts are the card's meta,
    # never a title, and the reading time does not hide the date.
    titles = ["Lanterns Along the Old Canal", "A Winter of Bread and Letters",
              "The Harbour Wall at Low Tide", "Violins in the Orchard Barn"]
    out = ["Lantern Notes", "", "Posts about walks", ""]
    for n, title in enumerate(titles):
        out += [title, "", f"{n + 3} min read · Mar {n + 3}, 2021", "",
                f"The path past the mill was quiet on walk {n}, and the light was low over "
                "the water.", "", f"{n * 7 + 2} reactions", f"{n + 1}.{n}K claps", "", ""]
    parsed = parse_bytes(("\n".join(out) + "\n").encode(), "cards.txt")
    articles = list(parsed.articles)
    assert [(a.title, a.date) for a in articles] == [
        (t, f"2021-03-0{n + 3}") for n, t in enumerate(titles)]
    assert all("reactions" not in a.body and "claps" not in a.body for a in articles)


@pytest.mark.parametrize("gap", ["", "\n"])
def test_authors_names_between_titles_and_dates_are_never_titles(gap: str) -> None:
    # `Title / Ann Lee / March 3, 2019`: four authors write eight posts, two of them
    # a single post; each name is the author's, never the post's title nor its text.
    authors = ["Ines Okafor", "Tom Berg", "Ines Okafor", "Ann Lee", "Tom Berg",
               "Ines Okafor", "Rui Costa", "Tom Berg"]
    titles = [f"Walk number {n} along the river" for n in range(1, 9)]
    posts = [f"{title}\n{gap}{author}\n{gap}March {n + 2}, 2019\n\n"
             f"The path past the mill was quiet on walk {n}, and the light was low.\n\n"
             f"We counted {n} herons before the bridge and turned back at the weir.\n\n\n"
             for n, (title, author) in enumerate(zip(titles, authors, strict=True), 1)]
    text = "Lantern Notes\n\nPosts about walks\n\n" + "".join(posts)
    articles = list(parse_bytes(text.encode(), "walks.txt").articles)
    assert [a.title for a in articles] == titles
    assert [a.date for a in articles] == [f"2019-03-{n + 2:02d}" for n in range(1, 9)]
    assert [a.author for a in articles] == authors
    assert all(a.body.startswith("The path past the mill") for a in articles)


@pytest.mark.parametrize(("text", "name"), [
    ("Ann Lee", True), ("Jean-Luc de la Tour", True), ("J. R. Smith", True),
    ("Zoë O’Brien", True), ("Garden Notes", True),  # (a name's shape: what is under it decides)
    ("How I Learned Rust", False), ("The Old Mill", False), ("Ann", False),
    ("Ann Lee 2", False), ("ann lee", False), ("One Two Three Four Five", False),
])
def test_a_name_s_shape(text: str, name: bool) -> None:
    assert name_shaped(text) is name


CARDS = [("Ines Okafor", "How the river changed course in a single winter"),
         ("Tom Berg", "Ten things the old ferry timetable gets wrong"),
         ("Ann Lee", "Why we still count herons every spring"),
         ("Rui Costa", "A short guide to the mill and its wheel"),
         ("Mia Park", "What the flood left on the lower path")]


@pytest.mark.parametrize("date", ["Mar {n} '21", "Mar {n}"])
@pytest.mark.parametrize("text", [True, False])
def test_cards_name_their_author_over_the_date_and_their_title_under_it(
        date: str, text: bool) -> None:
    # A social platform's cards: `Ann Lee` / `Mar 3 '21` / title / `#tags` / counts,
    # each author once; with a teaser or none, with the year or without.
    cards = []
    for n, (author, title) in enumerate(CARDS, 3):
        teaser = f"The walk on day {n} went past the weir, and the water was high.\n\n" \
            if text else ""
        cards.append(f"{author}\n{date.format(n=n)}\n\n{title}\n\n#rivers #walk{n}\n\n"
                     f"{teaser}{n + 9} reactions\n{n} comments\n{n} min read\n\n")
    page = "Posts tagged #rivers\n\n" + "".join(cards)
    articles = list(parse_bytes(page.encode(), "cards.txt").articles)
    assert [(a.title, a.author) for a in articles] == [(t, a) for a, t in CARDS]
    assert [a.date for a in articles] == (
        [f"2021-03-0{n}" for n in range(3, 8)] if "'" in date else [None] * 5)
    for n, a in enumerate(articles, 3):
        assert a.tags == ("#rivers", f"walk{n}")  # the page's tag, then the post's own
        assert ("went past the weir" in a.body) is text
        # A post listed without its text: the card is all there is of it, a paragraph
        # a line (the reading view does not run them together).
        assert text or a.body == f"#rivers #walk{n}\n\n{n + 9} reactions\n\n{n} min read"


def test_a_blog_whose_titles_read_like_names_keeps_them() -> None:
    # `Garden Notes` over each date and a short line under it, but no card: the line
    # over the date is the title, as always.
    titles = ["Garden Notes", "Winter Soup", "Spring Walks", "Old Maps", "River Days"]
    firsts = ["Photos from the market", "What we cooked on Sunday", "A slow morning by the lake",
              "Letters found in a drawer", "Boats and bridges"]
    posts = [f"{t}\nMarch {n}, 2019\n\n{f}\n\nWe walked along the river on day {n} and "
             "cooked a long dinner with friends, and it rained all evening.\n\n"
             for n, (t, f) in enumerate(zip(titles, firsts, strict=True), 3)]
    text = "Posts tagged “Food”\n\n" + "".join(posts)
    articles = list(parse_bytes(text.encode(), "food.txt").articles)
    assert [a.title for a in articles] == titles
    assert all(a.author is None for a in articles)


STANDFIRSTS = [
    ("Why the ferry stopped running",
     "The timetable changed three times in one winter, and nobody told the town"),
    ("The mill reopens", "After forty years the wheel turns again, powered by volunteers."),
    ("Counting herons at dawn", "A spring ritual that began as a bet between two neighbours"),
    ("What the flood left behind", "Mud, letters and a piano: an inventory of the lower path."),
    ("Notes from the lock keeper", "Thirty years of boats, storms and one very stubborn swan"),
]


@pytest.mark.parametrize("byline", ["Ann Lee · Mar {n}, 2021", "\nAnn Lee\nMar {n}, 2021",
                                    "Mar {n}, 2021"])
def test_a_title_over_its_standfirst_is_the_title(byline: str) -> None:
    # `Title` / `A longer line that says more` / date: the standfirst is the first line
    # of the text, never the title (before, the title was lost as a "kicker").
    posts = [f"{title}\n{dek}\n{byline.format(n=n)}\n\nThe first paragraph of post {n} "
             f"tells the story from the start, with names and places.\n\n"
             for n, (title, dek) in enumerate(STANDFIRSTS, 3)]
    text = "The Quiet Harbour\n\n" + "".join(posts)
    articles = list(parse_bytes(text.encode(), "harbour.txt").articles)
    assert [a.title for a in articles] == [t for t, _ in STANDFIRSTS]
    assert [a.body.split("\n\n")[0] for a in articles] == [d for _, d in STANDFIRSTS]
    assert [a.date for a in articles] == [f"2021-03-0{n}" for n in range(3, 8)]
    assert [a.author for a in articles] == [None if byline.startswith("Mar") else "Ann Lee"] * 5



def test_ghost_cards_title_an_excerpt_a_blank_line_apart() -> None:
    # `Title` / blank / `An excerpt cut short…` / blank / `Ann Lee` / `Mar 3, 2021 • 3 min
    # read`, no text beyond the excerpt: the excerpt is the text, the line above the title.
    cards = [f"{title}\n\n{dek.rstrip('.')}…\n\nAnn Lee\nMar {n}, 2021 • {n} min read\n\n\n"
             for n, (title, dek) in enumerate(STANDFIRSTS, 3)]
    text = "The Quiet Harbour\nHome\nAbout\n\n\n" + "".join(cards)
    articles = list(parse_bytes(text.encode(), "ghost.txt").articles)
    assert [a.title for a in articles] == [t for t, _ in STANDFIRSTS]
    assert [a.body for a in articles] == [d.rstrip(".") + "…" for _, d in STANDFIRSTS]
    assert [(a.author, a.date) for a in articles] == [
        ("Ann Lee", f"2021-03-0{n}") for n in range(3, 8)]


def test_a_row_of_numbers_is_body_text_and_never_hangs() -> None:
    # A hex dump's row (`1  00 00 00 18 66 …`) once sent the pager pattern into
    # exponential backtracking: 14 numbers took minutes. Run apart, so that a
    # regression fails here (the bound is a hang guard, not a speed goal).
    row = "1  " + " ".join(["00", "00", "00", "18", "66", "74", "79", "70", "68", "65", "69",
                            "63", "00", "00", "00", "00", "6D", "69", "66", "31"] * 2)
    code = ("import sys; from reader.archive.lines import kind_of; "
            "print(kind_of(sys.argv[1])[0], kind_of(sys.argv[1] + ' x')[0])")
    done = subprocess.run([sys.executable, "-c", code, row], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == [TEXT, TEXT]


FOOTED = [("THINGS I MISS IN OTHER EDITORS", "Mon, Jan 9, 2023", "misc"),
          ("GARDEN SHED - ROOF", "Wed, Mar 27, 2019", "garden shed"),
          ("GARDEN SHED - WALLS", "Tue, Mar 26, 2019", "garden shed"),
          ("KILN - FIRING", "Thu, Dec 13, 2018", "pottery clay"),
          ("KILN - GLAZES", "Wed, Dec 12, 2018", "pottery clay")]


def test_cards_closed_by_their_date_keep_the_first_and_their_own_dates() -> None:
    # Title / excerpt / `date tags` closing each card: before, the dates were taken for
    # headers over the next titles (the first post lost as chrome, every post dated by
    # the one above), and a short title in capitals for a digest's section label.
    cards = [f"{title}\n\nThe notes for post {n} start with the first thing done and end "
             f"with the last one, in one paragraph.\n\n{date} {tags}\n\n"
             for n, (title, date, tags) in enumerate(FOOTED, 1)]
    text = "Notebook\n* Home\n* About\n\n" + "".join(cards) + "1/3 »\n"
    articles = list(parse_bytes(text.encode(), "cards.txt").articles)
    assert [a.title for a in articles] == [t for t, _, _ in FOOTED]
    assert [a.date for a in articles] == ["2023-01-09", "2019-03-27", "2019-03-26",
                                          "2018-12-13", "2018-12-12"]
    assert all(a.body.startswith(f"The notes for post {n} ")
               for n, a in enumerate(articles, 1))


def test_the_first_card_is_found_under_an_introduction_or_without_running_text() -> None:
    # Title / standfirst / `Published: …`, the first standfirst without its full stop: no
    # running text to walk up from; and cards under a site's introduction (a heading
    # and a paragraph).
    cards = [f"{title}\n\nHow the work on part {n} went, in a line{'.' if n > 1 else ''}\n\n"
             f"Published: {date}\n\n\n" for n, (title, date, _) in enumerate(FOOTED, 1)]
    plain = "Latest Stories\n\n" + "".join(cards)
    intro = ("Hi, I am Wren\n\nWelcome to my notebook, where I write about sheds, kilns and "
             "the odd trip to the coast between two jobs.\n\n") + "".join(
        f"{title}\n\nThe notes for post {n} start with the first thing done and end with "
        f"the last one, in one paragraph....\n\n{date} · {n} min · Wren\n\n"
        for n, (title, date, _) in enumerate(FOOTED, 1))
    for text in (plain, intro):
        articles = list(parse_bytes(text.encode(), "cards.txt").articles)
        assert [a.title for a in articles] == [t for t, _, _ in FOOTED]
        assert [a.date for a in articles][:2] == ["2023-01-09", "2019-03-27"]


@pytest.mark.parametrize("tail", [
    ["1/12 »", "", "最近の投稿", "", "古い自転車", "ベランダ", "", "カテゴリー", "", "bike", "walk"],
    ["« 2/3", "", "Рубрики", "", "Велосипеды"],
    ["Made with care on a quiet street.", "© 2022 Kotori Notes. Generated with a static site "
     "generator and a theme of its own."],
])
def test_the_last_post_ends_where_the_page_s_footer_begins(tail: list[str]) -> None:
    # A pager (`1/12 »`), a sidebar heading in the page's language, a copyright line:
    # the listing ends there, not in the last post's text.
    posts = [f"Post number {n} on walking\n\nJuly {n + 2}, 2021 walk\n\nThe walk on day {n} "
             "went past the weir, and the water was high after the rain.\n\nRead\n\n"
             for n in range(1, 6)]
    text = "Kotori Notes\n\n" + "".join(posts) + "\n".join(tail) + "\n"
    articles = list(parse_bytes(text.encode(), "notes.txt").articles)
    assert [a.title for a in articles] == [f"Post number {n} on walking" for n in range(1, 6)]
    last = articles[-1].body
    assert last.endswith("after the rain.") or tail[0] in last, last
    assert "最近の投稿" not in last and "Рубрики" not in last and "©" not in last


def test_hashtags_over_each_title_are_that_post_s_tags() -> None:
    # `#paper #craft` / title / standfirst / `Published: …`: the line of hashtags
    # after a footer is the next post's, not the one the footer closes.
    tags = [("paper", "craft"), ("glue", "craft"), ("paper", "history"), ("tools", "press")]
    posts = [f"#{a} #{b}\n\nPost {n} about binding books\n\nHow the work on part {n} went, "
             f"told in a sentence.\n\nPublished: {n + 2} March 2025\n\n"
             for n, (a, b) in enumerate(tags, 1)]
    articles = list(parse_bytes(("Latest Stories\n\n" + "".join(posts)).encode(),
                                "books.txt").articles)
    assert [a.title for a in articles] == [f"Post {n} about binding books" for n in range(1, 5)]
    assert [a.tags for a in articles] == tags


def test_cards_with_a_category_and_hashtags_under_the_date() -> None:
    # Title / blank / summary / date / category / `#tags`, no blank inside the card:
    # the category under the date is the card's, never the next post's title.
    cards = [("Patching a leaking rain barrel", "Fixes", "#Garden #Rain"),
             ("Setting up a shared family calendar", "Fixes", "#Calendar"),
             ("Building a bird box from one plank", "Woodwork", "#Birds #Plank"),
             ("Why my tomatoes split", "Garden", "#Tomatoes")]
    text = "Lantern Log\nHome\nTags\nSearch\n\n" + "".join(
        f"{title}\n\nWhat happened on day {n}, told in one sentence.\n2025-09-0{n}\n"
        f"{category}\n{tags}\n\n" for n, (title, category, tags) in enumerate(cards, 1))
    articles = list(parse_bytes(text.encode(), "cards.txt").articles)
    assert [(a.title, a.date) for a in articles] == [
        (title, f"2025-09-0{n}") for n, (title, _, _) in enumerate(cards, 1)]
    assert [a.tags for a in articles] == [
        tuple(tag.lstrip("#") for tag in tags.split()) for _, _, tags in cards]
    assert all(a.body.startswith(f"What happened on day {n},")
               for n, a in enumerate(articles, 1))


def test_date_headers_under_a_menu_are_not_footers_of_a_made_up_first_post() -> None:
    # `date` / title / excerpt, the first date right under the site's menu: the first
    # footer-closed "record" would be the menu; its lines do not stand as the other
    # records' titles stand over their footers, so the dates head their titles.
    posts = [f"{n} December 2024\n\nA title for the post of day {n}\n\nThe excerpt of "
             f"post {n} runs on for a while and ends with a full stop.\n\n"
             for n in (12, 9, 5, 2)]
    text = "quillpost.example\nNotesNowAbout\n" + "".join(posts)
    articles = list(parse_bytes(text.encode(), "quill.txt").articles)
    assert [(a.title, a.date) for a in articles] == [
        (f"A title for the post of day {n}", f"2024-12-{n:02d}") for n in (12, 9, 5, 2)]


def test_an_archive_grouped_by_year_keeps_every_post_and_no_heading(tmp_path: Path) -> None:
    """A list of posts by title and date, grouped under year headings, one post with no
    line under its date: every title is a record (the bare one reported, not merged into
    the post above), no year heading ends a post, the back-to-top link ends the last."""
    text = "\n".join([
        "Skip to main content", "Pottery Notes", "Posts", "Tags", "",
        "2025", "",
        "Trimming a Tall Vase", "14 October 2025 · 900 words · 5 mins", "Wheel Trimming",
        "Mixing a Celadon Glaze", "2 August 2025 · 1200 words · 6 mins", "Glazes",
        "", "2024", "",
        "A Kiln Log Template", "9 May 2024",
        "Reclaiming Dry Clay", "21 March 2024 · 640 words · 3 mins", "Clay Reclaim",
        "", "2023", "",
        "Building a Wedging Table", "30 June 2023 · 1500 words · 7 mins", "Studio Furniture",
        "Back to top ↑", "© 2026 Pottery Notes", ""])
    path = tmp_path / "archive.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_file(path)
    got = [(a.title, a.date, a.body) for a in parsed.articles]
    assert got == [
        ("Trimming a Tall Vase", "2025-10-14", "Wheel Trimming"),
        ("Mixing a Celadon Glaze", "2025-08-02", "Glazes"),
        ("Reclaiming Dry Clay", "2024-03-21", "Clay Reclaim"),
        ("Building a Wedging Table", "2023-06-30", "Studio Furniture"),
    ]
    assert any("A Kiln Log Template" in p and "no text" in p for p in parsed.problems)
