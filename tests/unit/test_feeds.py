"""RSS/Atom feeds: content, tags, dates, ill-formed and hostile feeds, real feeds."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import parse_bytes
from reader.cli import main
from reader.importer import Importer
from reader.store import Store
from tests.conftest import SHARED

FEEDS = SHARED / "samples" / "feeds"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example &amp; Co</title><link>https://ex.example/</link>
<item><title>First &#8217;post&#8217;</title><link>https://ex.example/1</link>
<pubDate>Tue, 12 Feb 2019 10:00:00 +0000</pubDate>
<category>Science</category><category>Rivers</category>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The <b>full</b> text, with <a href="/more">a link</a>.</p>
<script>alert(1)</script><p><a href="javascript:alert(1)">bad</a></p>]]></content:encoded>
</item>
<item><description>An entry without any title has one made from its first words.</description>
<pubDate>Wed, 13 Feb 2019 10:00:00 +0000</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Site</title>
<entry><title type="html">Atom &lt;em&gt;one&lt;/em&gt;</title>
<link href="https://a.example/one"/><updated>2020-05-06T07:08:09Z</updated>
<author><name>Ann</name></author><category term="tech"/>
<summary>summary only</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Atom body.</p></div></content>
</entry></feed>"""


def test_rss_entries() -> None:
    parsed = parse_bytes(RSS, "feed.xml")
    first, second = list(parsed.articles)
    assert parsed.format == "feed" and not parsed.problems
    assert first.title == "First ’post’"
    assert first.source == "Example & Co" and first.url == "https://ex.example/1"
    assert first.date == "2019-02-12" and first.tags == ("Science", "Rivers")
    assert "**full** text" in first.body and "[a link](https://ex.example/more)" in first.body
    assert "alert" not in first.body and "javascript" not in first.body
    assert "Short summary" not in first.body
    assert second.title.startswith("An entry without any title")


def test_atom_xml_base_resolves_links_and_hostile_markup_goes() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://b.example/blog/"><title>B</title>
<entry><title>Based</title><link href="https://b.example/blog/based"/>
<updated>2020-05-06T07:08:09Z</updated>
<content type="html">&lt;style&gt;p{color:red}&lt;/style&gt;&lt;p onclick="steal()"&gt;See
&lt;a href="notes/two"&gt;the notes&lt;/a&gt; and &lt;img src="pics/a.png" alt="a chart"&gt;
&lt;a href="data:text/html,x"&gt;data&lt;/a&gt; &lt;a href="vbscript:x"&gt;vb&lt;/a&gt;&lt;/p&gt;</content>
</entry></feed>"""
    (entry,) = parse_bytes(atom, "b.atom").articles
    assert "[the notes](https://b.example/blog/notes/two)" in entry.body
    assert "a chart" in entry.body and "https://b.example/blog/pics/a.png" in entry.body
    for hostile in ("color:red", "steal", "data:", "vbscript", "onclick"):
        assert hostile not in entry.body


def test_atom_prefers_content_over_summary() -> None:
    (entry,) = parse_bytes(ATOM, "x.atom").articles
    assert entry.title == "Atom one" and entry.author == "Ann"
    assert entry.body == "Atom body." and entry.date == "2020-05-06"
    assert entry.tags == ("tech",)


def test_truncated_feed_keeps_whole_entries_and_fails(tmp_path: Path) -> None:
    cut = RSS[: RSS.index(b"<item><description>") + 30]
    path = tmp_path / "cut.xml"
    path.write_bytes(cut)
    db = tmp_path / "lib.db"
    result = CliRunner().invoke(main, ["import", "--db", str(db), str(path)])
    assert result.exit_code == 1
    assert "cut short" in result.output
    with Store(db) as store:
        assert [store.article(i).title for i in store.article_ids()] == ["First ’post’"]


BILLION = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<rss version="2.0"><channel><title>x</title><item><title>&h;</title></item></channel></rss>"""
QUADRATIC = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "' + b"x" * 50000 + b'">]>'
             b"<rss><channel><item><title>" + b"&x;" * 50000 + b"</title></item></channel></rss>")
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
            b"<rss><channel><item><title>t</title><description>&secret;</description></item>"
            b"</channel></rss>")
DTD = (b'<?xml version="1.0"?><!DOCTYPE feed SYSTEM "http://evil.example/x.dtd">'
       b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title></entry></feed>')


@pytest.mark.parametrize("data", [BILLION, QUADRATIC, EXTERNAL, DTD],
                         ids=["billion-laughs", "quadratic", "external-entity", "dtd"])
def test_hostile_xml_refused_fast_nothing_written(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_bytes(data)
    with Store(tmp_path / "lib.db") as store:
        start = time.perf_counter()
        report = Importer(store).run([path])
        elapsed = time.perf_counter() - start
        (failed,) = report.failed
        assert "refused" in failed.error and "\n" not in failed.error
        assert store.article_ids() == []
    assert elapsed < 5  # generous: refusal happens before any parser runs


# -- real feeds ------------------------------------------------------------------

EXPECTED = json.loads((FEEDS / "EXPECTED.json").read_text()) if FEEDS.is_dir() else {"feeds": {}}


@pytest.mark.parametrize("name", sorted(EXPECTED["feeds"]))
def test_real_feed_counts(name: str) -> None:
    expected = EXPECTED["feeds"][name]
    path = FEEDS / name
    if name.endswith("rss_incomplete_cdata.xml"):
        # Cut inside its only item: nothing whole to keep, and the loss is said.
        parsed = parse_bytes(path.read_bytes(), name)
        assert list(parsed.articles) == [] and "cut short" in parsed.problems[0]
        return
    parsed = parse_bytes(path.read_bytes(), name)
    articles = list(parsed.articles)
    assert parsed.format == "feed"
    assert len(articles) == expected["entries"]
    if expected["first_entry_title"]:
        assert articles[0].title == " ".join(expected["first_entry_title"].split())
    assert all(a.title for a in articles)
    for article in articles:
        assert "<script" not in article.body and "<p>" not in article.body


def test_real_feeds_import_as_a_folder(fresh_store: Store) -> None:
    report = Importer(fresh_store).run([FEEDS])
    feeds = [f for f in report.files if f.format == "feed"]
    assert len(feeds) == 13
    assert sum(f.result.total for f in feeds) == sum(
        v["entries"] for v in EXPECTED["feeds"].values()) - 1
    assert "cut short" in next(f.error for f in feeds if f.path.name.startswith("rss_inc"))


def _one_feed(items: str, channel: str = "", atom: bool = False) -> list:  # type: ignore[type-arg]
    if atom:
        data = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/'
                f'Atom"><title>Moss Journal</title>{channel}{items}</feed>')
    else:
        data = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:media='
                '"http://search.yahoo.com/mrss/" xmlns:feedburner="http://rssnamespace.org/'
                'feedburner/ext/1.0"><channel><title>Harbour Daily</title><link>https://'
                f'harbour.example/</link>{channel}{items}</channel></rss>')
    return list(parse_bytes(data.encode(), "f.xml").articles)


def test_a_feed_quoting_the_wordpress_export_address_is_still_a_feed() -> None:
    # A post about leaving WordPress quotes its export namespace: the feed is a feed.
    post = ("<p>My old host's export said xmlns:wp=&quot;http://wordpress.org/export/1.2/"
            "&quot; at its top.</p>") * 3
    items = (f"<item><title>Leaving my old engine</title><link>https://h.example/1</link>"
             f"<description><![CDATA[{post}]]></description></item>"
             "<item><title>Second</title><link>https://h.example/2</link>"
             "<description>Hello.</description></item>")
    articles = _one_feed(items)
    assert [a.title for a in articles] == ["Leaving my old engine", "Second"]
    assert "wordpress.org/export" in articles[0].body


def test_an_image_caption_never_replaces_the_text() -> None:
    items = ('<item><title>New ferry</title><link>https://h.example/ferry</link><description>'
             '<![CDATA[<p>The island gets a new ferry.</p><p>It carries forty cars.</p>]]>'
             '</description><media:content url="https://h.example/f.jpg" medium="image">'
             '<media:description>The ferry at the pier.</media:description></media:content>'
             '</item>')
    (article,) = _one_feed(items)
    assert "forty cars" in article.body and "new ferry" in article.body


@pytest.mark.parametrize(("printed", "date"), [
    ("Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24"),
    ("mer, 16 nov 2022 00:38:15 +0100", "2022-11-16"),
    ("2019/06/03", "2019-06-03"),
    ("1559556000", "2019-06-03"),
    ("Fri, 09 Jan 2009 16:00:00 -0800", "2009-01-09"),  # the day printed, not the UTC day
    ("someday soon", None),
])
def test_dates_are_read_as_printed_in_any_language(printed: str, date: str | None) -> None:
    items = (f"<item><title>Farol</title><link>https://f.example/1</link>"
             f"<pubDate>{printed}</pubDate><description>O farol.</description></item>")
    (article,) = _one_feed(items)
    assert article.date == date


def test_feedburner_links_lead_to_the_original() -> None:
    items = ("<item><title>Owls</title><link>http://feedproxy.google.com/~r/owls/~3/x/owls"
             "</link><feedburner:origLink>https://owl.example/2025/owls</feedburner:origLink>"
             "<description>They hunt at dusk.</description></item>")
    assert [a.url for a in _one_feed(items)] == ["https://owl.example/2025/owls"]


@pytest.mark.parametrize(("written", "name"), [
    ("desk@kettle.example (Mara Vell)", "Mara Vell"),
    ("Mara Vell (desk@kettle.example)", "Mara Vell"),
    ("Mara Vell <desk@kettle.example>", "Mara Vell"),
    ("ivo@kettle.example", None),
    ("Mara Vell", "Mara Vell"),
])
def test_an_author_is_a_name_never_an_address(written: str, name: str | None) -> None:
    items = (f"<item><title>Kettles</title><link>https://k.example/1</link><author>"
             f"{html.escape(written)}</author><description>Round.</description></item>")
    assert [a.author for a in _one_feed(items)] == [name]


def test_atom_entries_inherit_the_feed_author_and_resolve_relative_links() -> None:
    channel = ('<link rel="self" href="https://moss.example/journal/feed.atom"/>'
               '<link href="/journal/"/><author><name>Lene Broch</name>'
               '<email>lene@moss.example</email></author>')
    items = ('<entry><title>North walls</title><id>urn:x:1</id><link href="2025/north"/>'
             '<updated>2025-03-04T09:00:00Z</updated><summary>Moss likes shade.</summary>'
             '</entry><entry><title>No link</title><id>tag:moss.example,2025:2</id>'
             '<updated>2025-03-05T09:00:00Z</updated><summary>None here.</summary></entry>')
    articles = _one_feed(items, channel, atom=True)
    assert [(a.author, a.url) for a in articles] == [
        ("Lene Broch", "https://moss.example/journal/2025/north"), ("Lene Broch", None)]


def test_blank_lines_before_the_declaration_are_no_problem() -> None:
    data = b"\n\n" + RSS
    parsed = parse_bytes(data, "f.xml")
    assert len(list(parsed.articles)) == 2 and parsed.problems == []


def test_a_json_feed_imports_as_a_feed() -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Teapot Diary",
            "authors": [{"name": "Ines Rook"}], "items": [
                {"id": "1", "url": "https://t.example/1", "title": "Warming the pot",
                 "content_html": "<p>Rinse it with <b>hot</b> water.</p>",
                 "date_published": "2025-03-04T09:00:00Z", "tags": ["tea"]},
                {"id": "2", "external_url": "https://elsewhere.example/x", "title": "Loose leaf",
                 "content_text": "Use a strainer.", "authors": [{"name": "Bo"}]}]}
    parsed = parse_bytes(json.dumps(feed).encode(), "feed.json")
    articles = list(parsed.articles)
    assert parsed.format == "jsonfeed"
    assert [(a.title, a.url, a.date, a.author, a.source, a.tags, a.body) for a in articles] == [
        ("Warming the pot", "https://t.example/1", "2025-03-04", "Ines Rook", "Teapot Diary",
         ("tea",), "Rinse it with **hot** water."),
        ("Loose leaf", "https://elsewhere.example/x", None, "Bo", "Teapot Diary", (),
         "Use a strainer.")]


FORBIDDEN = ["\x01", "\x00", "\x0b", "\x1f", "\x1b[31m", "\x1b]0;PWNED\x07", "\ufffe", "&#1;",
             "&#x1b;[2J"]
"""What XML 1.0 forbids, even in CDATA (C0 controls, escape sequences beginning with one,
U+FFFE, references to them): a feed holding one is read strictly all the same."""


@pytest.mark.parametrize("control", FORBIDDEN)
@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_control_characters_in_an_entry_lose_no_word(control: str, atom: bool) -> None:
    from reader.clean import needs_sanitizing

    content = (f"<![CDATA[<p>Before the mark{control} and after it, every "
               f"<b>word</b>.</p><p>And{control} a second paragraph.</p>]]>")
    if atom:
        items = (f"<entry><title>First{control} entry</title><link href='https://m.example/1'/>"
                 f"<content type='html'>{content}</content></entry>"
                 "<entry><title>Second</title><content type='html'>&lt;p&gt;Second &amp;amp; "
                 "last.&lt;/p&gt;</content></entry>")
    else:
        items = (f"<item><title>First{control} entry</title><link>https://h.example/1</link>"
                 f"<category>tag{control}</category><description>{content}</description></item>"
                 "<item><title>Second</title><description>&lt;p&gt;Second &amp;amp; last."
                 "&lt;/p&gt;</description></item>")
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + (
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Moss</title>{items}</feed>' if atom
        else f'<rss version="2.0"><channel><title>Harbour</title>{items}</channel></rss>'))
    parsed = parse_bytes(data.encode(), "f.xml")
    first, second = parsed.articles
    assert parsed.problems == []  # read strictly: no "ill-formed feed"
    assert first.title == "First entry"
    assert first.body == "Before the mark and after it, every **word**.\n\nAnd a second paragraph."
    assert first.tags == (() if atom else ("tag",))
    assert (second.title, second.body) == ("Second", "Second & last.")
    for value in (first.title, first.body, *first.tags):
        assert not needs_sanitizing(value) and "\ufffe" not in value and "PWNED" not in value
