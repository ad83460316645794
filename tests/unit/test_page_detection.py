"""Pages and feeds told by their content: XHTML, pages with a preamble, wide encodings, gzip."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from reader.archive import ArchiveError, detect_bytes, parse_bytes, parse_file
from reader.archive.decoding import narrow, wide_encoding
from reader.importer import Importer
from reader.store import Store

WORDS = "A sentence of the saved article that carries on for a while. " * 12
PAGE = ("<html><head><title>The saved article</title></head><body><article>"
        f"<h1>The saved article</h1><p>{WORDS}</p></article></body></html>")


def only(data: bytes, name: str = "page"):
    parsed = parse_bytes(data, name)
    articles = list(parsed.articles)
    assert len(articles) == 1
    return parsed.format, articles[0]


def test_xhtml_with_an_xml_declaration_is_a_page() -> None:
    page = ('<?xml version="1.0" encoding="Shift_JIS"?>\n'
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ja"><head>'
            '<title>日本語の記事</title></head><body><h1>日本語の記事</h1>'
            f'<p>{"これは保存された記事の本文です。" * 20}</p></body></html>')
    fmt, article = only(page.encode("shift_jis"))
    assert fmt == "html"
    assert article.title == "日本語の記事"
    assert "保存された記事の本文" in article.body and "<" not in article.body


def test_xhtml_with_a_stylesheet_instruction_and_comment() -> None:
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet href="a.css"?>\n'
            '<!-- saved -->\n' + PAGE.replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">'))
    assert detect_bytes(page.encode()) == "html"


@pytest.mark.parametrize("preamble", [
    "<style>body { color: #333 }</style>\n",
    "<script>var analytics = 1;</script>\n",
    "<link rel='stylesheet' href='x.css'>\n",
    "<br />\n<b>Deprecated</b>:  Function split() is deprecated in <b>/srv/www/lib.php</b> "
    "on line <b>40</b><br />\n<!DOCTYPE html>\n",
    "Warning: session_start(): Cannot send session cookie in /srv/www/index.php on line 3\n"
    "Notice: Undefined index: q in /srv/www/index.php on line 9\n\n",
])
def test_pages_with_a_preamble_are_pages(preamble: str) -> None:
    fmt, article = only((preamble + PAGE).encode())
    assert fmt == "html"
    assert article.title == "The saved article"
    assert "<" not in article.body and "carries on for a while" in article.body


@pytest.mark.parametrize("text", [
    "# Notes on HTML\n\nA page starts like this:\n\n```html\n<html>\n<body>\n```\n",
    '<p align="center"><img src="logo.png"></p>\n\n# A project\n\nIt does things.\n',
    "Quoting a tag inline: <html> is the root and <body> holds the page.\n",
])
def test_text_mentioning_tags_stays_text(text: str) -> None:
    assert detect_bytes(text.encode()) is None


def test_a_redirect_stub_is_a_saved_link() -> None:
    fmt, article = only(b'<meta http-equiv="Refresh" content="0; URL=https://example.org/new/">'
                        b"\n<title>Moved</title>\n")
    assert fmt == "html" and article.stub
    assert article.url == "https://example.org/new/" and article.title == "Moved"


def test_a_redirect_to_a_script_url_is_still_an_error() -> None:
    with pytest.raises(ArchiveError, match="no article text"):
        list(parse_bytes(b'<meta http-equiv="refresh" content="0; url=javascript:alert(1)">',
                         "x").articles)


FEED = ('<?xml version="1.0" encoding="{label}"?>\n<rss version="2.0"><channel>'
        "<title>Wide feed</title><item><title>Café entry</title>"
        "<link>https://example.org/1</link><description>Body of the café entry, "
        "€5.</description></item></channel></rss>")


@pytest.mark.parametrize(("label", "codec", "bom"), [
    ("UTF-16", "utf-16-le", b"\xff\xfe"),
    ("UTF-16", "utf-16-le", b""),
    ("utf-16be", "utf-16-be", b""),
    ("UTF-16", "utf-16-be", b"\xfe\xff"),
    ("UTF-32", "utf-32-le", b""),
    ("UTF-32", "utf-32-le", b"\xff\xfe\x00\x00"),
    ("UTF-32BE", "utf-32-be", b""),
])
def test_wide_feeds_are_feeds(tmp_path: Path, label: str, codec: str, bom: bytes) -> None:
    data = bom + FEED.format(label=label).encode(codec)
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    parsed = parse_file(path)
    assert parsed.format == "feed"
    (article,) = list(parsed.articles)
    assert article.title == "Café entry"
    assert article.body == "Body of the café entry, €5."


def test_narrow_rewrites_the_declaration_and_leaves_utf8_alone() -> None:
    data = FEED.format(label="utf-16").encode("utf-16-le")
    assert wide_encoding(data) == ("utf-16-le", 0)
    assert narrow(data).startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    plain = FEED.format(label="utf-8").encode()
    assert narrow(plain) is plain


def test_wide_text_without_a_mark_is_text(tmp_path: Path, fresh_store: Store) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("A note\n\nWritten in UTF-32, with no mark.\n".encode("utf-32-le"))
    report = Importer(fresh_store).run([path])
    assert report.ok and report.files[0].format == "text"
    article = fresh_store.article(fresh_store.article_ids()[0])
    assert article is not None and article.body == "Written in UTF-32, with no mark."


def test_gzipped_pages_import_from_folders(tmp_path: Path, fresh_store: Store) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "article.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (folder / "backup.tar.gz").write_bytes(gzip.compress(b"not a page"))
    report = Importer(fresh_store).run([folder])
    assert [f.format for f in report.files if not f.skipped] == ["html"]
    assert [f.path.name for f in report.skipped] == ["backup.tar.gz"]
    article = fresh_store.article(fresh_store.article_ids()[0])
    assert article is not None and article.title == "The saved article"


def test_a_damaged_gzip_file_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(PAGE.encode())[:40])
    with pytest.raises(ArchiveError, match="gzip"):
        list(parse_file(path).articles)


def test_an_indented_code_sample_in_markdown_is_not_a_page() -> None:
    text = b"How a page starts:\n\n    <html>\n    <head><title>x</title></head>\n    <body>\n"
    assert detect_bytes(text) is None


@pytest.mark.parametrize("text", [
    '<p align="center"><img src="logo.png"></p>\n\n# Feeds\n\nA feed looks like:\n\n'
    '```xml\n<rss version="2.0"><channel><item><title>x</title></item></channel></rss>\n```\n',
    "<!-- generated -->\n# Exporting WordPress\n\nThe file names http://wordpress.org/export/1.2/ "
    "in its `<rss>` element.\n",
])
def test_markdown_showing_a_feed_is_not_a_feed(text: str) -> None:
    assert detect_bytes(text.encode()) is None


@pytest.mark.parametrize("head", [
    b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="s.xsl"?>\n<rss version="2.0">',
    b'<!-- feed -->\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91">',
    b'<br />\n<b>Warning</b>:  date(): timezone in <b>/srv/feed.php</b><br />\n'
    b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
    b'\xef\xbb\xbf<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
])
def test_feeds_are_told_by_their_root(head: bytes) -> None:
    assert detect_bytes(head + b"<title>t</title>") == "feed"


def test_an_outline_with_a_head_element_is_not_a_page() -> None:
    opml = (b'<?xml version="1.0"?>\n<opml version="2.0"><head><title>Subscriptions</title>'
            b'</head><body><outline text="A feed" xmlUrl="https://x.example/feed"/></body></opml>')
    assert detect_bytes(opml) is None
