"""Hostile archives in every common format: nothing unsafe is stored, no text is lost.

Each archive carries terminal escapes (OSC 0/8/52, CSI, DCS, C1), bidi controls and
an unterminated OSC in every field it has (title, body, URL, author, tags). After
import every stored string is clean, the text after each escape is still there, and
URLs holding control characters are refused rather than stored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reader.clean import needs_sanitizing
from reader.importer import Importer
from reader.store import Store

EVIL = "\x1b]52;c;UFdORUQ=\x07\x1b]0;PWNED\x07\x1b[2J\u202e\x9b31m"
CUT = "\x1b]8;;"  # an OSC cut short: must take nothing after it
KEEP = "and this closing sentence must survive"
URL = "https://ex.example/a\x1b]52;c;QQ==\x07b"
XML_EVIL = "\x9d52;c;UFdORUQ=\x9c\x9d0;PWNED\x9c\u202e\x9b2J\x85"
"""What XML 1.0 allows of the above (C1 controls, bidi)."""
RAW_EVIL = EVIL + "\x01\x0b\x1f" + "&#x1b;]0;PWNED&#7;&#1;"
"""What XML 1.0 forbids, even in CDATA (C0 controls, the escapes they begin, references to
them), written raw into a WordPress export, a feed and a page: removed before any parser
sees the file, never costing the words around them."""
BODY_WORDS = "The article has enough ordinary words in it to be kept as the body of a page. "


def _html_attr(text: str) -> str:
    return "".join(f"&#x{ord(c):x};" if ord(c) < 32 or 0x7f <= ord(c) <= 0x9f else c
                   for c in text)


def archives(tmp: Path) -> dict[str, Path]:
    out = {}
    md = tmp / "note.md"
    md.write_text(f"---\ntitle: \"Title {EVIL} one\"\nurl: \"{URL}\"\ntags: [\"t{EVIL}\"]\n---\n\n"
                  f"{BODY_WORDS}\n\nFirst {EVIL} then {CUT} {KEEP}.\n", encoding="utf-8")
    out["markdown"] = md
    tag = tmp / "tagpage.txt"
    tag.write_text("Site\n\nPosts Tagged 'x'\n\n\n" + "".join(
        f"Post {n} title {EVIL if n == 1 else ''}\n\nPosted on {n + 1} March 2019 by ann\n\n"
        f"{BODY_WORDS}\nWords {CUT} {KEEP} {n}.\n\nPosted in News | Leave a comment\n\n\n"
        for n in range(3)), encoding="utf-8")
    out["tagpage"] = tag
    page = tmp / "page.html"
    page.write_text(
        f"<html><head><title>Page {_html_attr(EVIL)} title</title>"
        f'<link rel="canonical" href="{_html_attr(URL)}">'
        f'<meta name="author" content="Ann {_html_attr(EVIL)}"></head><body><article>'
        f"<h1>Page title</h1><p>{BODY_WORDS}{BODY_WORDS}</p>"
        f"<p>Para {_html_attr(EVIL)} and {_html_attr(CUT)} {KEEP}.</p>"
        f"<p>{BODY_WORDS}</p></article></body></html>", encoding="utf-8")
    out["html"] = page
    feed = tmp / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>' + "".join(
            f"<item><title>Item {n} {_html_attr(EVIL)}</title><link>{_html_attr(URL)}{n}</link>"
            f"<author>ann{_html_attr(EVIL)}</author><category>c{_html_attr(EVIL)}</category>"
            f"<description>{BODY_WORDS} {_html_attr(EVIL)} x {_html_attr(CUT)} {KEEP} {n}."
            "</description></item>" for n in range(3)) + "</channel></rss>", encoding="utf-8")
    out["feed"] = feed
    wxr = tmp / "blog.xml"
    wxr.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><title>Blog</title>" + "".join(
            f"<item><title>Post {n} {XML_EVIL}</title><link>https://ex.example/{XML_EVIL}{n}</link>"
            "<dc:creator>ann</dc:creator><wp:post_date>2019-02-12 10:00:00</wp:post_date>"
            f"<content:encoded><![CDATA[<p>{BODY_WORDS}</p><p>{XML_EVIL} y \x9d8; {KEEP} {n}."
            "</p>]]></content:encoded><wp:post_type>post</wp:post_type>"
            "<wp:status>publish</wp:status>"
            f'<category domain="post_tag" nicename="t"><![CDATA[tag{XML_EVIL}]]></category></item>'
            for n in range(3)) + "</channel></rss>", encoding="utf-8")
    out["wxr"] = wxr
    wallabag = tmp / "wallabag.json"
    wallabag.write_text(json.dumps([
        {"id": n, "title": f"Saved {n} {EVIL}", "url": f"{URL}{n}", "is_archived": False,
         "is_starred": False, "created_at": "2019-02-12T10:00:00+0000",
         "content": f"<p>{BODY_WORDS}</p><p>{EVIL} z {CUT} {KEEP} {n}.</p>",
         "tags": [f"tag{EVIL}"], "domain_name": f"ex{EVIL}.example"}
        for n in range(3)]), encoding="utf-8")
    out["wallabag"] = wallabag
    raw_wxr = tmp / "blog-raw.xml"
    raw_wxr.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><title>Blog</title>" + "".join(
            f"<item><title><![CDATA[Post {n} {RAW_EVIL if n == 0 else ''}]]></title>"
            f"<link>https://ex.example/{n}</link><dc:creator>ann</dc:creator>"
            "<wp:post_date>2019-02-12 10:00:00</wp:post_date>"
            f"<content:encoded><![CDATA[<p>{BODY_WORDS}</p><p>{RAW_EVIL} y {CUT} {KEEP} {n}."
            "</p>]]></content:encoded><wp:post_type>post</wp:post_type>"
            "<wp:status>publish</wp:status>"
            f'<category domain="post_tag" nicename="t"><![CDATA[tag{RAW_EVIL if n == 0 else ""}]]>'
            "</category></item>" for n in range(3)) + "</channel></rss>", encoding="utf-8")
    out["wxr-raw"] = raw_wxr
    # (A file's first 4 KB holding many control characters is taken for a binary file.)
    raw_feed = tmp / "feed-raw.xml"
    raw_feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>' + "".join(
            f"<item><title>Item {n} {RAW_EVIL if n == 0 else ''}</title>"
            f"<link>https://ex.example/{n}</link><author>ann{RAW_EVIL if n == 1 else ''}</author>"
            f"<category>c{RAW_EVIL if n == 2 else ''}</category>"
            f"<description><![CDATA[<p>{BODY_WORDS * 8}</p><p>{RAW_EVIL} x {CUT} {KEEP} {n}.</p>]]>"
            "</description></item>" for n in range(3)) + "</channel></rss>", encoding="utf-8")
    out["feed-raw"] = raw_feed
    raw_page = tmp / "page-raw.html"
    raw_page.write_text(
        f"<html><head><title>Page {RAW_EVIL} title</title>"
        f'<meta name="author" content="Ann {RAW_EVIL}"></head><body><article>'
        f"<h1>Page title</h1><p>{BODY_WORDS}{BODY_WORDS}</p>"
        f"<p>Para {RAW_EVIL} and {CUT} {KEEP}.</p>"
        f"<p>{BODY_WORDS * 8}</p></article></body></html>", encoding="utf-8")
    out["html-raw"] = raw_page
    return out


@pytest.mark.parametrize("fmt", ["markdown", "tagpage", "html", "feed", "wxr", "wallabag",
                                 "wxr-raw", "feed-raw", "html-raw"])
def test_hostile_archive_stores_nothing_unsafe_and_loses_nothing(tmp_path: Path,
                                                                 fmt: str) -> None:
    path = archives(tmp_path)[fmt]
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([path])
        (file_report,) = report.files
        assert file_report.error is None, file_report.error
        articles = list(store.iter_articles())
    assert articles
    for article in articles:
        fields = [article.title, article.body, article.url or "", article.author or "",
                  article.source or "", *article.tags, *(p.path for p in article.provenance)]
        for value in fields:
            assert not needs_sanitizing(value), (fmt, value)
            assert "\x1b" not in value and "PWNED" not in value
        assert KEEP in article.body, (fmt, article.body)
        assert "[2J" not in article.body and "[31m" not in article.body, (fmt, article.body)
        assert article.url is None or article.url.isprintable()


FORBIDDEN = "\x00\x01\x08\x0b\x0c\x0e\x1a\x1f\ufffe"
"""Characters XML 1.0 forbids (ESC apart: it begins sequences, tested above)."""
ENCODINGS = ["utf-8", "utf-16", "cp1252", "shift_jis", "gb18030", "euc-kr", "iso-2022-jp"]


@given(st.text(st.sampled_from(FORBIDDEN + "ab <\t\n\r\u00e9\u00df\u30a2\u65e5\u672c"
                                            "\uac00\u2014\u00bd"), max_size=40),
       st.sampled_from(ENCODINGS))
@example("a\ufffe\u65e5", "gb18030")  # (which writes U+FFFE in four bytes of its own)
def test_forbidden_characters_go_and_every_other_character_stays(text: str, codec: str) -> None:
    from reader.archive.xmlsafe import xml_bytes

    text = "".join(c for c in text if c.encode(codec, "ignore"))  # (what it can write)
    if codec == "iso-2022-jp":
        text = text.replace("\x0e", "").replace("\x0f", "")  # (its own shift codes)
    data = f'<?xml version="1.0" encoding="{codec}"?><a>{text}</a>'.encode(codec)
    cleaned = xml_bytes(data)
    kept = "".join(c for c in text if c not in FORBIDDEN)
    assert cleaned.decode(codec) == f'<?xml version="1.0" encoding="{codec}"?><a>{kept}</a>'
    if kept == text:
        assert cleaned == data


def test_bytes_the_encoding_cannot_read_are_left_as_they_were() -> None:
    from reader.archive.xmlsafe import xml_bytes

    data = b"<a>caf\xc3\xa9 \xff\xfe\x01 stray bytes \xe2\x80 cut</a>"
    assert xml_bytes(data) == data.replace(b"\x01", b"")


@given(st.lists(st.sampled_from(["\x1b", "\x07", "\x9c", "\x9d", "[", "]", "\\", "P", "0", "2",
                                 ";", "m", "J", "<", ">", "&", "#", "x", "1b", "27;", '"', "'",
                                 "a", " ", "\n", "&#x1b;", "&#7;"]), max_size=40).map("".join))
@example("\x1b[<p>words</p>")
@example('<a title="\x1b]0;x" href="y\x07">')
@example("&#x1b;[2J&#27;]8;;https://a.example/?q=1&amp;b=2&#7;link")
def test_removing_escape_sequences_takes_no_markup(text: str) -> None:
    from reader.archive.xmlsafe import strip_forbidden

    cleaned = strip_forbidden(text)
    assert "\x1b" not in cleaned and "\x07" not in cleaned
    for markup in "<>\"'":
        assert cleaned.count(markup) == text.count(markup), markup
    assert len(cleaned) <= len(text)
