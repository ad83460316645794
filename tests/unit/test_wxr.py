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
    bad = item("bad < stray")
    data = export("http://wordpress.org/export/1.2/", good + "\n" + bad + "\n" + item("also"))
    parsed = parse_bytes(data, "b.xml")
    titles = [a.title for a in parsed.articles]
    # The bad item is read leniently (the stray `<` dropped), and said so.
    assert titles == ["good", "bad stray", "also"]
    (problem,) = parsed.problems
    assert "1 item read leniently at line 10" in problem


CONTROLS = ["\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x00", "\x1b[31m", "\x1b[0m\x1b[2J",
            "\x1b]0;PWNED\x07", "\x1b]52;c;UFdORUQ=\x1b\\", "\x1bPq#0;2;0;0;0\x1b\\", "\ufffe",
            "&#1;", "&#x1B;[31m", "&#27;]0;PWNED&#7;"]
"""What XML 1.0 forbids, even in CDATA: C0 controls (alone and beginning terminal escape
sequences, whose tails must go with them), U+FFFE, and references to them."""


@pytest.mark.parametrize("control", CONTROLS)
def test_control_characters_in_a_post_lose_no_word(control: str) -> None:
    from reader.clean import needs_sanitizing

    first = item(f"Title{control} one", content=f"<p>Before the mark{control} and after it, "
                 f"every word.</p>\n\n<p>A second{control}paragraph.</p>",
                 extra=f'<category domain="post_tag" nicename="t"><![CDATA[tag{control}]]>'
                       "</category>")
    data = export(NS, item("before") + "\n" + first + "\n" + item("after", content="<p>Last.</p>"))
    articles, problems = only_article(data)
    assert problems == []  # nothing was lost: nothing to report
    assert [a.title for a in articles] == ["before", "Title one", "after"]
    post = articles[1]
    assert post.body == "Before the mark and after it, every word.\n\nA secondparagraph."
    assert post.tags == ("tag",)
    assert [articles[0].body, articles[2].body] == ["Body", "Last."]
    for value in (post.title, post.body, *post.tags):
        assert not needs_sanitizing(value) and "PWNED" not in value


def test_control_characters_beside_letters_of_any_encoding() -> None:
    content = "<p>Caf\u00e9\x01 cr\u00e8me \u00bd\x1b[1m br\u00fbl\u00e9e \u2014 \u65e5\x02\u672c</p>"
    utf8 = export(NS, item("t\u00e9", content=content))
    (post,), problems = only_article(utf8)
    assert post.body == "Café crème ½ brûlée — 日本" and not problems
    # The same export in UTF-16 and (without the dash and kanji) in Latin-1.
    wide = utf8.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    (post,), problems = only_article(wide)
    assert post.body == "Café crème ½ brûlée — 日本" and not problems
    latin = utf8.decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(
        " \u2014 \u65e5\x02\u672c", "").encode("latin-1")
    (post,), problems = only_article(latin)
    assert (post.title, post.body) == ("té", "Café crème ½ brûlée") and not problems


def test_a_control_character_before_the_root_element_hides_no_export() -> None:
    body = export(NS, item("kept")).split(b"?>", 1)[1]
    for prolog in (b'<?xml version="1.0"?>\x01', b'\x01<?xml version="1.0"?>',
                   b'\xef\xbb\xbf<?xml version="1.0"?>\n\x1b[0m'):
        parsed = parse_bytes(prolog + body, "b.xml")
        assert parsed.format == "wxr"
        assert [a.title for a in parsed.articles] == ["kept"] and not parsed.problems


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


def body_of(content: str) -> str:
    (article,), _ = only_article(export(NS, item("code", content=content)))
    return article.body


def test_a_classic_post_leaves_its_pre_block_as_written() -> None:
    # No <p> tags: paragraphs are added, but never inside the <pre>.
    content = ("Counting beans:\n\n<pre>\ndef count(rows):\n    total = 0\n\n"
               "    for row in rows:\n        total += len(row)\n\n\n    return total\n</pre>\n"
               "The end.\nSame paragraph.")
    assert body_of(content) == (
        "Counting beans:\n\n```\ndef count(rows):\n    total = 0\n\n    for row in rows:\n"
        "        total += len(row)\n\n\n    return total\n```\n\nThe end.\\\nSame paragraph.")


def test_a_pre_block_inside_a_line_of_prose_is_a_block_of_its_own() -> None:
    body = body_of("Run this: <pre lang=\"sh\">make\n\nmake install</pre> and wait.")
    assert "```sh\nmake\n\nmake install\n```" in body
    assert body.startswith("Run this:") and body.endswith("and wait.")


def test_a_pre_left_open_keeps_the_rest_of_the_post() -> None:
    body = body_of("Before.\n\n<pre>a = 1\n\nb = 2\n\nThe last words")
    assert body == "Before.\n\n```\na = 1\n\nb = 2\n\nThe last words\n```"


CODE = 'if (a_b &amp;&amp; c < 2) {\n    *x = "<b>#1</b>";\n\n\n    y_z = 1; // &amp;amp;\n}'
SHOWN = 'if (a_b && c < 2) {\n    *x = "<b>#1</b>";\n\n\n    y_z = 1; // &amp;\n}'


@pytest.mark.parametrize(("opening", "closing", "lang"), [
    ("[code]", "[/code]", ""),
    ('[code lang="python"]', "[/code]", "python"),
    ('[code language="bash"]', "[/code]", "bash"),
    ("[code lang=js highlight=\"2,3\"]", "[/code]", "js"),
    ("[sourcecode language='ruby']", "[/sourcecode]", "ruby"),
    ("[sourcecode]", "[/sourcecode]", ""),
    ('[bash light="true"]', "[/bash]", "bash"),
    ("[python]", "[/python]", "python"),
    ("[js]", "[/js]", "js"),
    ("[php]", "[/php]", "php"),
    ("[ruby]", "[/ruby]", "ruby"),
    ("[sql]", "[/sql]", "sql"),
    ("[xml]", "[/xml]", "xml"),
    ("[html]", "[/html]", "html"),
    ("[css]", "[/css]", "css"),
    ("[java]", "[/java]", "java"),
    ("[cpp]", "[/cpp]", "cpp"),
    ("[text]", "[/text]", ""),
    ("[plain]", "[/plain]", ""),
    ("[Python]", "[/python]", "python"),
])
def test_code_shortcodes_are_fenced_blocks_of_the_code_as_written(
        opening: str, closing: str, lang: str) -> None:
    for content in (f"Look:\n\n{opening}\n{CODE}\n{closing}\n\nDone_now.",
                    f"<p>Look:</p>\n<p>{opening}\n{CODE}\n{closing}</p>\n<p>Done_now.</p>"):
        assert body_of(content) == f"Look:\n\n```{lang}\n{SHOWN}\n```\n\nDone\\_now."


def test_code_on_the_shortcodes_own_line_and_markup_in_it() -> None:
    # HTML in the code is shown, not read; a <p> in it does not stop paragraphs in the prose.
    body = body_of('One\nline.\n\n[code lang="html"]<p>Hi</p>\n<script>x()</script>[/code]\n\n'
                   "Two\nlines.")
    assert body == ("One\\\nline.\n\n```html\n<p>Hi</p>\n<script>x()</script>\n```\n\n"
                    "Two\\\nlines.")


def test_shortcodes_inside_code_are_code_and_those_around_it_still_go() -> None:
    body = body_of('[gallery ids="1,2"]Intro [sic].\n\n[php]\n$a = "[gallery ids=\'3\']";\n'
                   "$b[0] = [caption]x[/caption];\n[/php]\n\n[contact-form-7 id=\"4\"]The end.")
    assert body == ("Intro [sic].\n\n```php\n$a = \"[gallery ids='3']\";\n"
                    "$b[0] = [caption]x[/caption];\n```\n\nThe end.")


def test_a_pre_around_a_code_shortcode_is_one_block() -> None:
    body = body_of('Text.\n\n<pre>[code lang="go"]\nfunc main() {}\n[/code]</pre>')
    assert body == "Text.\n\n```go\nfunc main() {}\n```"


def test_code_shortcodes_left_unclosed_lose_nothing() -> None:
    body = body_of('Start.\n\n[code lang="python"]\nx_y = 1\n\nPress [bash] then go.')
    assert body == "Start.\n\nx\\_y = 1\n\nPress [bash] then go."
    # The first closing tag ends a block (as WordPress pairs them).
    body = body_of("[js]\na();\n[js]\nb();\n[/js]\n\nAfter.")
    assert body == "```js\na();\n[js]\nb();\n```\n\nAfter."


def test_shortcodes_shown_rather_than_run_stay_text() -> None:
    body = body_of("Write [[code]x = 1[/code]] or <code>[php]echo 1;[/php]</code> in a post.")
    assert body == "Write [code]x = 1[/code] or `[php]echo 1;[/php]` in a post."
    assert "```" not in body_of("An empty [code /] and [python/] stay out.")


def test_hostile_code_stays_plain_text() -> None:
    from reader.archive.html_markdown import markdown_from_html

    # Straight through the cleaning (XML itself refuses an escape character).
    content = ('[code lang="x`\n\ny"]\nrm -rf /\x1b[31m ```\n[/code]\n\n'
               "<wxrheld 0></wxrheld>[gallery]stays prose.")
    body = markdown_from_html(clean_content(content))
    assert body == "````\nrm -rf / ```\n````\n\nstays prose."
    assert body_of('[code lang="x`\n\ny"]a b[/code]') == "```\na b\n```"
