"""WordPress WXR exports: posts only, terms, both namespaces, bad XML, real exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.archive import parse_bytes
from reader.archive.wxr import clean_content
from tests.conftest import SHARED

WXR_DIR = SHARED / "samples" / "wxr"


def export(ns: str, items: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel><title>My Blog</title>
<wp:author><wp:author_login>ann</wp:author_login><wp:author_display_name>Ann Writer</wp:author_display_name></wp:author>
{items}
</channel></rss>""".encode()


def item(title: str, *, kind: str = "post", status: str = "publish", content: str = "<p>Body</p>",
         extra: str = "") -> str:
    return f"""<item><title>{title}</title><link>https://blog.example/{title}</link>
<dc:creator>ann</dc:creator><wp:post_date>2019-02-12 10:00:00</wp:post_date>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_type>{kind}</wp:post_type><wp:status>{status}</wp:status>{extra}</item>"""


@pytest.mark.parametrize("ns", ["http://wordpress.org/export/1.2/",
                                "https://wordpress.org/export/1.2/"])
def test_posts_only_in_both_namespaces(ns: str) -> None:
    data = export(ns, "".join([
        item("kept", extra='<category domain="post_tag" nicename="a"><![CDATA[Alpha]]></category>'
                           '<category domain="category" nicename="n"><![CDATA[News]]></category>'
                           '<category domain="post_format" nicename="f">Aside</category>'),
        item("draft", status="draft"), item("future", status="future"),
        item("page", kind="page"), item("file", kind="attachment", status="inherit"),
        item("menu", kind="nav_menu_item"),
    ]))
    parsed = parse_bytes(data, "blog.xml")
    (post,) = parsed.articles
    assert parsed.format == "wxr"
    assert post.title == "kept" and post.tags == ("Alpha", "News")
    assert post.date == "2019-02-12" and post.author == "Ann Writer"
    assert post.source == "My Blog" and post.url == "https://blog.example/kept"
    with_pages = parse_bytes(data, "blog.xml", pages=True)
    assert [a.title for a in with_pages.articles] == ["kept", "page"]


def test_pages_option_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reader.cli import main

    path = tmp_path / "blog.xml"
    path.write_bytes(export("https://wordpress.org/export/1.2/",
                            item("post one") + item("About me", kind="page")))
    db = str(tmp_path / "library.db")
    runner = CliRunner()
    assert "1 new" in runner.invoke(main, ["import", "--db", db, str(path)]).output
    result = runner.invoke(main, ["import", "--db", db, "--pages", str(path)])
    assert "1 new, 1 already present" in result.output
    titles = runner.invoke(main, ["export", "articles", "--db", db, "--format", "jsonl"]).output
    assert '"About me"' in titles
    preview = runner.invoke(main, ["import", "--preview", "--pages", str(path)]).output
    assert re.search(r"^  line \d+  2019-02-12  About me  — My Blog$", preview, re.MULTILINE)


def test_blocks_and_shortcodes_reduced() -> None:
    content = ('<!-- wp:paragraph --><p>Hello [gallery ids="1,2"] world</p><!-- /wp:paragraph -->'
               '[caption id="x" width="300"]<img src="https://i.example/a.jpg" alt="A"> '
               'A caption[/caption]')
    cleaned = clean_content(content)
    assert "wp:" not in cleaned and "[gallery" not in cleaned and "[caption" not in cleaned
    assert "A caption" in cleaned


def test_classic_posts_get_paragraphs() -> None:
    data = export("http://wordpress.org/export/1.2/",
                  item("classic", content="First para\nsame para\n\nSecond para"))
    (post,) = parse_bytes(data, "b.xml").articles
    assert post.body == "First para\\\nsame para\n\nSecond para"


def test_html_titles_unescaped() -> None:
    data = export("http://wordpress.org/export/1.2/",
                  item("<![CDATA[Media &amp; Text <em>x</em>]]>"))
    (post,) = parse_bytes(data, "b.xml").articles
    assert post.title == "Media & Text x"


def test_bad_items_named_by_line_good_ones_kept() -> None:
    good = item("good")
    bad = item("bad\x01control")
    data = export("http://wordpress.org/export/1.2/", good + "\n" + bad + "\n" + item("also"))
    parsed = parse_bytes(data, "b.xml")
    titles = [a.title for a in parsed.articles]
    # The bad item is read leniently (the control character dropped), and said so.
    assert titles == ["good", "badcontrol", "also"]
    (problem,) = parsed.problems
    assert "1 item read leniently at line 10" in problem


def test_broken_items_are_named_by_line() -> None:
    data = export(NS, item("good") + "\n<item><title>lost</title><item>\n</item>\n" + item("also"))
    parsed = parse_bytes(data, "b.xml")
    assert [a.title for a in parsed.articles] == ["good", "also"]
    (problem,) = parsed.problems
    assert problem.startswith("not well-formed XML") and "at line 10" in problem


def test_script_never_in_body() -> None:
    data = export("http://wordpress.org/export/1.2/",
                  item("s", content="<p>ok</p><script>steal()</script><style>x{}</style>"))
    (post,) = parse_bytes(data, "b.xml").articles
    assert post.body == "ok"


EXPECTED = json.loads((WXR_DIR / "EXPECTED.json").read_text())["files"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_exports(name: str) -> None:
    expected = EXPECTED[name]
    parsed = parse_bytes((WXR_DIR / name).read_bytes(), name)
    posts = list(parsed.articles)
    assert parsed.format == "wxr" and not parsed.problems
    assert len(posts) == expected["published_posts"]
    with_pages = list(parse_bytes((WXR_DIR / name).read_bytes(), name, pages=True).articles)
    assert len(with_pages) == len(posts) + expected["by_post_type_and_status"].get(
        "page/publish", 0)
    for post in posts:
        assert post.title and "<" not in post.title
        assert "<!-- /wp:paragraph -->" not in post.body and "<script" not in post.body
    assert len({t for p in posts for t in p.tags}) >= min(
        expected["distinct_item_terms_by_domain"].get("post_tag", 0), 1)


def test_real_title_with_markup() -> None:
    parsed = parse_bytes((WXR_DIR / "themeunittestdata.wordpress.xml").read_bytes(), "t")
    titles = {a.title for a in parsed.articles}
    assert "Markup: Title With Markup" in titles
    block = parse_bytes((WXR_DIR / "64-block-test-data.xml").read_bytes(), "b")
    assert "Media & Text" in {a.title for a in block.articles}


NS = "http://wordpress.org/export/1.2/"


def only_article(data: bytes):
    parsed = parse_bytes(data, "export.xml")
    articles = list(parsed.articles)
    return articles, parsed.problems


def test_a_nested_cdata_section_is_read_leniently() -> None:
    # A CDATA section holding `]]>` unescaped: not XML, but libxml2 recovers the post.
    data = export(NS, item("nested", content="Content with nested <![CDATA[ tags ]]> :)")
                  + item("second", content="<p>The second post.</p>"))
    articles, problems = only_article(data)
    assert [a.title for a in articles] == ["nested", "second"]
    assert "Content with nested" in articles[0].body
    assert articles[1].body == "The second post."
    assert problems and "read leniently" in problems[0]


def test_captions_keep_their_text_and_shortcodes_go() -> None:
    content = ('Intro.\n\n[caption id="attachment_7" align="aligncenter" width="640" '
               'caption="Husk of a grass tree [dried]."]<img src="https://img.example/h.jpg" '
               'alt="husk" width="640" />[/caption]\n\n[caption id="attachment_8" width="300"]'
               '<a href="https://img.example/f.jpg"><img src="https://img.example/f.jpg" alt="" />'
               '</a> A field at dawn[/caption]\n\n[gallery columns="3" ids="1,2,3"]\n\n'
               '[embed]https://video.example/watch?v=1[/embed]\n\n'
               '[audio https://audio.example/blues.mp3]\n\n'
               'Quoted [sic] and [contact-form-7 id="4" title="Contact [us]"] done.')
    (article,), _ = only_article(export(NS, item("captions", content=content)))
    assert "Husk of a grass tree [dried]." in article.body
    assert "A field at dawn" in article.body
    assert "https://video.example/watch?v=1" in article.body
    assert "<https://audio.example/blues.mp3>" in article.body
    assert "Quoted [sic] and  done." in article.body or "Quoted [sic] and done." in article.body
    assert not re.search(r"\[/?(?:caption|gallery|embed|audio|contact-form-7)\b", article.body)


def test_an_image_only_post_keeps_its_alt_text() -> None:
    content = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="A cat asleep on a keyboard" />'
    (article,), _ = only_article(export(NS, item("cat", content=content)))
    assert article.body == "A cat asleep on a keyboard"


def test_an_export_cut_short_inside_its_only_post_keeps_what_was_written() -> None:
    data = export(NS, item("whole")).split(b"<item>")[0] + (
        b"<item><title>Cut short</title><wp:post_type>post</wp:post_type>"
        b"<wp:status>publish</wp:status><content:encoded><![CDATA[<p>The first words.</p>")
    articles, problems = only_article(data)
    assert [a.title for a in articles] == ["Cut short"]
    assert problems and "read leniently" in problems[0]
