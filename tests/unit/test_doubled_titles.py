"""A digest's doubled title is its item's title whatever its shape: a title that opens
like page meta (`Posted in …`, `Tags …`, `Topic …`, `No comments …`) in any language is
not swallowed as meta, and the item is neither lost nor merged."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import parse_bytes
from reader.archive.lines import TITLE, classify, kind_of
from reader.archive.listing.anchors import retitle_doubles

# Titles that open with the phrases of page-meta lines, in several languages. Each
# is classified as page meta (or a pager, or a date line) on its own: only its being
# printed twice says it is a title.
META_TITLES = {
    "en": ["Posted in Paris: The Letters of a Young Diplomat",
           "Tags of the City: Graffiti Along the Canal",
           "Topic of the Week: Bread, Butter and the Price of Both",
           "No Comments From the Minister on the Harbour Budget",
           "Filed Under Forgotten: The Lost Archive of the Port",
           "Leave a Comment Here, Says the Museum Director",
           "Categories of Rain in the Northern Highlands",
           "12 Comments That Changed the Housing Law",
           "Older Posts Never Die on the Old Forums",
           "March 3, 2019: The Day the Dam Broke"],
    "de": ["Veröffentlicht in Wien: Briefe einer Reisenden",
           "Kategorien des Regens im nördlichen Hochland",
           "Keine Kommentare vom Minister zum Hafenhaushalt",
           "Schlagwörter der Stadt: Graffiti am Kanal",
           "Tag der offenen Tür im alten Hafenamt"],
    "fr": ["Publié dans la presse : les lettres oubliées du port",
           "Étiquettes du vin : une histoire de papier",
           "Aucun commentaire du ministre sur le budget du port"],
    "es": ["Publicado en Madrid: cartas de un diplomático joven",
           "Etiquetas de vino: una historia de papel y cola",
           "Sin comentarios del ministro sobre el presupuesto"],
    "it": ["Pubblicato in Roma: le lettere perdute del porto",
           "Etichette del vino: una storia di carta e colla"],
    "nl": ["Geplaatst in Gent: brieven van een reiziger",
           "Geen reacties van de minister op de begroting"],
    "id": ["Diposting di Bandung: surat dari seorang guru",
           "Tidak ada komentar dari menteri soal anggaran pelabuhan"],
}
PLAIN = ["Late Trains Return to the Coast Line", "Harbour Lights Go Dark for a Night",
         "The Quiet Valley Gets a School", "Ferries Add a Winter Crossing"]
MORE = {"en": "Read More", "de": "Weiterlesen", "fr": "Lire la suite", "es": "Leer más",
        "it": "Leggi tutto", "nl": "Lees meer", "id": "Baca selengkapnya"}
ALL_META = [(lang, t) for lang, titles in META_TITLES.items() for t in titles]


def digest(items: list[tuple[str, str]], blanks: int = 1) -> str:
    """A digest: each (language, title) printed twice, `blanks` blank lines between,
    two paragraphs that name the item, its separator."""
    out = []
    gap = "\n" * (blanks + 1)
    for i, (lang, title) in enumerate(items):
        out.append(f"{title}{gap}{title}\n\n"
                   f"The first paragraph of item {i} tells what happened there today.\n\n"
                   f"A second paragraph of item {i} adds the details that matter.\n\n"
                   f"{MORE[lang]}\n\n\n")
    return "".join(out)


def check(items: list[tuple[str, str]], blanks: int = 1) -> None:
    parsed = parse_bytes(digest(items, blanks).encode(), "digest.txt")
    articles = list(parsed.articles)
    assert parsed.format == "digest"
    assert [a.title for a in articles] == [t for _, t in items]
    for i, a in enumerate(articles):
        assert a.body == (f"The first paragraph of item {i} tells what happened there today."
                          f"\n\nA second paragraph of item {i} adds the details that matter.")


def test_every_meta_title_is_shaped_like_page_meta() -> None:
    # What makes the tests below able to fail: alone, none of these reads as a title.
    for _, title in ALL_META:
        assert kind_of(title)[0] != TITLE, title


def test_each_meta_title_among_plain_ones() -> None:
    for lang, title in ALL_META:
        check([("en", PLAIN[0]), (lang, title), ("en", PLAIN[1]), ("en", PLAIN[2])])


def test_a_digest_of_meta_titles_only() -> None:
    for lang, titles in META_TITLES.items():
        check([(lang, t) for t in titles])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ALL_META + [("en", t) for t in PLAIN]), min_size=3,
                max_size=8, unique=True),
       st.sampled_from([0, 1, 2]))
def test_doubled_titles_of_any_shape_are_titles(items, blanks) -> None:
    check(items, blanks)


def test_a_template_line_printed_twice_in_every_record_is_not_a_title() -> None:
    # The same meta line doubled under every post is template, not a title.
    posts = "".join(
        f"Walk number {n} along the river\n\nWalk number {n} along the river\n\n"
        f"Posted in Walks and Rivers Of The North\n\nPosted in Walks and Rivers Of The North\n\n"
        f"The path past the mill was quiet on walk {n}, and the light was low over it.\n\n"
        "Read More\n\n\n" for n in range(1, 6))
    articles = list(parse_bytes(posts.encode(), "walks.txt").articles)
    assert [a.title for a in articles] == [f"Walk number {n} along the river" for n in range(1, 6)]
    assert all("Posted in" not in a.body for a in articles)


def test_a_bare_date_or_a_short_meta_line_printed_twice_stays_what_it_is() -> None:
    for text in ["March 3, 2019", "Tuesday, June 23rd, 2009", "No comments", "Tags: rivers"]:
        lines = classify([text, "", text, "", "Some running text follows the pair of lines, "
                          "long enough to read as a paragraph of an article."])
        before = lines[0].kind
        retitle_doubles(lines)
        assert lines[0].kind == lines[2].kind == before != TITLE, text
