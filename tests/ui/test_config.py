"""The user config file: read leniently, theme saved without losing the rest."""

from __future__ import annotations

from reader import config as settings
from tests.ui.support import Heard, settle


def test_missing_file_means_defaults(tmp_path):
    config = settings.load(tmp_path / "none.toml")
    assert (config.theme, config.wrap, config.keys, config.problems) == (
        "textual-dark", 80, {}, [])


def test_reads_theme_wrap_and_keys(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\nwrap = 66\n[keys]\n"article.star" = "S"\n'
                    'list.down = ["n", "down"]\n', encoding="utf-8")
    config = settings.load(path)
    assert config.theme == "nord"
    assert config.wrap == 66
    assert config.keys == {"article.star": "S", "list.down": "n,down"}
    assert config.problems == []


def test_bad_values_are_reported_and_ignored(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('wrap = "wide"\ncolour = 1\n[keys]\n"list.up" = 3\n', encoding="utf-8")
    config = settings.load(path)
    assert config.wrap == 80 and config.keys == {}
    assert len(config.problems) == 3


def test_invalid_toml_uses_defaults(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("theme = \n[[[", encoding="utf-8")
    config = settings.load(path)
    assert config.theme == "textual-dark"
    assert "not valid TOML" in config.problems[0]


def test_save_theme_keeps_the_rest(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# mine\nwrap = 70\n\n[keys]\n"article.star" = "S"  # keep\n',
                    encoding="utf-8")
    config = settings.load(path)
    assert settings.save_theme(config, "textual-light") is None
    text = path.read_text(encoding="utf-8")
    assert text.startswith('theme = "textual-light"\n# mine\nwrap = 70')
    assert '"article.star" = "S"  # keep' in text
    settings.save_theme(config, "nord")
    again = settings.load(path)
    assert again.theme == "nord" and again.wrap == 70 and again.keys == {"article.star": "S"}
    assert path.read_text(encoding="utf-8").count("theme =") == 1


async def test_bad_config_is_a_notification_not_a_crash(make_app, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "no-such-theme"\n[keys]\n"no.such" = "x"\n', encoding="utf-8")
    app = make_app(config=settings.load(path))
    heard = Heard()
    async with app.run_test(size=(120, 36), message_hook=heard) as pilot:
        await settle(pilot)
        messages = heard.toasts
        assert any("unknown theme" in m for m in messages)
        assert any("no.such" in m for m in messages)
        assert app.theme == "textual-dark"


def test_quote_template_read_and_checked(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[quotes]\ntemplate = "{quote}\\n-- {title} <{url}>"\n', encoding="utf-8")
    config = settings.load(path)
    assert config.quote_template == "{quote}\n-- {title} <{url}>"
    assert config.problems == []
    path.write_text('[quotes]\ntemplate = "{quote} {nope}"\n', encoding="utf-8")
    config = settings.load(path)
    assert config.quote_template is None
    assert "quotes.template" in config.problems[0] and "nope" in config.problems[0]


async def test_key_names_that_are_not_keys_are_named(make_app, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"article.star" = "S,ctrl+shift+zz"\n"app.help" = "notakey"\n',
                    encoding="utf-8")
    app = make_app(config=settings.load(path))
    heard = Heard()
    async with app.run_test(size=(120, 36), message_hook=heard) as pilot:
        await settle(pilot)
        assert heard.said("ctrl+shift+zz") and heard.said("notakey")
        assert not heard.said("S,")  # the good key is kept, not reported
        await pilot.press("S")  # bound as asked: stars the article under the cursor
        await settle(pilot)
        screen = app.screen
        assert screen.list_pane.article_list.summary(0).starred


async def test_an_earlier_binding_id_still_binds(make_app, tmp_path):
    """The annotations pane's key was `main.notes-pane` before the pane had one name."""
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"main.notes-pane" = "K"\n', encoding="utf-8")
    app = make_app(config=settings.load(path))
    heard = Heard()
    async with app.run_test(size=(120, 36), message_hook=heard) as pilot:
        await settle(pilot)
        assert not heard.said("unknown binding ids")
        await pilot.press("enter")  # open an article, then K shows its annotations
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        assert app.screen.annotation_list.has_focus
