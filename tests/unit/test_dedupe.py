"""Identity: one body under different titles or URLs is different articles; the same
article from two files is one."""

from __future__ import annotations

from pathlib import Path

from reader.importer import Importer
from reader.models import ParsedArticle, Provenance
from reader.store import Store

PLACEHOLDER = ("This is an example post, originally published as part of Blogging University. "
               "Enroll in one of our ten programs, and start your blog right. ") * 3


def wxr(posts: list[tuple[str, str]]) -> str:
    items = "".join(
        f"""<item><title>{title}</title><link>https://blog.example/{slug}</link>
<dc:creator>ann</dc:creator><wp:post_date>2019-02-1{n % 10} 10:00:00</wp:post_date>
<content:encoded><![CDATA[<p>{PLACEHOLDER}</p>]]></content:encoded>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>"""
        for n, (title, slug) in enumerate(posts))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>My Blog</title>{items}</channel></rss>"""


def rss(entries: int, body: str) -> str:
    items = "".join(
        f"<item><title>Episode {n}</title><link>https://pod.example/ep/{n}</link>"
        f"<description>{body}</description></item>" for n in range(entries))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Pod</title>{items}</channel></rss>'


def test_wordpress_placeholder_posts_are_seven_articles(tmp_path: Path) -> None:
    path = tmp_path / "blog.xml"
    path.write_text(wxr([(f"Post {n}", f"post-{n}") for n in range(7)]), encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([path])
        assert report.ok and report.new == 7
        assert store.count() == 7
        # Importing again adds nothing.
        again = Importer(store).run([path])
        assert (again.new, again.present, store.count()) == (0, 7, 7)


def test_same_title_different_urls_are_different(tmp_path: Path) -> None:
    path = tmp_path / "blog.xml"
    path.write_text(wxr([("Hello world!", f"hello-{n}") for n in range(3)]), encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        assert Importer(store).run([path]).new == 3


def test_feed_entries_sharing_a_body_are_all_kept(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(rss(20, "Listen to the episode on our site. " * 8), encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([path])
        assert report.new == 20 and store.count() == 20


def art(title: str, body: str, path: str, url: str | None = None) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, url=url,
                         provenance=Provenance(path, "tagpage", 1, 5))


def test_the_same_article_from_two_files_still_merges(fresh_store: Store) -> None:
    body = "A long enough body that identifies the article by itself. " * 6
    fresh_store.add_articles([art("River walks", body, "/dump.txt")])
    second = fresh_store.add_articles([art("River Walks – Lantern", body, "/feed.xml",
                                           url="https://l.example/walks")])
    third = fresh_store.add_articles([art("River walks", body, "/other.html",
                                          url="https://l.example/walks/")])
    assert (second.merged, third.merged) == (1, 1)
    assert fresh_store.count() == 1
    (article,) = fresh_store.iter_articles()
    assert len(article.provenance) == 3
    other = fresh_store.add_articles([art("River walks", body, "/x.html",
                                          url="https://elsewhere.example/walks")])
    renamed = fresh_store.add_articles([art("Canal walks", body, "/y.txt")])
    assert (other.new, renamed.new, fresh_store.count()) == (1, 1, 3)


def test_editing_one_of_the_placeholder_posts_updates_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "blog.xml"
    posts = [(f"Post {n}", f"post-{n}") for n in range(4)]
    path.write_text(wxr(posts), encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        assert Importer(store).run([path]).new == 4
        edited = wxr(posts).replace(f"{PLACEHOLDER}</p>]]></content:encoded>\n<wp:post_type>",
                                    "Rewritten at last, in words of its own.</p>]]>"
                                    "</content:encoded>\n<wp:post_type>", 1)
        path.write_text(edited, encoding="utf-8")
        again = Importer(store).run([path])
        assert (again.updated, again.present, store.count()) == (1, 3, 4)
        path.write_text(wxr(posts), encoding="utf-8")  # and back to the placeholder
        back = Importer(store).run([path])
        assert back.ok and (back.updated, back.present, store.count()) == (1, 3, 4)


def test_deleting_one_of_the_placeholder_posts_keeps_it_deleted_alone(tmp_path: Path) -> None:
    path = tmp_path / "blog.xml"
    path.write_text(wxr([(f"Post {n}", f"post-{n}") for n in range(4)]), encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        assert Importer(store).run([path]).new == 4
        for gone_title in ("Post 0", "Post 2"):  # the first stored, and a later one
            (gone,) = [a for a in store.iter_articles() if a.title == gone_title]
            store.delete_articles([gone.id])
        again = Importer(store).run([path])
        assert (again.new, again.deleted, store.count()) == (0, 2, 2)
        assert sorted(a.title for a in store.iter_articles()) == ["Post 1", "Post 3"]
