"""A deterministic generator of synthetic listing pages, in many site styles.

Each style is a record template (where the date goes and how it is printed,
whether the title is printed twice, what closes a record) inside page chrome
(menus, a header or none, a sidebar that repeats the titles, pagination), in
one of several languages. `page(style, seed)` returns the dump's text and the
articles a correct splitter finds in it, so tests can check every boundary.
The text is made up: no real page's words are copied.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

_SYLLABLES = ("ka", "lo", "mi", "ra", "te", "no", "sa", "vi", "du", "pe", "ro", "li", "ta",
              "me", "ni", "go", "be", "fa", "zu", "ko", "ri", "sel", "mon", "tar", "ven")

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
           "setembro", "outubro", "novembro", "dezembro"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "pl": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
           "września", "października", "listopada", "grudnia"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "tr": ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül",
           "Ekim", "Kasım", "Aralık"],
}
WORDS = {
    "posted": {"en": "Posted on", "de": "Veröffentlicht am", "fr": "Publié le",
               "es": "Publicado el", "it": "Pubblicato il", "pt": "Publicado em",
               "nl": "Geplaatst op", "id": "Diposting pada", "zh": "发表于",
               "ru": "Опубликовано", "pl": "Opublikowano", "sv": "Publicerad", "tr": "Yayınlandı",
               "ja": "投稿日", "ko": "게시일"},
    "more": {"en": "Read more", "de": "Weiterlesen", "fr": "Lire la suite", "es": "Leer más",
             "it": "Leggi tutto", "pt": "Leia mais", "nl": "Lees meer",
             "id": "Baca selengkapnya", "zh": "阅读全文", "ru": "Читать далее",
             "pl": "Czytaj dalej", "sv": "Läs mer", "tr": "Devamını oku", "ja": "続きを読む",
             "ko": "더 보기"},
    "filed": {"en": "Posted in", "de": "Veröffentlicht unter", "fr": "Publié dans",
              "es": "Publicado en", "it": "Pubblicato in", "pt": "Publicado em",
              "nl": "Geplaatst in", "id": "Diposting di", "zh": "Posted in", "ru": "Posted in",
              "pl": "Posted in", "sv": "Posted in", "tr": "Posted in"},
    "comments": {"en": "Comments", "de": "Kommentare", "fr": "commentaires",
                 "es": "comentarios", "it": "commenti", "pt": "comentários", "nl": "reacties",
                 "id": "komentar", "zh": "Comments", "ru": "Comments", "pl": "Comments",
                 "sv": "Comments", "tr": "Comments"},
    "older": {"en": "« Older Entries", "de": "← Ältere Beiträge", "fr": "← Articles plus anciens",
              "es": "← Entradas anteriores", "it": "← Articoli precedenti",
              "pt": "Page 2 of 7", "nl": "← Oudere berichten", "id": "Posting Lama",
              "zh": "123…9", "ru": "« Previous 1 2 3 Next »", "pl": "Page 2 of 4",
              "sv": "« Older Entries", "tr": "Page 2 of 5", "ja": "« Previous 1 2 3 Next »",
              "ko": "« Previous 1 2 3 Next »"},
    "recent": {"en": "Recent Posts", "de": "Neueste Beiträge", "fr": "Articles récents",
               "es": "Entradas recientes", "it": "Articoli recenti", "pt": "Posts recentes",
               "nl": "Recente berichten", "id": "Postingan Terbaru", "zh": "近期文章",
               "ru": "Recent Posts", "pl": "Recent Posts", "sv": "Recent Posts",
               "tr": "Recent Posts", "ja": "最新文章", "ko": "Recent Posts"},
    "reading": {"en": "Reading time: {n} minutes", "de": "Lesezeit: {n} Minuten",
                "fr": "Temps de lecture : {n} min", "es": "Tiempo de lectura: {n} minutos",
                "it": "Tempo di lettura: {n} minuti", "pt": "Tempo de leitura: {n} minutos",
                "nl": "Leestijd: {n} minuten", "id": "Waktu baca: {n} menit"},
    "ago": {"en": "{n} hours ago", "de": "vor {n} Stunden", "fr": "il y a {n} heures",
            "es": "hace {n} horas", "it": "{n} ore fa", "pt": "há {n} horas",
            "nl": "{n} uur geleden", "id": "{n} jam lalu"},
}


def _date_text(lang: str, form: str, y: int, m: int, d: int) -> str:
    if form == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    if form == "dmy":
        return f"{d:02d}/{m:02d}/{y}"
    if form == "mdy":
        return f"{m:02d}/{d:02d}/{y}"
    if form == "cjk":
        return f"{y}年{m}月{d}日"
    if form == "apostrophe":
        return f"{MONTHS['en'][m - 1][:3]} {d} '{y % 100:02d}"
    if form == "noyear":
        return f"{MONTHS['en'][m - 1]} {d}"
    if form == "ordinal":
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d, "th")
        return f"{MONTHS['en'][m - 1][:3]} {d}{suffix}, {y}"
    month = MONTHS[lang][m - 1]
    if lang == "en":
        return f"{month} {d}, {y}"
    if lang == "de":
        return f"{d}. {month} {y}"
    if lang in ("es", "pt"):
        return f"{d} de {month} de {y}"
    return f"{d} {month} {y}"


@dataclass(frozen=True)
class Style:
    """A site's record template and page chrome."""

    name: str
    lang: str = "en"
    date_form: str = "long"
    """long (month names of `lang`), iso, dmy, mdy, cjk, ordinal, noyear (`March 3`: no
    date can be read), none."""
    date_where: str = "under"
    """under the title (`Posted on …`), above it (a day header), footer, meta (`site · 5 min`)."""
    posted: bool = True
    """Whether the date line under the title says `Posted on` in the page's language."""
    doubled: bool = False
    separator: bool = False
    footer: bool = False
    """`Posted in X | N Comments` after the body."""
    header: str | None = "Posts tagged “{tag}”"
    menu: bool = True
    sidebar_before: bool = False
    """A sidebar listing every title before the first record."""
    sidebar_after: bool = True
    share: bool = False
    """A share row printed under every body (template lines, not text)."""
    related: bool = False
    line_numbers: bool = False
    shared_days: bool = False
    """Date headers above titles, one per day, shared by that day's posts."""
    sections: bool = False
    sponsored: bool = False
    source_suffix: bool = False
    kicker: bool = False
    """A source line right above every title, an age (`3 hours ago`) under it."""
    kicker_gap: bool = False
    """The kicker stands a blank line above its title."""
    meta_form: str = "dot"
    """The meta line under the title when `date_where` is `meta`: `dot` (`site.com · 5 min
    read`), `dash` (`Ann Lee — 5 min read`), `dash-age` (`site – 3 hours ago`), `label`
    (`Lesezeit: 5 Minuten`)."""
    untitled: bool = False
    """Posts without titles (a microblog): each opens with its text."""
    subheads: bool = False
    """Full posts whose bodies hold subheads and short lines that look like titles."""
    date_style: str = ""
    """How the date line is dressed: `byline` (`Ann Lee · Mar 3, 2019 · 5 min read`),
    `notes` (`Mar 3rd, 2019 · 12 notes`), `author` (the author's name above a footer date),
    `name` (a person's name right above a date over the title: a card)."""
    dek: bool = False
    """A standfirst right under the title (`Title` / `A longer line that says more`),
    the date line right under it: the body's first line."""
    excerpt: bool = False
    """With `dek`: the standfirst is an excerpt cut with `…`, a blank line above and
    under it (Ghost's cards)."""
    hashtags: bool = False
    """A line of hashtags under the title (`#rust #beginners`)."""
    reactions: bool = False
    """A card's footer: `12 reactions`, `3 comments`, `5 min read`, one a line."""
    year_groups: bool = False
    """An archive grouped by year: a year alone on its line above its posts (two a year)."""
    back_to_top: str | None = None
    """A link back to the top of the page after the last post (`↑`, `Back to top`)."""


STYLES: tuple[Style, ...] = (
    Style("wp-en-under", "en"),
    Style("wp-de-under", "de", header=None),
    Style("wp-fr-footer", "fr", date_where="footer", header=None, footer=False),
    Style("wp-es-under-footer", "es", footer=True),
    Style("wp-it-under", "it", header=None, menu=False),
    Style("wp-pt-under-separator", "pt", separator=True),
    Style("wp-nl-under", "nl", footer=True, header=None),
    Style("blogger-id", "id", header=None, sidebar_after=True, share=True),
    Style("hexo-zh", "zh", date_form="iso", header=None),
    Style("jekyll-cjk-date", "zh", date_form="cjk", posted=False, header=None),
    Style("drupal-mdy", "en", date_form="mdy", posted=False, footer=True),
    Style("drupal-dmy", "en", date_form="dmy", posted=False, header=None),
    Style("octopress-ordinal", "en", date_form="ordinal", posted=False, header=None,
          line_numbers=True),
    Style("hugo-footer-date", "en", date_where="footer", header=None),
    Style("docusaurus-sidebar", "en", sidebar_before=True, separator=True, posted=False),
    Style("blogger-day-headers", "en", date_where="above", shared_days=True, footer=True),
    Style("pelican-iso-separator", "en", date_form="iso", separator=True, header=None),
    Style("no-chrome-under", "en", header=None, menu=False, sidebar_after=False, posted=False),
    Style("related-blocks", "en", related=True, footer=True),
    Style("share-rows", "de", share=True, header=None),
    Style("digest-doubled", "en", date_form="none", doubled=True, separator=True, header=None,
          menu=False, sidebar_after=False, source_suffix=True),
    Style("digest-meta", "en", date_form="none", date_where="meta", separator=True,
          header=None, sponsored=True),
    Style("digest-sections", "en", date_form="none", doubled=True, separator=True, header=None,
          sections=True),
    Style("digest-fr", "fr", date_form="none", doubled=True, separator=True, header=None,
          sidebar_after=False),
    Style("news-kicker-age", "en", date_form="none", date_where="meta", kicker=True,
          header=None),
    Style("jekyll-date-above", "en", date_where="above", header=None, menu=False),
    Style("full-posts-subheads", "en", subheads=True, header=None),
    Style("ghost-byline-meta", "en", posted=False, date_style="byline", sidebar_after=False),
    Style("tumblr-footer-notes", "en", date_form="ordinal", date_where="footer",
          date_style="notes", header=None),
    Style("fr-subheads-footer", "fr", subheads=True, footer=True, header=None),
    Style("ghost-author-footer", "en", date_where="footer", date_style="author",
          header="Tag: {tag}"),
    Style("this-year-no-year", "en", date_form="noyear", posted=False, header=None),
    Style("tumblr-untitled", "en", date_form="ordinal", date_where="footer", date_style="notes",
          header=None, menu=False, untitled=True),
    Style("news-kicker-gap", "en", date_form="none", date_where="meta", kicker=True,
          kicker_gap=True, header=None),
    Style("news-kicker-gap-de", "de", date_form="none", date_where="meta", kicker=True,
          kicker_gap=True, header=None, sidebar_after=False),
    Style("news-kicker-age-es", "es", date_form="none", date_where="meta", kicker=True,
          header=None, sidebar_after=False),
    Style("wp-ru-under-separator", "ru", separator=True, header=None),
    Style("wp-pl-footer-date", "pl", date_where="footer", header=None, menu=False),
    Style("hugo-year-groups", "en", date_form="long", posted=False, header=None,
          sidebar_after=False, year_groups=True, back_to_top="↑"),
    Style("jekyll-year-groups-de", "de", header=None, year_groups=True,
          back_to_top="Nach oben ↑"),
    Style("wp-sv-under-footer", "sv", footer=True, header=None),
    Style("wp-tr-under", "tr", posted=False, header=None, separator=True),
    Style("jekyll-ja-cjk-separator", "ja", date_form="cjk", posted=False, header=None,
          separator=True),
    Style("tistory-ko-under", "ko", date_form="cjk", header=None),
    Style("medium-dash-reading-time", "en", date_form="none", date_where="meta",
          meta_form="dash", header=None, sidebar_after=False),
    Style("news-dash-age", "en", date_form="none", date_where="meta", meta_form="dash-age",
          header=None, separator=True),
    Style("de-reading-time-label", "de", date_form="none", date_where="meta",
          meta_form="label", header=None),
    Style("fr-reading-time-label", "fr", date_form="none", date_where="meta",
          meta_form="label", header=None, sidebar_after=False),
    Style("substack-standfirst", "en", dek=True, posted=False, date_style="byline",
          header=None, sidebar_after=False),
    Style("standfirst-plain-date", "en", dek=True, posted=False, menu=False),
    Style("ghost-excerpt-cards", "en", dek=True, excerpt=True, posted=False,
          date_style="byline", header=None),
    Style("dev-cards", "en", date_form="apostrophe", date_where="above", date_style="name",
          hashtags=True, reactions=True, header="#{tag} posts", sidebar_after=False),
    Style("dev-cards-this-year", "en", date_form="noyear", date_where="above",
          date_style="name", hashtags=True, reactions=True, header=None),
)


@dataclass
class Expected:
    """One article as a correct splitter reports it."""

    title: str
    date: str | None
    first: str
    last: str
    source: str | None = None


@dataclass
class Page:
    text: str
    articles: list[Expected] = field(default_factory=list)


class _Writer:
    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng = rng
        self.lang = lang

    def word(self) -> str:
        if self.lang == "zh":
            return "".join(self.rng.choice("文字记录页面阅读时间数据系统学习方法问题结构")
                           for _ in range(2))
        if self.lang == "ja":
            return "".join(self.rng.choice("あいうえおかきくけこさしすせそ日本語記事時間")
                           for _ in range(2))
        if self.lang == "ko":
            return "".join(self.rng.choice("가나다라마바사아자차카타파하기록시간")
                           for _ in range(2))
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(1, 3)))

    def title(self) -> str:
        n = self.rng.randint(3, 8)
        if self.lang in ("zh", "ja"):
            return "".join(self.word() for _ in range(n // 2 + 1))
        words = [self.word().capitalize() for _ in range(n)]
        return " ".join(words)

    def sentence(self) -> str:
        if self.lang in ("zh", "ja"):
            return "".join(self.word() for _ in range(self.rng.randint(12, 25))) + "。"
        words = [self.word() for _ in range(self.rng.randint(9, 18))]
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))


def page(style: Style, seed: int = 0, records: int | None = None) -> Page:
    """A listing page in `style`, with the articles it holds."""
    rng = random.Random(f"{style.name}:{seed}")
    w = _Writer(rng, style.lang)
    n = records or rng.randint(4, 9)
    lang = style.lang if style.lang in MONTHS else "en"
    out: list[str] = []
    expected: list[Expected] = []
    titles = [w.title() for _ in range(n)]
    tag = w.word().capitalize()
    site = w.word().capitalize() + " " + w.word().capitalize()
    if style.menu:
        out += [site, "", w.paragraph()[:60].rstrip(" .") , "", "Home", "About", "Archives", ""]
    if style.sidebar_before:
        out += ["Recent posts", "", *titles, ""]
    if style.header:
        out += [style.header.format(tag=tag), ""]
    year, month, day = 2021, 11, 28
    last_day: str | None = None
    sources = ["Northwind News", "The Harbour Gazette", "Daily Ledger"]
    shown_year = None
    for k, title in enumerate(titles):
        if style.year_groups and k and k % 2 == 0:
            year -= 1
        if style.shared_days and k % 3 == 1:
            pass  # same day as the previous post
        else:
            day -= rng.randint(0, 6)
            if day < 1:
                month, day = month - 1, 28
        iso = f"{year}-{month:02d}-{day:02d}"
        date_text = None if style.date_form == "none" else _date_text(
            lang, "long" if style.date_form == "long" else style.date_form, year, month, day)
        if style.date_form == "cjk" and style.lang == "ko":
            date_text = f"{year}년 {month}월 {day}일"
        has_date = date_text is not None and style.date_where != "meta" \
            and style.date_form != "noyear"
        printed = title
        source = None
        if style.source_suffix and k % 2 == 0:
            source = sources[k % len(sources)]
            printed = f"{title} – {source}"
        if style.year_groups and year != shown_year:
            out += [str(year), ""]
            shown_year = year
        if style.sections and k % 3 == 0:
            out += [rng.choice(["NEWS", "WEB", "TOP STORIES"]), ""]
        if style.sponsored and k == 2:
            out += ["SPONSORED", "", "Try the thing for free today, no card needed.", "", ""]
        if style.kicker:
            out += [sources[k % len(sources)], *([""] if style.kicker_gap else [])]
        if style.date_where == "above" and date_text and style.date_style == "name":
            out += [f"{w.word().capitalize()} {w.word().capitalize()}", date_text, ""]
        elif style.date_where == "above" and date_text:
            if iso != last_day or not style.shared_days:
                out += [date_text, ""]
            last_day = iso
        if not style.untitled:
            out.append(printed)
        if style.doubled:
            out += ["", printed] if k % 2 else [printed]
        dek = None
        if style.dek and style.excerpt:
            dek = w.sentence().rstrip(".") + "…"
            out += ["", dek, ""]
        elif style.dek:
            dek = w.sentence()
            dek = dek if k % 2 else dek.rstrip(".")
            out.append(dek)
        if not style.untitled and not style.dek:
            out.append("")
        if style.hashtags:
            out += [f"#{tag.lower()} #{w.word()} #{w.word()}", ""]
        if style.date_where == "under" and date_text and style.date_style == "byline":
            out += [f"{w.word().capitalize()} {w.word().capitalize()} · {date_text} · "
                    f"{rng.randint(2, 9)} min read", ""]
        elif style.date_where == "under" and date_text:
            words = WORDS["posted"][style.lang] + " " if style.posted else ""
            out += [words + date_text, ""]
        if style.date_where == "meta" and style.kicker:
            out += [WORDS["ago"][style.lang].format(n=rng.randint(2, 23)), ""]
        elif style.date_where == "meta" and style.meta_form == "dash":
            out += [f"{w.word().capitalize()} {w.word().capitalize()} — {rng.randint(2, 12)} min "
                    "read", ""]
        elif style.date_where == "meta" and style.meta_form == "dash-age":
            out += [f"{sources[k % len(sources)]} – {WORDS['ago']['en'].format(n=k + 2)}", ""]
        elif style.date_where == "meta" and style.meta_form == "label":
            out += [WORDS["reading"][style.lang].format(n=rng.randint(2, 12)), ""]
        elif style.date_where == "meta":
            out += [f"{site.lower().replace(' ', '')}.com · {rng.randint(2, 12)} min read", ""]
        body = [w.paragraph() for _ in range(rng.randint(1, 4))]
        if style.subheads:
            body = [w.paragraph(), w.title()[:30].rstrip(), w.paragraph(), "Why it matters",
                    w.paragraph(), w.sentence()]
        if style.line_numbers and k % 2 == 0:
            code = ["x = load()", "y = x + 1", "print(y)"]
            body_lines = [body[0], "", "1", "2", "3", *code, "", body[-1] if len(body) > 1
                          else w.paragraph()]
            body = [x for x in body_lines]
            last = body[-1]
        out += _blank_join(body)
        out.append("")
        last = [x for x in body if x][-1]
        first = dek or body[0]
        if style.related and k % 2 == 0:
            out += ["Related", "", titles[(k + 1) % n], date_text or "", ""]
        if style.share:
            out += ["Share this:", "Facebook", "Twitter", ""]
        if style.sections:
            out += ["Flag as irrelevant", ""]
        if style.date_where == "footer" and date_text and style.date_style == "author":
            out += [site, f"{date_text} • {rng.randint(1, 9)} min read", ""]
        elif style.date_where == "footer" and date_text and style.date_style == "notes":
            out += [f"{date_text} · {rng.randint(1, 99)} notes", ""]
        elif style.date_where == "footer" and date_text:
            out += [f"{date_text} · {rng.randint(1, 9)} min", ""]
        if style.reactions:
            out += [f"{rng.randint(1, 99)} reactions", f"{rng.randint(0, 30)} comments",
                    f"{rng.randint(2, 12)} min read", ""]
        if style.footer:
            out += [f"{WORDS['filed'][style.lang]} {tag} | {rng.randint(0, 9)} "
                    f"{WORDS['comments'][style.lang]}", ""]
        if style.separator:
            out += [WORDS["more"][style.lang], "", ""]
        if style.untitled:
            words = first.split()
            title = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
        expected.append(Expected(title, iso if has_date else None, first, last, source))
    if style.back_to_top:
        out += [style.back_to_top, ""]
    if style.sidebar_after:
        out += [WORDS["older"][style.lang], "", WORDS["recent"][style.lang], ""]
        out += [*titles[:5], "", "© 2021 " + site]
    return Page("\n".join(out) + "\n", expected)


def _blank_join(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        if out and p and out[-1] != "":
            out.append("")
        out.append(p)
    return out


def single_articles() -> dict[str, str]:
    """Texts that hold one article each and must never be split."""
    rng = random.Random("single")
    w = _Writer(rng, "en")
    long_read = ["The Long Road Home", ""]
    for _ in range(12):
        long_read += [w.title(), "", w.paragraph(), "", w.paragraph(), ""]
    essay = ["Notes From a Dry Summer", "", w.paragraph(), ""]
    for k in range(6):
        essay += [f"June {k + 3}, 2019", "", w.paragraph(), "", w.paragraph(), ""]
    diary = ["# Field diary", ""]
    for k in range(6):
        diary += [f"## 2019-06-{k + 3:02d}", "", w.paragraph(), ""]
    letter = ["Dear Margaret,", "", w.paragraph(), "", w.paragraph(), "",
              "March 3, 2019", "", "P.S. " + w.sentence(), "", "Yours,", "Tom"]
    subheads = ["Why the River Moved", "", "By Ann Lee", "", "March 3, 2019", "", w.paragraph(),
                ""]
    for _ in range(5):
        subheads += [w.title(), "", w.paragraph(), "", w.paragraph(), ""]
    news = ["Big News Story Title", "", "By Ann Lee", "", "March 3, 2019", "", w.paragraph()]
    for _ in range(4):
        news += ["", "Read more: " + w.title(), "", w.title(), "", w.paragraph(), "",
                 w.paragraph()]
    trip = ["Trip Report", ""]
    for k in range(5):
        trip += [w.title(), "", f"Day {k + 1} · March {k + 3}, 2019", "", w.paragraph(), "",
                 w.paragraph(), ""]
    changelog = ["# Changelog", ""]
    for k in range(5):
        changelog += [f"## 1.{5 - k}.0 - 2019-03-0{k + 1}", "", "- " + w.sentence(),
                      "- " + w.sentence(), ""]
    interview = ["Interview With a Lighthouse Keeper", "", w.paragraph(), ""]
    for _ in range(6):
        interview += ["Q: " + w.sentence()[:-1] + "?", "", w.paragraph(), ""]
    return {"news_with_cross_links": "\n".join(news), "trip_days": "\n".join(trip),
            "changelog": "\n".join(changelog), "interview": "\n".join(interview),
            "long_read": "\n".join(long_read), "dated_sections": "\n".join(essay),
            "markdown_diary": "\n".join(diary), "letter": "\n".join(letter),
            "titled_essay_with_subheads": "\n".join(subheads)}
