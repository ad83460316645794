"""The search index beside the library: derived, caught up, rebuilt; relaxed queries,
snippets from the plain text, related articles, and anything typed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import index
from reader.cli import main
from reader.index import index_path
from reader.models import ParsedArticle, Provenance
from reader.store import Store
from tests.conftest import damage_index_files


def art(title: str, body: str, n: int, **kw: object) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, provenance=Provenance("/x.txt", "text", n, n + 1),
                         **kw)  # type: ignore[arg-type]


FILLER = [art(f"Filler {i}", f"Weather and tea on day {i}, nothing else.", 100 + i)
          for i in range(20)]
ARTICLES = [
    art("Aeroelastic models", "Similarity laws for aeroelastic models of heated aircraft at "
        "high speed: the models must obey scaling.", 1, date="2020-01-01"),
    art("Heated wings", "Wings heated by friction at high speed change shape.", 2,
        date="2019-01-01"),
    art("Bird flight", "Birds fly at low speed and glide.", 3, date="2018-01-01"),
    art("Linked", "A [report on kettles](https://example.org/teapot/zanzibar.html) and "
        "![a picture](https://img.example/quokka.png) with **bold** and `code`. "
        "The kettle boils.", 4, date="2017-01-01"),
]


@pytest.fixture
def library(fresh_store: Store) -> Store:
    fresh_store.add_articles([*FILLER, *ARTICLES])
    return fresh_store


def titles(store: Store, query: str, **kw: object) -> list[str]:
    return [h.title for h in store.search(query, **kw)]  # type: ignore[arg-type]


# -- what a person types -------------------------------------------------------

def test_a_pasted_question_finds_articles_with_most_of_its_words(library: Store) -> None:
    found = titles(library, "what similarity laws must be obeyed when constructing aeroelastic "
                            "models of heated high speed aircraft")
    assert found[0] == "Aeroelastic models"
    assert "Heated wings" in found
    assert library.search_count("what laws must be obeyed for heated aircraft") >= 2


def test_all_the_words_first_then_some_of_them(library: Store) -> None:
    # Both words: one article; then the articles with one of them.
    found = titles(library, "heated speed")
    assert set(found[:2]) == {"Aeroelastic models", "Heated wings"}
    assert "Bird flight" in found[2:]
    assert library.search_count("heated speed") == 3


def test_a_word_written_twice_weighs_twice(fresh_store: Store) -> None:
    # Two articles alike but for one word each: the word the query repeats ranks
    # its article first, whichever it is, in a short query and in a sentence.
    fresh_store.add_articles([
        *FILLER,
        art("Notes one", "The kettle sits on the cold stove by the door.", 1, date="2020-01-01"),
        art("Notes two", "The teapot sits on the cold stove by the door.", 2, date="2020-01-01"),
    ])
    assert titles(fresh_store, "kettle kettle teapot")[:2] == ["Notes one", "Notes two"]
    assert titles(fresh_store, "teapot kettle teapot")[:2] == ["Notes two", "Notes one"]
    sentence = "which kettle, a copper kettle or a steel one, or which teapot is best for tea"
    assert titles(fresh_store, sentence)[:2] == ["Notes one", "Notes two"]


def test_stopwords_never_block_and_alone_still_search(library: Store) -> None:
    assert titles(library, "the birds of the air")[0] == "Bird flight"
    assert library.search("the of and") != []  # only function words: they are the words


def test_words_in_link_and_image_addresses_are_not_hits(library: Store) -> None:
    assert library.search("zanzibar") == []
    assert library.search("quokka") == []
    (hit,) = library.search("kettle")
    assert "http" not in hit.snippet and "**" not in hit.snippet and "](" not in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.snippet_hits] == ["kettles", "kettle"]
    assert hit.hit_count == 2
    assert "report on kettles" in hit.snippet


def test_snippets_are_sized_and_centred_on_the_best_passage() -> None:
    store = Store(memory=True)
    body = ("Filler words only here. " * 40 + "The harbour wall and the sea level rise. "
            + "More filler text follows on. " * 40 + "A lone harbour.")
    store.add_articles([*FILLER, art("Coast", body, 1)])
    (hit,) = store.search("harbour sea", width=60)
    assert len(hit.snippet) <= 62
    marked = [hit.snippet[s:e] for s, e in hit.snippet_hits]
    assert marked == ["harbour", "sea"]
    assert hit.hit_count == 3
    assert hit.score > 0


def test_the_last_word_completes_only_when_asked(library: Store) -> None:
    assert library.search("aeroel") == []
    assert titles(library, "aeroel", live=True) == ["Aeroelastic models"]
    runner = CliRunner()
    # Same results from the command line as in the interface, asked the same way.
    assert library.search("aeroel", live=True)[0].title == "Aeroelastic models"
    result = runner.invoke(main, ["search", "--help"])
    assert "--complete" in result.output


# -- related --------------------------------------------------------------------

def test_related_lists_the_most_alike_not_the_article_itself(library: Store) -> None:
    aero = library.search("aeroelastic")[0].id
    related = library.related(aero, limit=5)
    assert related and related[0].title == "Heated wings"
    assert aero not in [h.id for h in related]
    assert library.related(10**9) == []


def test_related_and_reindex_on_the_command_line(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add_articles([*FILLER, *ARTICLES])
        aero = store.search("aeroelastic")[0].id
    runner = CliRunner()
    result = runner.invoke(main, ["related", str(aero), "--db", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["title"] == "Heated wings" and rows[0]["score"] > 0
    result = runner.invoke(main, ["related", "99999", "--db", str(db_path)])
    assert result.exit_code == 1 and "no article 99999" in result.output
    result = runner.invoke(main, ["reindex", "--db", str(db_path)])
    assert result.exit_code == 0 and "24 articles" in result.output


# -- the index follows the library -----------------------------------------------

def test_changes_are_searchable_at_once(library: Store) -> None:
    bird = library.search("birds")[0].id
    library.set_starred(bird)
    assert titles(library, "speed is:starred") == ["Bird flight"]
    library.set_tags(bird, ["nature"])
    assert titles(library, "tag:nature") == ["Bird flight"]
    assert titles(library, "speed", tag="nature") == ["Bird flight"]
    library.conn.execute("DELETE FROM articles WHERE id = ?", (bird,))
    assert library.search("birds") == []


def test_a_changed_article_is_replaced_in_the_index_and_a_new_one_added(
        library: Store) -> None:
    # Catching up deletes an article's document first only when the index may hold
    # one (its id at most the highest indexed): the rest are new, and added.
    def documents() -> int:
        return int(library.search_index.searcher(library.conn).num_docs) - 1

    bird = library.search("birds")[0].id
    assert documents() == library.count()
    library.set_starred(bird)
    library.set_tags(bird, ["nature"])
    with library.transaction() as conn:
        conn.execute("UPDATE articles SET title = 'Swift flight' WHERE id = ?", (bird,))
    library.add_articles([art("Later bird", "Martins nest under roofs.", 500)])
    assert titles(library, "swift") == ["Swift flight"]
    assert titles(library, "martins") == ["Later bird"]
    assert titles(library, "title:bird") == ["Later bird"]  # not the old title
    assert documents() == library.count()


def test_a_missing_index_is_built_and_a_damaged_one_rebuilt(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add_articles([*FILLER, *ARTICLES])
        assert titles(store, "kettle") == ["Linked"]
    folder = index_path(db_path)
    assert folder.is_dir()
    # Damaged: every file of the index overwritten.
    damage_index_files(folder, b"\x00garbage")
    with Store(db_path) as store:
        assert titles(store, "kettle") == ["Linked"]
        assert any("Rebuilding the search index" in m for m in store.search_notices)
    # Missing, after the change log was pruned: rebuilt with a message.
    with Store(db_path) as store:
        store.search("kettle")
        store.search_index.prune(store.conn)
        assert store.conn.execute("SELECT count(*) FROM search_log").fetchone()[0] == 0
    import shutil

    shutil.rmtree(folder)
    with Store(db_path) as store:
        assert titles(store, "kettle") == ["Linked"]
        assert store.search_notices and "missing" in store.search_notices[0]


def test_an_index_of_another_version_is_rebuilt(db_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(db_path) as store:
        store.add_articles([*FILLER, *ARTICLES])
        store.search("kettle")
    monkeypatch.setattr(index, "INDEX_VERSION", index.INDEX_VERSION + 1)
    with Store(db_path) as store:
        assert titles(store, "kettle") == ["Linked"]
        assert "another version" in store.search_notices[0]


def test_an_index_that_cannot_be_written_is_kept_in_memory(db_path: Path) -> None:
    index_path(db_path).write_text("not a folder")
    with Store(db_path) as store:
        store.add_articles([*FILLER, *ARTICLES])
        assert titles(store, "kettle") == ["Linked"]


def test_an_index_behind_the_library_catches_up_from_the_log(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add_articles(FILLER)
        store.search("weather")  # the index is made, then left behind:
        store.add_articles(ARTICLES)
        store.set_starred(store.article_ids()[0])
    with Store(db_path) as store:
        assert titles(store, "kettle") == ["Linked"]
        assert store.search_count("is:starred") == 1
        searcher = store.search_index.searcher(store.conn)
        assert searcher.num_docs - 1 == store.count()


def _write_dump(folder: Path, files: int, per_file: int) -> None:
    for f in range(files):
        lines = []
        for i in range(per_file):
            lines += [f"Article {f} {i} about kettles", "", "January 2, 2019", "",
                      f"Body of article {f}-{i}: kettles, tea and harbour walls number {i}.", "",
                      "Read More", ""]
        (folder / f"dump{f:02d}.txt").write_text("\n".join(lines), encoding="utf-8")


def _articles(db: Path) -> int:
    """How many articles a library being written holds so far (0 while it is made)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_a_killed_import_leaves_library_and_index_consistent(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    _write_dump(dumps, files=40, per_file=400)
    db = tmp_path / "library.db"
    proc = subprocess.Popen([sys.executable, "-m", "reader", "import", str(dumps), "--db",
                             str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            if _articles(db) >= 2000:
                break
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    with Store(db) as store:
        articles = store.count()
        assert articles >= 2000 and articles % 400 == 0  # whole files only
        # The index catches up (another process may still be finishing that).
        deadline = time.monotonic() + 120
        while not store.search_index.catch_up(store.conn):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        searcher = store.search_index.searcher(store.conn)
        state = (searcher.num_docs, store.search_index._seq, index.log_position(store.conn),
                 store.search_notices)
        assert store.search_count("kettles") == articles, state
        assert store.search_count("article") == articles


# -- anything at all ---------------------------------------------------------------

TANTIVY_SYNTAX = ["field:value", "title:(a OR b)", "a^2", "a~2", "[a TO b]", "{a TO b}", "+a -b",
                  "/re.*gex/", "*:*", "a AND NOT b", "\\", "(((", ")))", '"unbalanced', "IN [a b]",
                  "a && b || c", "!a", "a:b:c:", "\x00", "\u200b", "NEAR/3", "\t\n", "…", "'",
                  "é" * 3, "微信", "ﬁ"]


@pytest.mark.parametrize("text", [
    " ".join(["word"] * 10_000), " ".join(f"w{i}" for i in range(10_000)),
    "the of and a to in is", "!!! ??? ... ,,, ;;;", '"a b', 'a "b c', "\x00\x00", "\x00kettle",
    *TANTIVY_SYNTAX, "x" * 10_000, "kettle*" * 200, "-", "OR", "-kettle", "t*", "é*"])
def test_hostile_queries_give_results_or_none(library: Store, text: str) -> None:
    for live in (False, True):
        hits = library.search(text, live=live)
        assert isinstance(hits, list)
        assert library.search_count(text, live=live) >= len(hits)


PIECES = [*TANTIVY_SYNTAX, "kettle", "speed", "the", " ", " OR ", "-", "*", '"', "tag:", "is:starred"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=10).map("".join),
       live=st.booleans())
def test_any_query_searches_related_and_counts_consistently(library: Store, text: str,
                                                             live: bool) -> None:
    hits = library.search(text, live=live, limit=100)
    assert len(hits) == min(library.search_count(text, live=live), 100)
    assert len({h.id for h in hits}) == len(hits)
    for hit in hits:
        for start, end in hit.snippet_hits:
            assert 0 <= start < end <= len(hit.snippet)
        assert not any(ord(c) < 32 for c in hit.snippet)


def test_a_one_letter_word_being_typed_waits_for_its_second_letter(library: Store) -> None:
    from reader.search import Term, parse

    assert parse("heated s", live=True).terms == [Term("heated", "word")]
    assert titles(library, "heated s", live=True) == titles(library, "heated")
    assert parse("s", live=True).terms == [Term("s", "partial")]  # alone, it searches
    assert titles(library, "heated sp", live=True)[0] == "Heated wings"


def test_source_matches_part_of_the_name_in_any_case(fresh_store: Store) -> None:
    fresh_store.add_articles([art("One", "Kettles.", 1, source="The Daily LEDGER"),
                              art("Two", "Kettles.", 2, source="Example News")])
    assert titles(fresh_store, "source:ledger") == ["One"]
    assert titles(fresh_store, "source:ily") == ["One"]  # any part of it
    assert titles(fresh_store, 'kettles source:"daily led"') == ["One"]
    assert titles(fresh_store, "source:zzz") == []



def test_a_follower_whose_importer_died_before_it_started_stops(db_path: Path) -> None:
    # The importer exits at once: a follower that asked for its parent only after
    # that would wait forever for an exit it had already missed.
    with Store(db_path) as store:
        store.add_articles([*FILLER, *ARTICLES])
    launcher = subprocess.run(
        [sys.executable, "-c", "import sys; from reader.store.searching import Follower; "
         "print(Follower(sys.argv[1]).process.pid)", str(db_path)],
        capture_output=True, text=True, check=True)
    pid = int(launcher.stdout)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            # Exited, or exited and waiting for whoever adopted it to reap it.
            if Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z":
                break
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the follower outlived its importer")
    with Store(db_path) as store:
        assert titles(store, "kettle") == ["Linked"]


def test_soft_hyphens_are_nowhere_in_snippets(tmp_path: Path) -> None:
    with Store(tmp_path / "lib.db") as store:
        store.add_articles([*FILLER, art("Loquacious", "A lo\u00adqua\u00adcious parrot and "
                                         "its keeper talk all day.", 1)])
        (hit,) = store.search("loquacious")
        assert "\u00ad" not in hit.snippet and "loquacious" in hit.snippet
        start, end = hit.snippet_hits[0]
        assert hit.snippet[start:end] == "loquacious"
