"""A listing dump's split never drops text silently: running text no article holds, and
a post with a title and no text, are said in the import's report, one line each (file,
line, what and why); page chrome and template lines are left out without a word; no
article changes for being reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import parse_bytes
from reader.cli import main
from reader.importer import Importer
from reader.store import Store
from tests.listings import STYLES, page

UPDATE = ("Update: the bridge reopened on Friday and the walk is possible again from the "
          "mill side.")


def walks(posts: int = 6, after: dict[int, list[str]] | None = None,
          empty: tuple[int, ...] = (), tail: list[str] | None = None,
          head: tuple[str, ...] = ()) -> str:
    """A tag page of walks: title, date, body, a footer closing each post; `after[n]`:
    lines printed after post n's footer; `empty`: posts printed without text; `head`:
    lines printed between each title and its date."""
    after = after or {}
    out = ["Lantern Notes", "", "Posts Tagged ‘walks’", ""]
    for n in range(1, posts + 1):
        out += [f"Walk number {n} along the river", "", *head,
                f"Posted on {n % 28 + 1} March 2019 by marta", ""]
        if n not in empty:
            out += [f"The path past the mill was quiet on walk {n}, and the light was low.",
                    f"We counted {n} herons before the bridge.", ""]
        out += ["Posted in Walks | Tagged river, walks | Leave a comment", ""]
        out += after.get(n, [])
        out += [""]
    out += tail or []
    return "\n".join(out) + "\n"


def split(text: str, name: str = "walks.txt") -> tuple[list[tuple[str, str, str | None]],
                                                        list[str]]:
    parsed = parse_bytes(text.encode(), name)
    articles = [(a.title, a.body, a.date) for a in parsed.articles]
    return articles, parsed.problems


def line_of(text: str, wanted: str) -> int:
    return text.split("\n").index(wanted) + 1


def test_text_after_a_footer_is_reported_with_its_line_and_articles_are_unchanged() -> None:
    plain = split(walks())
    text = walks(after={3: [UPDATE, ""]})
    articles, problems = split(text)
    assert articles == plain[0] and plain[1] == []
    (problem,) = problems
    assert problem.startswith(f"line {line_of(text, UPDATE)}: a paragraph between two posts")
    assert "“Walk number 3 along the river”" in problem and "not imported" in problem
    assert "“Update: the bridge reopened" in problem and "\n" not in problem


def test_several_paragraphs_in_one_gap_are_one_line_and_each_gap_its_own() -> None:
    more = "A second paragraph follows it, long enough to read as running text of a post."
    text = walks(after={2: [UPDATE, "", more, ""], 5: [more, ""]})
    articles, problems = split(text)
    assert articles == split(walks())[0]
    first, second = problems
    assert first.startswith(f"lines {line_of(text, UPDATE)}-{line_of(text, more)}: "
                            "2 paragraphs between two posts")
    assert second.startswith("line ") and "“Walk number 5 along the river”" in second


def test_text_after_the_last_posts_footer_is_reported_up_to_the_page_chrome() -> None:
    sidebar = ["Walk number 2 along the river", "", "A sidebar excerpt under a title it "
               "repeats, long enough to read as running text, is chrome."]
    text = walks(after={6: [UPDATE, ""]}, tail=sidebar)
    articles, problems = split(text)
    assert articles == split(walks())[0]
    title = line_of(text, "Walk number 6 along the river")
    assert problems == [f"line {line_of(text, UPDATE)}: a paragraph after the last post, after "
                        f"“Walk number 6 along the river” (line {title}), not imported: "
                        "“Update: the bridge reopened on Friday and the walk is possi…”"]


def test_a_post_with_a_title_and_no_text_is_reported_not_dropped_silently() -> None:
    text = walks(empty=(6,))
    articles, problems = split(text)
    assert [a[0] for a in articles] == [f"Walk number {n} along the river" for n in range(1, 6)]
    assert problems == [f"line {line_of(text, 'Walk number 6 along the river')}: the title "
                        "“Walk number 6 along the river” has no text under it; not imported"]


def walks_titled(titles: list[str], head: tuple[str, ...] = ()) -> str:
    """`walks`, its posts titled `titles`."""
    text = walks(len(titles), head=head)
    for n, title in enumerate(titles, 1):
        text = text.replace(f"Walk number {n} along the river\n", title + "\n", 1)
    return text


def test_a_title_shaped_like_meta_inside_a_merged_body_is_reported() -> None:
    # Where the posts place their titles in no one slot (two right over their date,
    # two over a meta line over it) and no footer closes them, a post titled like a
    # meta line is not seen as a post: its text joins the post above, and its title,
    # dropped there as meta, is said. (Where most titles share a slot, the post is
    # seen: tests/unit/test_meta_titles.py.)
    meta_title = "Tags of the City: Graffiti Along the Canal"
    titles = [f"Walk number {n} along the river" for n in range(1, 6)]
    titles[2] = meta_title
    out = ["Lantern Notes", "", "Posts Tagged ‘walks’", ""]
    for n, title in enumerate(titles, 1):
        out += [title, "", *(["Filed under Walks", ""] if n > 3 else []),
                f"Posted on {n + 1} March 2019 by marta", "",
                f"The path past the mill was quiet on walk {n}, and the light was low.",
                f"We counted {n} herons before the bridge.", "", ""]
    text = "\n".join(out) + "\n"
    articles, problems = split(text)
    assert [a[0] for a in articles] == [t for t in titles if t != meta_title]
    assert "walk 3" in articles[1][1] and meta_title not in articles[1][1]
    assert problems == [f"line {line_of(text, meta_title)}: “{meta_title}”, the title of a post "
                        "inside the post “Walk number 2 along the river” "
                        f"(line {line_of(text, titles[1])}), read as a meta line; not imported"]


def test_a_digests_first_item_without_text_is_reported() -> None:
    titles = ["Watch: the Storm Reaches the Harbour", "Late Trains Return to the Coast Line",
              "Harbour Lights Go Dark for a Night", "The Quiet Valley Gets a School"]
    items = [f"{t}\n\n{t}\n\n" + ("" if i == 0 else
             f"The first paragraph of item {i} tells what happened there today.\n\n")
             + "Read More\n\n\n" for i, t in enumerate(titles)]
    articles, problems = split("".join(items), "digest.txt")
    assert [a[0] for a in articles] == titles[1:]
    assert problems == ["line 1: the title “Watch: the Storm Reaches the Harbour” has no text "
                        "under it; not imported"]


def test_a_dump_of_titles_without_text_is_still_one_article_and_reports_nothing() -> None:
    parsed = parse_bytes(walks(empty=(1, 2, 3, 4, 5, 6)).encode(), "walks.txt")
    (article,) = list(parsed.articles)
    assert parsed.problems == [] and "Walk number 6 along the river" in article.body


def test_page_chrome_and_template_lines_are_not_reported() -> None:
    tail = ["« Prev Next »", "", "Recent Posts", "", "A sidebar paragraph about the site, long "
            "enough to read as running text, is still page chrome here.", "",
            "Walk number 1 along the river", "Walk number 2 along the river"]
    sponsored = ["SPONSORED", "", "Keep your boots dry on every walk. Try the wax free for 30 "
                 "days, and then decide for yourself.", ""]
    pager = ["« Older posts", "", "Posts Tagged ‘walks’", "", "A description of the blog printed "
             "on every page of it, long enough to read as running text.", ""]
    text = walks(after={2: sponsored, 4: pager}, tail=tail)
    articles, problems = split(text)
    assert problems == []
    assert [a[0] for a in articles] == [f"Walk number {n} along the river" for n in range(1, 7)]


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
def test_no_style_of_listing_reports_a_loss(style) -> None:
    # Every record of these pages lands in an article and the rest is chrome: a
    # report here would be a false alarm.
    for seed in range(3):
        generated = page(style, seed)
        parsed = parse_bytes(generated.text.encode(), "page.txt")
        assert len(list(parsed.articles)) == len(generated.articles)
        assert parsed.problems == [], (style.name, seed, parsed.problems)


def test_import_prints_each_loss_on_its_own_line_and_the_summary_counts_it(
        tmp_path: Path) -> None:
    dump = tmp_path / "walks.txt"
    dump.write_text(walks(after={3: [UPDATE, ""]}, empty=(6,)), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(dump), "--db", str(tmp_path / "l.db")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    errors = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert len(errors) == 2 and all(x.startswith(f"error: {dump}: line ") for x in errors)
    assert "5 new" in result.output and "1 imported with losses (listed above)" in result.output
    preview = CliRunner().invoke(main, ["import", "--preview", str(dump)],
                                 catch_exceptions=False)
    assert [x for x in preview.output.splitlines() if x.startswith("error:")] == errors


def test_losses_cross_the_parsing_processes(tmp_path: Path) -> None:
    # Several files: parsed in a pool of processes, each file's losses in its report.
    clean, lossy = tmp_path / "a.txt", tmp_path / "b.txt"
    clean.write_text(walks(), encoding="utf-8")
    lossy.write_text(walks(after={3: [UPDATE, ""]}), encoding="utf-8")
    with Store(tmp_path / "lib.db") as store:
        report = Importer(store).run([clean, lossy, clean], processes=2)
    assert [len(f.problems) for f in report.files] == [0, 1, 0]
    assert [f.path.name for f in report.partial] == ["b.txt"]


def test_a_dump_cut_in_parts_reports_what_one_process_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, joined_parts: list[int]) -> None:
    import reader.importer.parts as parts
    import reader.importer.pool as pool

    posts = 2400
    dump = tmp_path / "walks.txt"
    dump.write_text(walks(posts, after={n: [UPDATE, ""] for n in range(5, posts, 400)}),
                    encoding="utf-8")
    reports = []
    for processes in (1, 2):
        if processes == 2:
            monkeypatch.setattr(pool, "PARALLEL_BYTES", 1000)
            monkeypatch.setattr(parts, "CHUNK_BYTES", 1000)
        with Store(tmp_path / f"{processes}.db") as store:
            (file_report,) = Importer(store).run([dump], processes=processes).files
            reports.append((file_report.result.new, file_report.problems))
    assert joined_parts == [2] and reports[0] == reports[1]
    assert reports[0][0] == posts and len(reports[0][1]) == len(range(5, posts, 400))


def test_past_a_hundred_places_one_line_counts_the_rest() -> None:
    _, problems = split(walks(130, after={n: [UPDATE, ""] for n in range(1, 130)}))
    assert len(problems) == 101 and all(p.startswith("line ") for p in problems[:100])
    assert problems[-1] == "29 more places with text not imported (only the first 100 are listed)"
