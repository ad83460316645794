"""Line shapes of plain-text listing dumps.

Every line of a dump is given one *kind* from its own text, in any of the
supported languages: a date line, a separator (`Read more`, `Weiterlesen`,
`阅读全文`), a meta line (`Posted in …`, `Tags:`, `3 comments`, `Reply`,
`source · 6 min read`), junk (share rows, `Save to Pocket`), navigation
(`« Older Entries`, `1 2 3 … Next`), a title-like line, or text. Kinds are
evidence, never decisions: which shapes make a record is induced per file
(`reader/archive/listing/`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reader.archive.chrome import is_nav, is_sidebar_heading
from reader.archive.firsts import alternatives, regex_first
from reader.clean import ascii_twins, is_junk, is_meta, is_separator
from reader.dates import AGE, AGO, date_lead, date_line, day_without_year, has_digit

BLANK, DATE, SEP, META, JUNK, NAV, TITLE, TEXT = (
    "blank", "date", "sep", "meta", "junk", "nav", "title", "text")

_SEP_PHRASES = (
    r"read|read\s+(?:the\s+)?more|read\s+(?:the\s+)?(?:rest|story|full\s+\w+|article|post)"
    r"(?:\s+of\s+this\s+\w+)?|continue\s+reading|keep\s+reading|read\s+full\s+\w+|"
    r"full\s+(?:story|article)|visit\s+(?:website|site)|view\s+(?:the\s+)?(?:full\s+)?"
    r"(?:article|story|post|original)|weiterlesen|mehr\s+lesen|(?:den\s+)?(?:ganzen\s+)?"
    r"artikel\s+lesen|lire\s+la\s+suite|lire\s+plus|(?:la\s+)?suite|leer\s+m[aá]s|seguir\s+"
    r"leyendo|continuar\s+leyendo|leggi\s+(?:tutto|di\s+più|il\s+resto)|continua\s+a\s+"
    r"leggere|leia\s+mais|continuar\s+lendo|continue\s+lendo|lees\s+(?:meer|verder)|verder\s+"
    r"lezen|baca\s+(?:selengkapnya|lagi|juga)|selengkapnya|"
    r"阅读全文|閱讀全文|继续阅读|繼續閱讀|阅读更多|查看全文|続きを読む|もっと読む|記事を読む|"
    r"더\s*보기|더\s*읽기|계속\s*읽기|"
    r"читать\s+далее|читать\s+полностью|czytaj\s+(?:dalej|więcej)|läs\s+mer|les\s+mer|"
    r"læs\s+mere|lue\s+lisää|devamını\s+oku|číst\s+dále"
)
_SEPARATOR = re.compile(
    rf"^[\W_]{{0,3}}(?:{_SEP_PHRASES})(?:\s+(?:→|»|›|>|…|\.\.\.|\[\.\.\.\]))?"
    rf"(?:\s*(?:on|at|from|auf|sur|en|su|di|em|op)\s+\S.{{0,40}})?[\W_]{{0,4}}$",
    re.IGNORECASE,
)
_CONTINUE_TITLE = re.compile(r"^(?:continue\s+reading|weiterlesen)\s+[\"“„«‘'].{0,120}$",
                             re.IGNORECASE)
"""`Continue reading “Title” →` (a cross-link `Read more: Other story` is text)."""
_CROSS_LINK = re.compile(
    rf"^(?:{_SEP_PHRASES}|see\s+also|related|read\s+(?:also|next)|siehe\s+auch|voir\s+aussi|"
    rf"ver\s+también|vedi\s+anche|veja\s+também|zie\s+ook|lihat\s+juga)\s*:\s*\S",
    re.IGNORECASE,
)


def cross_link(text: str) -> bool:
    """`Read more: Another Story`, `See also: …`: a link to another article, never a title."""
    return ":" in text and _CROSS_LINK.match(text) is not None


GLUED = re.compile(
    rf"\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.)\s*(?:{_SEP_PHRASES}|more)\s*(?:→|»|›|>|…|\.\.\.)?\s*$",
    re.IGNORECASE,
)
"""A separator glued to the end of a paragraph after its ellipsis: `… Read the rest`,
`…more`, `[…] Weiterlesen →`. Without the ellipsis the words may be the author's."""

_META_WORDS = (
    r"posted|filed|published|publiziert|veröffentlicht|gepostet|abgelegt|publié|posté|classé|"
    r"publicado|archivado|pubblicato|archiviato|gepubliceerd|geplaatst|diposting|"
    r"diterbitkan|dipublikasikan|written|geschrieben|écrit|escrito|scritto|geschreven|ditulis"
)
_BUTTON = r"(?:email\s*this|blogthis!?|share\s+to\s+[a-z]+?|pin\s*it|tweet|whatsapp|telegram)"
"""A share button's label; a row of them (glued, as Blogger prints them, or apart) is
page meta, but a title that merely opens with one (`Tweeting From the Trail`) is not."""
_ENGAGEMENT = r"""\d[\d.,]*\s*[km]?\s+(?:reactions?|claps?|views?|upvotes?|votes?|points?|
    shares?|retweets?|reposts?|kudos|bookmarks?|saves?|stars?|hearts?|favou?rites?|reads)"""
"""An engagement count (`12 reactions`, `1.2K claps`): a social platform's card."""
_MORE_META = re.compile(
    rf"""^(?:
      (?:{_META_WORDS})\s+(?:in|under|unter|dans|sous|en|em|op|onder|di|dalam|by|von|par|
          por|da|door|oleh|on|am|le|el|il|em|op|pada)\b.*
    | (?:tags?|tagged(?:\s+with)?|labels?|categor(?:y|ies)|kategorien?|schlagw[öo]rter|
        stichw[öo]rter|étiquettes?|mots-clés|catégories?|etiquetas?|categor[íi]as?|
        etichette|categorie|trefwoorden|categorieën|label|kategori|topics?)\s*:?(?:\s+.*)?
    | (?:\d+|no|one|keine|aucun|sin|nessun|geen|tidak\s+ada)\s+(?:comments?|kommentare?|
        commentaires?|comentarios?|commenti|coment[áa]rios|reacties?|komentar|responses?|
        replies|antworten)\b.*
    | (?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|komentar)
      \s*\(\d+\)|permalink|(?:\d+\s+)?(?:likes?|notes|reblogs?)
    | {_ENGAGEMENT}
    | \d+\s+points?\s+by\s+\S+.*
    | leave\s+a\s+(?:comment|reply).*|hinterlasse\s+einen\s+kommentar.*|
      laisser\s+un\s+commentaire.*|deja\s+un\s+comentario.*|lascia\s+un\s+commento.*|
      deixe\s+um\s+coment[áa]rio.*|laat\s+een\s+reactie\s+achter.*|
      tinggalkan\s+(?:komentar|balasan).*
    | (?:reply|antworten|répondre|responder|rispondi|reageren|balas|回复|回覆|返信)
    | (?:share|teilen|partager|compartir|condividi|compartilhar|delen|bagikan)
      (?:\s+(?:this|on|to|via|auf|sur|en|su|no|op|ke)\b(?:\s*:.*|(?:\s+\S+){{0,2}}))?:?
    | (?:(?:share|teilen|partager)\s+(?:on|to|via|auf|sur)\s+\S+\s*){{2,}}
    | {_BUTTON}(?:[\s|·•,]*(?:{_BUTTON}|facebook|twitter|pinterest|linkedin|reddit|email|
      \d+))*[\s|·•,]*
    | posted\s+(?:by\s+.{{1,60}}\s+)?at\s+\d{{1,2}}[:.]\d{{2}}.*
    | posted\s+from\s+.{{1,60}}
    | (?:\d+|one)\s*(?:min(?:ute)?s?)\.?\s+(?:read|lesezeit|de\s+lecture|de\s+lectura|
      di\s+lettura|leestijd|baca)
    | (?:reading\s+time|lesezeit|temps\s+de\s+lecture|tiempo\s+de\s+lectura|tempo\s+di\s+
      lettura|tempo\s+de\s+leitura|leestijd|waktu\s+baca)\s*:?\s*(?:\d+|one|a)\s*[^\W\d_]+\.?
    | {AGO}
    | flag\s+as\s+irrelevant|save\s+to\s+pocket|mark\s+as\s+read|save\s+for\s+later
    | (?:older|newer)\s+posts?|home|beranda|startseite|accueil|inicio
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_DASHED = (r"(?:\S.{0,60}\s)?(?:—|–|-)\s*(?:(?:(?:\d+|one|a)\s*(?:min(?:ute)?s?|mins?)\.?"
           rf"\s+read)|{AGO})")
"""After a dash only a reading time or an age in words (`– 10 Years` ends many a title)."""
_META_MARKS = re.compile(
    rf"""^(?:
      (?:\S.{{0,60}}\s)?(?:·|•|\||/)\s*(?:\d+|one|a)\s*(?:min(?:ute)?s?|mins?)\.?(?:\s+read)?
      (?:\s*(?:·|•|\||/).{{0,60}})?
    | (?:\S.{{0,60}}\s)?(?:/|·|•|\|)\s*(?:{AGE})
    | {_DASHED}
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
"""Meta lines shaped by their marks: `site.org · 6 min read`, `blog / by ann / 2d`,
`Ann Lee — 5 min read`, `site.org – 3 hours ago` (tried only on lines that print one of
the marks)."""
_DASHED_META = re.compile(f"^(?:{_DASHED})$", re.IGNORECASE)
_PAGER_WORD = re.compile(r"older|newer", re.IGNORECASE)
"""`older`/`newer` anywhere in a line (`pager_word` tests it without a regex)."""


def undated_slot(line: Line) -> bool:
    """A meta line printed where a date goes that gives no date: `March 3` (a page
    that omits the year), `3 hours ago`, `2d`."""
    return line.kind == META and len(line.text) <= 40 and (
        day_without_year(line.text) or _AGE.search(line.text) is not None)


def pager_word(text: str) -> bool:
    """`_PAGER_WORD.search(text)`: no other letters fold to those of `older`/`newer`,
    so a lower-cased substring test is the same and several times faster."""
    low = text.lower()
    return "older" in low or "newer" in low
# (The pager of numbers is possessive, `\d++ … {2,}+`: a row of numbers that is no
# pager, such as a hex dump's, fails at once instead of in exponential time.)
_MORE_NAV = re.compile(
    r"""^(?:
      [«‹←<]?\s*(?:previous|next|older|newer|first|last|prev)(?:\s+(?:page|posts?|entries|
        articles))?\s*[»›→>]?
    | [«‹←]?\s*(?:ältere|neuere)\s+(?:beiträge|einträge|artikel)\s*[»›→]?
    | [«‹←]?\s*(?:articles?\s+)?(?:plus\s+)?(?:anciens|récents|précédents|suivants)\s*[»›→]?
    | [«‹←]?\s*(?:entradas|artículos)\s+(?:anteriores|siguientes|más\s+antiguas)\s*[»›→]?
    | [«‹←]?\s*(?:articoli|post)\s+(?:precedenti|successivi|più\s+vecchi)\s*[»›→]?
    | [«‹←]?\s*(?:oudere|nieuwere)\s+(?:berichten|posts)\s*[»›→]?
    | [«‹←]?\s*(?:posting|postingan)\s+(?:lama|lebih\s+(?:lama|baru)|terbaru)\s*[»›→]?
    | pagination|seitennummerierung|page\s+\d+(?:\s+(?:of|von|de|di|van|dari)\s+\d+)?
    | [«‹←]\s*\d+\s*/\s*\d+\s*[»›→]?|\d+\s*/\s*\d+\s*[»›→]
    | [«‹←]?\s*(?:prev(?:ious)?|zurück)?\s*(?:\d++\s*+(?:…|\.\.\.)?+\s*+){2,}+
      (?:next|weiter)?\s*[»›→]?
    | \d+(?:…|\.\.\.)\d+|load\s+more.*|show\s+more\s+posts|mehr\s+laden|
      you'?ve\s+reached\s+the\s+end.*|end\s+of\s+(?:the\s+)?(?:list|feed|board)
    | [↑⬆▲]\s*(?:(?:back\s+to\s+)?top)?|top\s*[↑⬆▲]
    | (?:back\s+to\s+(?:the\s+)?top|scroll\s+to\s+top|nach\s+oben|haut\s+de\s+page|
       retour\s+en\s+haut|volver\s+arriba|torna\s+su|naar\s+boven)\s*[↑⬆▲]?
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_CHROME_HEADING = re.compile(
    r"""^(?:(?:blog\s+)?archives?|recent\s+(?:posts|comments|articles|entries)|popular\s+
    (?:posts|articles)|related\s+(?:posts|articles|stories|reading)|you\s+(?:may|might)\s+
    also\s+like|more\s+from\s+.{1,40}|categories|tags|tag\s+cloud|blogroll|meta|about(?:\s+me)?|
    search|subscribe.*|follow\s+(?:us|me).*|newsletter|archiv|kategorien|neueste\s+beiträge|
    letzte\s+beiträge|ähnliche\s+beiträge|articles\s+récents|articles\s+similaires|
    entradas\s+recientes|artículos\s+relacionados|articoli\s+recenti|articoli\s+correlati|
    posts\s+recentes|recente\s+berichten|postingan\s+populer|postingan\s+terbaru|
    artikel\s+terkait|label|arsip\s+blog|最新文章|相关文章|热门文章|近期文章|归档|分类|标签|
    最近の投稿|最新の投稿|最近の記事|最新記事|人気の投稿|人気記事|関連記事|カテゴリー?|タグ|
    アーカイブ|最近發表|最新文章|熱門文章|相關文章|彙整|分類|標籤|최근\s*글|최신\s*글|인기\s*글|
    관련\s*글|카테고리|태그|보관함|недавние\s+записи|свежие\s+записи|рубрики|метки|архивы|
    ostatnie\s+wpisy|kategorie|tagi|archiwa|senaste\s+inläggen|kategorier|etiketter|arkiv|
    son\s+yazılar|kategoriler|etiketler|arşivler)\s*:?$""",
    re.VERBOSE | re.IGNORECASE,
)
RELATED = re.compile(
    r"^(?:related(?:\s+(?:posts?|articles?|stories|reading|content))?|you\s+(?:may|might)\s+"
    r"also\s+like.*|more\s+(?:stories|articles)\s+(?:like\s+this|from\s+.{1,40})|see\s+also|"
    r"ähnliche\s+beiträge|verwandte\s+artikel|articles\s+(?:similaires|liés)|"
    r"(?:artículos|entradas)\s+relacionad[oa]s|articoli\s+correlati|artigos\s+relacionados|"
    r"gerelateerde\s+berichten|artikel\s+terkait|baca\s+juga|相关文章|相關文章|"
    r"similar\s+(?:posts|articles|stories)|read\s+(?:also|next)|lesen\s+sie\s+auch|"
    r"das\s+könnte\s+(?:dich|sie)\s+auch\s+interessieren|à\s+lire\s+aussi|lee\s+también|"
    r"leggi\s+anche|leia\s+também|lees\s+ook)\s*:?$",
    re.IGNORECASE,
)
"""A `Related` block heading: its following lines are links, not text."""
SPONSORED = re.compile(
    r"^(?:sponsored(?:\s+(?:content|post|by\s+.{1,40}))?|advertisement|anzeige|werbung|"
    r"publicité|publicidad|pubblicità|publicidade|advertentie|iklan|promoted(?:\s+by\s+.{1,40})?|"
    r"partner\s+content|paid\s+(?:post|content))\s*:?$",
    re.IGNORECASE,
)
_SECTION = re.compile(r"^[^\W\d_][^\W\d_ &/-]*(?:[ &/-]+[^\W\d_]+){0,2}$")
_AGE = re.compile(rf"(?:^|[\s/·•|])(?:{AGE})\s*$", re.IGNORECASE)
"""A line ending with a relative date (`site / 2d`, `3 hours ago`): one slot whatever the age."""
_META_OPENER = re.compile(
    rf"^(?:this\s+entry|{_META_WORDS}|tags?|tagged|labels?|categor|filed|leave|\d+\s+comment)",
    re.IGNORECASE)
"""How a meta line that reads like a sentence begins (`This entry was posted on …`)."""
_OPENER_FIRST = frozenset("tTlLcCfFpPvVgGaAdDwWéÉeEsS\u017f")
"""Every letter `_META_OPENER` can match first, in either case (and the long s, which
matches `s` when case is ignored); a digit is tested apart. A line that begins
otherwise is not tried."""
_FILE_NAME = re.compile(r"^(?=\S*(?:_|\d{3}))[\w.-]{3,40}$")
MD_FIRST = frozenset("#>*+-0123456789")
_MD_MARKER = re.compile(r"^(\s*)(#{1,6}\s|>|[-*+]\s|\d{1,9}[.)]\s)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_END_PUNCT = tuple(".!?…\"”’)»。！？")


@dataclass(slots=True)
class Line:
    """One line of a dump with its shape.

    Blank lines are one shared object (`BLANK_LINE`, numbered 0): half a dump's
    lines are blank, and a window's lines are consecutive, so line `i` of a
    window is line `window[0].no + i` of the file whatever it holds."""

    no: int
    """1-based line number in the file (0 for the shared blank line)."""
    text: str
    """The line, stripped (NBSP and other Unicode spaces too)."""
    kind: str
    date: str | None = None
    shape: str | None = None
    """The line's shape key, computed once (see `key`)."""
    titleish: bool | None = None
    """Whether it could be a title, computed once (see `listing.anchors.could_title`)."""
    copy: int | None = None
    """How many lines down the title this line prints is printed again (0: it is not),
    computed once (see `listing.anchors._copy_of`)."""
    repeat: bool = False
    """A short line printed three times or more in the window (an author's name):
    never a title (see `listing.anchors.mark_repeats`)."""


_MORE = re.compile(r"^(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*more\W{0,3}$|^more\s*(?:…|\.\.\.|»|›|→)$",
                   re.IGNORECASE)


def separator(text: str) -> bool:
    return len(text) < 120 and (_SEPARATOR.match(text) is not None or is_separator(text)
                                or _MORE.match(text) is not None
                                or (len(text) < 80 and _CONTINUE_TITLE.match(text) is not None
                                    and not text.endswith((".", "?", "!"))))


def meta(text: str) -> bool:
    return len(text) < 300 and (is_meta(text) or _MORE_META.match(text) is not None
                                or _marked_meta(text))


def _marked_meta(text: str) -> bool:
    """`_META_MARKS.match(text)`, tried only where it can match: a line with a mark, and
    after a dash only a digit (an age, a reading time) or `read` (`a min read`)."""
    # One `in` a mark (`· • | /`, then the dashes): scans at C speed.
    dots = "|" in text or "/" in text or "·" in text or "•" in text
    if not dots and "-" not in text and "–" not in text and "—" not in text:
        return False
    if not has_digit(text):
        if not dots and "read" not in text.lower():
            return False
        if text.isascii():
            # Without a digit `_META_MARKS` needs a reading time (`one min read`) or an
            # age in words (`· yesterday`, `– just now`): every other age has one.
            low = text.lower()
            if "min" not in low and "now" not in low and "today" not in low \
                    and "yesterday" not in low:
                return False
    return _META_MARKS.match(text) is not None


def nav(text: str) -> bool:
    return len(text) < 100 and (is_nav(text) or _MORE_NAV.match(text) is not None)


_COPYRIGHT = re.compile(r"(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}|copyright)|copyright\s+\d{4}",
                        re.IGNORECASE)
"""A page's copyright line (`© 2022 Site. Generated with …`): its footer begins."""


def chrome_heading(text: str) -> bool:
    """A sidebar or footer heading (`Recent Posts`, `Archives`, `热门文章`, `© 2022 …`)."""
    if len(text) >= 40:
        return len(text) < 160 and text[:1] in "©(Cc" and _COPYRIGHT.match(text) is not None
    return is_sidebar_heading(text) or _CHROME_HEADING.match(text) is not None \
        or (text[:1] in "©(Cc" and _COPYRIGHT.match(text) is not None)


def section_label(text: str) -> bool:
    """An all-capitals section label of a digest (`NEWS`, `TOP STORIES`)."""
    return 3 <= len(text) < 30 and text.isupper() and _SECTION.match(text) is not None


def cjk(text: str) -> bool:
    # (`max(text)` is no prefilter: it makes an object of every character, several
    # times slower than the pattern's scan.)
    return not text.isascii() and _CJK.search(text) is not None


def words(text: str) -> int:
    """Word count; CJK text counts two characters a word."""
    if not text.isascii() and cjk(text):
        return max(1, len(text) // 2)
    return len(text.split())


_NOT_FIRST = ("•", "*", "-", ">", "|", "— ", "– ")
"""How no headline begins: list bullets, quotes, table rows, a signature's dash."""


def title_like(text: str) -> bool:
    """Could this line be a headline? Shape only: structure decides."""
    if not 1 <= len(text) <= 250 or words(text) > 35:
        return False
    if text.endswith((":", ",", ";", "{", "(", "[")) or text.startswith(_NOT_FIRST):
        return False
    return _has_letter(text)


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _has_letter(text: str) -> bool:
    if text.isascii():
        return _ASCII_LETTER.search(text) is not None
    return any(ch.isalpha() for ch in text)


def _titleish_not_prose(text: str) -> bool:
    """`title_like(text) and not prose(text)`, counting the words once."""
    n = len(text)
    if text.isascii():
        w = len(text.split())
        is_cjk = False
    else:
        is_cjk = cjk(text)
        w = max(1, n // 2) if is_cjk else len(text.split())
    if w > 35 or text.endswith((":", ",", ";", "{", "(", "[")) \
            or text.startswith(_NOT_FIRST) or not _has_letter(text):
        return False
    if is_cjk:
        return n < 30
    return not (n >= 100 or (n >= 50 and w >= 8 and text.endswith(_END_PUNCT)))


def paragraph(text: str) -> bool:
    """Whether a non-blank line is a paragraph: more than 250 characters, or ending with
    one full stop (`...` and `..` end titles too). No title, anchor, footer or pager
    is one (`listing.anchors.shaped_lines`)."""
    return len(text) > 250 or (text[-1] == "." and not text.endswith(".."))


def prose(text: str) -> bool:
    """Running text rather than a heading or a widget."""
    n = len(text)
    if n < 30 or (n < 50 and text.isascii()):
        return False  # too short for running text in any script
    if cjk(text):
        return True
    return n >= 100 or (n >= 50 and text.endswith(_END_PUNCT) and words(text) >= 8)


def _shape_parts() -> list[re.Pattern[str]]:
    """The patterns `any_shape` stands for: every separator, menu, meta and junk line
    matches (at least) one of them."""
    from reader import clean

    # `blocks._NAV` is left out (its `.*older entries` scans every line): its
    # lines start with a pager word or hold `older`/`newer` (tested apart).
    nav_start = re.compile(r"^[«‹←<]*\s*(?:older|newer|previous|next|page|load)\b")
    return [_SEPARATOR, clean._SEPARATOR, _MORE, _CONTINUE_TITLE, nav_start, _MORE_NAV,
            clean._META, _MORE_META, clean._JUNK, SPONSORED]


def _joined(sources: list[tuple[str, bool]]) -> str:
    return "|".join(f"(?x:{src})" if verbose else f"(?:{src})" for src, verbose in sources)


@lru_cache(maxsize=1)
def _any_shape_pattern() -> re.Pattern[str]:
    """One pattern matching (at least) every separator, menu, meta and junk line, so
    that the common line, text or a title, is told apart with one match. Compiled on
    first use: only lines with cased letters beyond ASCII need it, and only in a file
    of many (`JOIN_AFTER`)."""
    return re.compile(_joined([(p.pattern, bool(p.flags & re.VERBOSE))
                               for p in _shape_parts()]), re.IGNORECASE)


_UNCASED = ("\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u00ab\u00bb\u2026\u00b7\u2022\u2192"
            "\u2190\u203a\u2039\u20ac\u00a3")
"""Typographic marks with no case (dashes, quotes, ellipsis, arrows): they match as
themselves with or without IGNORECASE, so a line of ASCII and these takes the fast test."""
_CASED = re.compile(f"[^\\x00-\\x7f{_UNCASED}]")
"""A character that is neither ASCII nor an uncased mark (one scan at C speed)."""
_FIRSTS = frozenset(map(chr, range(128))) | frozenset(_UNCASED)
"""Every character a lower-cased line taking the fast test can begin with."""


@lru_cache(maxsize=1)
def _ascii_alternatives() -> tuple[tuple[str, bool, frozenset[str] | None], ...]:
    """The top-level alternatives of `_shape_parts` for lower-cased ASCII text, each with
    the characters it can match first (None: any; see `regex_first`)."""
    out = []
    for p in _shape_parts():
        verbose = bool(p.flags & re.VERBOSE)
        for alt in alternatives(p.pattern, verbose):
            alt = ascii_twins(alt)
            out.append((alt, verbose,
                        regex_first(alt, re.VERBOSE if verbose else 0, _FIRSTS)))
    return tuple(out)


@lru_cache(maxsize=1)
def _ascii_shape_pattern() -> re.Pattern[str]:
    """`_any_shape_pattern` for lower-cased ASCII text, without IGNORECASE (about twice
    as fast); compiled on first use."""
    return re.compile(ascii_twins(_joined([(p.pattern, bool(p.flags & re.VERBOSE))
                                           for p in _shape_parts()])))


Matcher = Callable[[str], re.Match[str] | None]
_BY_FIRST: dict[str, Matcher] = {}
"""`any_shape`'s test of a lower-cased ASCII line by its first character: only the
alternatives that can begin with it (see `_by_first`)."""
_SEEN: dict[str, int] = {}
"""Lines `any_shape` tested, by first character, before `_BY_FIRST` has its test."""
_TESTED = [0]
"""Lines `any_shape` tested with the whole pattern, in all."""
DISPATCH_AFTER = 20_000
"""Lines tested with the whole pattern before tests by first character are compiled:
reading the alternatives and compiling the tests costs what some 20,000 lines save
(a file's first 20,000 short lines take the whole pattern)."""
DISPATCH_CHAR = 500
"""Lines beginning with a character before its own test is compiled, after that."""
_NEVER: Matcher = re.compile("(?!)").match


def _by_first(first: str) -> Matcher:
    sources = [(src, verbose) for src, verbose, chars in _ascii_alternatives()
               if chars is None or first in chars or first not in _FIRSTS]
    match = re.compile(_joined(sources)).match if sources else _NEVER
    _BY_FIRST[first] = match
    return match


def _ascii_match(first: str) -> Matcher:
    """The test for a lower-cased ASCII line beginning with `first`: the whole pattern
    until enough lines have been tested (in all, and beginning so) for a test of its
    own to pay for its compiling."""
    seen = _SEEN.get(first, 0) + 1
    _SEEN[first] = seen
    _TESTED[0] += 1
    if seen >= DISPATCH_CHAR and _TESTED[0] >= DISPATCH_AFTER:
        return _by_first(first)
    return _ascii_shape_pattern().match


@lru_cache(maxsize=1)
def _part_matchers() -> tuple[Matcher, ...]:
    """`_shape_parts`, each case-blind as `_any_shape_pattern` reads it."""
    return tuple((p if p.flags & re.IGNORECASE else re.compile(p.pattern, p.flags | re.I)).match
                 for p in _shape_parts())


JOIN_AFTER = 5000
"""Lines with cased letters beyond ASCII tested part by part (`_part_matchers`) before
`_any_shape_pattern` is compiled: one match of it saves some 2 µs on a line against
the parts' ten, its compiling some 12 ms."""
_CASED_TESTED = [0]
"""Lines `any_shape` tested part by part, in all."""


def _cased_shape(text: str) -> bool:
    """`any_shape` of a line with cased letters beyond ASCII."""
    if _CASED_TESTED[0] >= JOIN_AFTER:
        return _any_shape_pattern().match(text) is not None
    _CASED_TESTED[0] += 1
    return any(match(text) is not None for match in _part_matchers())


def any_shape(text: str) -> bool:
    """Whether `text` may be a separator, menu, meta or junk line (one match)."""
    if text.isascii() or _CASED.search(text) is None:
        low = text.lower()
        first = low[:1]
        match = _BY_FIRST.get(first) or _ascii_match(first)
        return match(low) is not None
    return _cased_shape(text)


_MD_DRESS = re.compile(r"^(?:#{1,6}\s+|[*_]{1,2}(?=\S))|(?<=\S)[*_]{1,2}$")


_HASHTAGS = re.compile(r"#[^\W\d_][\w-]*(?:[\s,]+#[^\W\d_][\w-]*)*\Z")


_CARD_META = re.compile(
    rf"(?:{_ENGAGEMENT}|(?:\d+|one)\s*min(?:ute)?s?\.?\s+read)(?:\s*[·•|]\s*.*)?$",
    re.VERBOSE | re.IGNORECASE)


def card_meta(text: str) -> bool:
    """Whether a meta line is what a social platform prints on a post's card: its tags
    (`#rust #beginners`), an engagement count (`12 reactions`), a reading time."""
    return hashtags(text) or _CARD_META.match(text) is not None


def hashtags(text: str) -> bool:
    """Whether a line is hashtags only (`#rust #beginners`): a post's tags (meta), never
    its title."""
    return text[:1] == "#" and _HASHTAGS.match(text) is not None


def bare(text: str) -> str:
    """A line without its Markdown dress: `## Title` → `Title`, `*May 3, 2019*` → `May 3, 2019`."""
    return _MD_DRESS.sub("", text).strip() if text[:1] in "#*_" else text


_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
_FOOTER_WORDS = re.compile(r"permalink|comment|trackback|bookmark|tagged|posted\s+(?:in|by|on)|"
                           r"leave\s+a|categor|response|this\s+entry", re.IGNORECASE)


def _opens_like_meta_only(text: str) -> bool:
    """A paragraph that opens with a footer's words (`Filed under books I did not
    expect to like. A sprawling epic …`): two sentences or more, no date, no `|`, none
    of a footer's words (`This entry was posted in News and tagged rivers. Bookmark
    the permalink.`)."""
    return len(text) > 100 and "|" not in text and not has_digit(text) \
        and _SENTENCE_BREAK.search(text) is not None and _FOOTER_WORDS.search(text) is None


@lru_cache(maxsize=8192)
def kind_of(text: str, order: str | None = None) -> tuple[str, str | None]:
    """The shape of one stripped line and, for a date line, its date (cached: a dump
    prints its titles twice, its separators and widgets in every record)."""
    if not text:
        return BLANK, None
    if text[0] in "#*_":
        if hashtags(text):
            return META, None
        text = bare(text) or text
    n = len(text)
    if n > 300:
        return TEXT, None  # a paragraph: no shape to test
    if n >= 50 and text[-1] in _END_PUNCT and prose(text) and (
            not _META_OPENER.match(text) or _opens_like_meta_only(text)) \
            and (n > 140 or text[-1] != "." or len(text.split()) > 16):
        return TEXT, None  # a sentence: no date line, widget, separator or menu ends like this
    if n <= 200 and (date := date_line(text, order)):
        return DATE, date
    if n <= 40 and day_without_year(text):
        return META, None  # `March 3`: the date slot of a page that omits the year
    if not any_shape(text) and not _marked_meta(text) and not pager_word(text):
        return (TITLE, None) if n <= 250 and _titleish_not_prose(text) else (TEXT, None)
    if n < 120:
        if separator(text):
            return SEP, None
        if nav(text):
            return NAV, None
    if meta(text):
        return META, None
    if n < 160 and (is_junk(text) or SPONSORED.match(text)):
        return JUNK, None
    if n <= 250 and title_like(text) and not prose(text):
        return TITLE, None
    return TEXT, None


BLANK_LINE = Line(0, "", BLANK, shape=BLANK + ":", titleish=False)
"""Every blank line of every window: it has no shape to compute and nothing to remember."""


def classify(raw: list[str], first_no: int = 1, order: str | None = None,
             shaped: list[int] | None = None) -> list[Line]:
    """The lines' shapes, numbered from `first_no` (blank lines are `BLANK_LINE`).

    `shaped`: where the indices of the lines neither blank nor a paragraph are
    added, as `listing.anchors.shaped_lines` would find them (known here at the
    cost of a test on the few lines that are neither)."""
    out: list[Line] = []
    blank = BLANK_LINE
    append = out.append
    end_punct = _END_PUNCT
    opener = _META_OPENER.match
    first = _OPENER_FIRST
    make = Line
    recurring = _RECURRING.setdefault(order, {})
    marks: list[int] = []  # line numbers of the lines for `shaped`
    mark = marks.append
    for no, line in enumerate(raw, first_no):
        text = line.strip()
        if not text:
            append(blank)
            continue
        n = len(text)
        if n > 300 or (n >= 50 and text[-1] in end_punct and text.count(" ") > 15
                       and ((text[0] not in first and not text[0].isdigit())
                            or not opener(text))):
            append(make(no, text, TEXT))  # running text: the common case, decided at once
            # (Yet not a `paragraph`, tested inline in this loop; `text[-2]` is there: 50
            # characters at least.)
            if n <= 250 and (text[-1] != "." or text[-2] == "."):
                mark(no)
            continue
        shape = recurring.get(text)
        if shape is None:
            shape = kind_of(text, order)
            if shape[0] in _TEMPLATE_KINDS:
                if len(recurring) >= _RECURRING_SIZE:
                    recurring.clear()
                recurring[text] = shape
        append(make(no, text, shape[0], shape[1]))
        if shape[0] != TEXT or not paragraph(text):
            mark(no)
    if shaped is not None:
        shaped += [no - first_no for no in marks]
    return out


_TEMPLATE_KINDS = frozenset((DATE, SEP, META, NAV))
"""The kinds of line a template prints again and again (a date, `Read more`, `Posted
in …`), kept apart from `kind_of`'s cache, which titles and captions, each printed once
or twice, keep turning over."""
_RECURRING: dict[str | None, dict[str, tuple[str, str | None]]] = {}
"""`kind_of` of lines of `_TEMPLATE_KINDS`, per numeric date order."""
_RECURRING_SIZE = 4096
"""Lines each memo holds at most (emptied when full: memory stays flat)."""


DAY_KEY = "meta:day"
"""The key of every date line without its year (`March 3`): one slot."""


def key(line: Line) -> str:
    """The shape key lines are grouped by when looking for the record template.

    Date lines group by the words printed before the date (`posted on`,
    `publiziert am`, `by ann,`) and whether anything follows it; other lines
    by their first two words, digits folded.
    """
    if line.shape is None:
        line.shape = _key(line)
    return line.shape


NO_LEAD = "date:"
"""The key of a date line with no word printed before its date (`March 3, 2019`)."""
ANY_DATE = "date:*"
"""The key of every date line, whatever is printed with it (`Ann Lee · 3 May 2020`)."""


def has_key(line: Line, wanted: str | None) -> bool:
    """`key(line) == wanted`, without computing keys that cannot match."""
    if wanted is None or line.kind == BLANK:
        return False
    if wanted == ANY_DATE:
        return line.kind == DATE
    if line.shape is not None:
        return line.shape == wanted
    if not wanted.startswith(line.kind) or wanted[len(line.kind):len(line.kind) + 1] != ":":
        return False
    return key(line) == wanted


def _key(line: Line) -> str:
    return _shape_key(line.kind, line.text[:60])


@lru_cache(maxsize=4096)
def _shape_key(kind: str, text: str) -> str:
    """`key` of a line of this kind whose text begins so (cached: a dump prints its
    date, meta and separator lines in every record, many of them alike; only the
    first 60 characters count, so the cache holds no paragraph; room for ten years of
    distinct dates)."""
    if kind == BLANK:
        return BLANK + ":"
    text = text[:60].casefold()
    if kind == DATE:
        lead_words = re.findall(r"[^\W\d_]+", date_lead(text))[:2]
        return "date:" + " ".join(lead_words)
    if kind == SEP:
        return "sep:"  # `Read More`, `Continue reading`, `Read more »`: one shape
    if kind == META and day_without_year(text):
        return DAY_KEY
    if kind == META and _AGE.search(text):
        return "meta:age"  # `3 hours ago`, `site / 2d`: one slot whatever the age
    if kind == META and (marks := "".join(ch for ch in text if ch in "/·•|")):
        return "meta:" + marks  # `site.org / by ann / 2d`: the shape, not the site
    if kind == META and _DASHED_META.match(text):
        return "meta:–"  # `Ann Lee — 5 min read`: one slot whatever the dash
    return kind + ":" + " ".join(re.sub(r"\d+", "0", text).split()[:2])


def verbatim(line: Line) -> str:
    """The line as boilerplate is compared: exactly as printed, stripped."""
    return line.text


def file_name(text: str) -> bool:
    """An image's file name printed as its alt text (`IMG_1220`, `DSC0042.jpg`)."""
    return _FILE_NAME.match(text) is not None and not text.isdigit()


def literal(text: str) -> str:
    """A line of plain text as Markdown that shows it as printed: a leading `1. `,
    `* `, `# ` or `> ` is escaped rather than read as a list, heading or quote."""
    if not text or text.lstrip()[:1] not in MD_FIRST:
        return text
    m = _MD_MARKER.match(text)
    if m is None:
        return text
    marker = m.group(2)
    cut = len(m.group(1)) + (len(marker.rstrip()) - 1 if marker[0].isdigit() else 0)
    return text[:cut] + "\\" + text[cut:]
