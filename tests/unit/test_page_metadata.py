"""Page metadata that pages get wrong: descriptions as headlines, dates as authors,
escaped tags, newsletters without titles, site names as titles."""

from __future__ import annotations

import json

import lxml.html

from reader.archive.html import parse_page
from reader.archive.html_markdown import title_from_body
from reader.archive.page_meta import page_metadata

BODY = "<p>" + "Words of the article itself, which go on for a good while here. " * 8 + "</p>"


def meta(head: str, body: str = ""):
    return page_metadata(lxml.html.document_fromstring(
        f"<html><head>{head}</head><body>{body}{BODY}</body></html>"))


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_a_short_description_in_the_headline_loses_to_the_pages_own_title() -> None:
    head = ("<title>Kestrel Island - Encyclopedia</title>"
            + ld({"@context": "https://schema.org", "@type": "Article", "name": "Kestrel Island",
                  "headline": "island nation in the southern ocean"}))
    data = meta(head, '<h1 id="firstHeading">Kestrel Island</h1>')
    assert data.title == "Kestrel Island"


def test_a_headline_the_page_agrees_with_is_kept() -> None:
    head = ("<title>Rain Gardens, Explained | The Daily Leaf</title>"
            + ld({"@type": "NewsArticle", "headline": "Rain gardens, explained"}))
    assert meta(head, "<h1>Rain gardens, explained</h1>").title == "Rain gardens, explained"


def test_dates_are_not_authors() -> None:
    assert meta('<meta name="author" content="January">').author is None
    assert meta('<meta name="author" content="Mon, 3 May">').author is None
    assert meta('<meta name="author" content="June Carter">').author == "June Carter"
    assert meta("", '<p class="dateline">January 5, 2021</p>').author is None


def test_tags_are_unescaped_once() -> None:
    data = meta('<meta property="article:tag" content="Privacy &amp;amp; Technology">'
                '<meta property="article:tag" content="Fish &amp;amp;lt; Chips">')
    assert data.tags == ("Privacy & Technology", "Fish &lt; Chips")


def test_a_title_that_is_only_the_site_name_gives_way_to_the_heading() -> None:
    head = '<title>Harbour Gazette</title><meta property="og:site_name" content="Harbour Gazette">'
    data = meta(head, "<table><tr><td><h2>Ferry timetable changes this winter</h2></td></tr>"
                      "</table>")
    assert data.title == "Ferry timetable changes this winter"


def test_newsletters_without_a_title_are_titled_by_their_words() -> None:
    body = ("| | |\n| --- | --- |\n| [View in browser](https://x.example/v) | |\n\n"
            "![logo](https://x.example/l.png)\n\nView this email in your browser\n\n"
            "## This week: the river cleanup\n\nVolunteers gathered…")
    assert title_from_body(body) == "This week: the river cleanup"
    page = ("<html><body><table><tr><td><a href='https://x.example/v'>View in browser</a></td>"
            "</tr></table><h2>This week: the river cleanup</h2>" + BODY + "</body></html>")
    title = parse_page(page, "mail.html").title
    assert "|" not in title and "View in browser" not in title


def test_a_guessed_title_naming_only_the_site_gives_way_to_the_articles_heading() -> None:
    page = ("<html><head><title>Harbour Gazette Online</title></head><body><table><tr>"
            "<td><a href='/'>Harbour Gazette Online</a></td><td><h1>Ferry timetable changes "
            "this winter</h1>"
            + BODY + "</td></tr></table></body></html>")
    article = parse_page(page, "old.html")
    assert article.title == "Ferry timetable changes this winter"
    assert not article.body.startswith("#")


def test_a_guessed_title_sharing_words_with_the_heading_stays() -> None:
    page = ("<html><head><title>Ferry timetable news</title></head><body><article>"
            "<h1>Ferry timetable changes this winter</h1>" + BODY + "</article></body></html>")
    assert parse_page(page, "page.html").title == "Ferry timetable news"


def test_a_guessed_title_no_link_home_names_stays() -> None:
    page = ("<html><head><title>Share buttons test</title></head><body><article>"
            "<h1>Lorem ipsum dolor sit</h1>" + BODY + "</article></body></html>")
    assert parse_page(page, "page.html").title == "Share buttons test"
