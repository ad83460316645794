"""Per-site templates: a user's correction of how a site's dumps are split, remembered.

When the template `reader import --preview` shows for a dump is wrong, say
what the records look like once, in a small TOML file in the `sites` folder
beside the config file (`reader import --preview` prints its path and a file
to start from). Every later dump whose first lines contain `match` is split
with it:

```toml
# ~/.config/reader/sites/example-blog.toml
match = "Example Blog"            # text printed near the top of this site's pages
date = "^Posted on "              # a line printed with every record (a regular expression)
date_position = "under"           # under the title | above it | footer (after the body)
separator = "^Continue reading"   # optional: the line that closes every record
# title = "^[A-Z].{10,}$"         # optional instead of date: every title line matches this
```

Patterns are Python regular expressions matched against each stripped line
(`re.search`, case-insensitive). A file that cannot be read or holds a bad
pattern is reported on one line and ignored.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.archive.lines import DATE, META, SEP, TITLE, Line
from reader.dates import parse_date

POSITIONS = {"under": "head", "above": "above", "footer": "foot"}
MATCH_LINES = 200
"""How far from the top a site's `match` text is looked for."""


class SiteError(ValueError):
    """A site template file that cannot be used; the message is one line."""


@dataclass(frozen=True, slots=True)
class Site:
    """One site's remembered template."""

    name: str
    match: str
    date: re.Pattern[str] | None = None
    position: str = "under"
    separator: re.Pattern[str] | None = None
    title: re.Pattern[str] | None = None

    @property
    def start(self) -> str:
        if self.title is not None:
            return "title"
        if self.date is not None:
            return POSITIONS[self.position]
        return "foot"

    @property
    def anchor(self) -> str:
        if self.title is not None:
            return "site:title"
        return "site:date" if self.date is not None else "site:sep"

    @property
    def foot(self) -> str | None:
        if self.separator is not None:
            return "site:sep"
        return "site:date" if self.start == "foot" else None


def sites_dir() -> Path:
    """The `sites` folder beside the config file."""
    from reader.config import default_path

    return default_path().parent / "sites"


def _pattern(value: object, field: str) -> re.Pattern[str] | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise SiteError(f"{field} must be a non-empty string")
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise SiteError(f"{field} is not a valid pattern ({exc})") from None


def read_site(path: Path) -> Site:
    """One site template file, or SiteError saying what is wrong with it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"not valid TOML ({exc})") from None
    match = data.get("match")
    if not isinstance(match, str) or not match.strip():
        raise SiteError("`match` (text printed near the top of the site's pages) is required")
    position = data.get("date_position", "under")
    if position not in POSITIONS:
        raise SiteError(f"date_position must be one of {', '.join(POSITIONS)}")
    site = Site(path.stem, match.strip(), _pattern(data.get("date"), "date"), position,
                _pattern(data.get("separator"), "separator"), _pattern(data.get("title"), "title"))
    if site.date is None and site.separator is None and site.title is None:
        raise SiteError("name at least one of `date`, `separator` or `title`")
    return site


def load_sites(folder: Path | None = None, problems: list[str] | None = None) -> list[Site]:
    """Every usable site template in `folder` (default: `sites_dir()`), by file name."""
    folder = folder or sites_dir()
    if not folder.is_dir():
        return []
    sites = []
    for path in sorted(folder.glob("*.toml")):
        try:
            sites.append(read_site(path))
        except SiteError as exc:
            if problems is not None:
                problems.append(f"{path.name}: {exc}")
    return sites


def find_site(texts: Iterable[str], sites: list[Site]) -> Site | None:
    """The first site whose `match` text is printed in the dump's first lines."""
    if not sites:
        return None
    head = "\n".join(line for _, line in zip(range(MATCH_LINES), texts, strict=False))
    return next((s for s in sites if s.match in head), None)


def mark(lines: list[Line], site: Site) -> None:
    """Give the lines the site's patterns name their shape, overriding induction."""
    for line in lines:
        if not line.text:
            continue
        if site.title is not None and site.title.search(line.text):
            line.kind, line.shape = TITLE, "site:title"
        elif site.date is not None and site.date.search(line.text):
            line.date = line.date or parse_date(line.text)
            line.kind = DATE if line.date else META
            line.shape = "site:date"
        elif site.separator is not None and site.separator.search(line.text):
            line.kind, line.shape = SEP, "site:sep"
        elif line.shape is not None and line.shape.startswith("site:"):
            line.shape = None


def _escape(text: str) -> str:
    return re.escape(text).replace("\\ ", " ")


def _pattern_of(text: str, lead: int) -> str:
    """A pattern for lines shaped like `text`: its first `lead` words as printed,
    then words and numbers of any value (`^Posted on \\w+\\S* \\d+`)."""
    out = []
    for n, token in enumerate(text.split()[:max(lead, 1) + 2]):
        if any(ch.isdigit() for ch in token):
            out.append(r"\d+\S*")
        elif n < lead:
            out.append(_escape(token))
        else:
            out.append(r"\S+")
    return "^" + r"\s+".join(out)


def example(lines: list[Line], template_start: str, anchor: str | None,
            foot: str | None) -> str:
    """A site template file to start from, filled in from what was inferred."""
    from reader.archive.lines import has_key

    def sample(shape: str | None) -> str | None:
        if shape is None:
            return None
        line = next((x for x in lines if has_key(x, shape)), None)
        if line is None:
            return None
        lead = len(shape.split(":", 1)[1].strip("*").split()) if shape.startswith("date:") \
            else 2
        return _pattern_of(line.text, lead)

    position = {v: k for k, v in POSITIONS.items()}.get(template_start, "under")
    name = next((x.text for x in lines if x.kind == TITLE and len(x.text.split()) >= 2
                 and not x.text.lower().startswith("skip to")), "")
    out = [f"match = {_toml(name[:40])}"]
    date = sample(anchor) if template_start in POSITIONS.values() else None
    if date:
        out += [f"date = {_toml(date)}", f'date_position = "{position}"']
    sep = sample(foot)
    if sep and sep != date:
        out.append(f"separator = {_toml(sep)}")
    if not date and not sep:
        out.append('# date = "^Posted on "')
    return "\n".join(out)


def _toml(text: str) -> str:
    """A TOML string: literal (`'^Posted\\s+on'`) when it can be, else escaped."""
    if "'" not in text and "\n" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
