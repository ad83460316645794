from tests.ui.support import settle


async def test_opens_on_the_library(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.article_list.ids == store.article_ids()
        assert screen.article_list.has_focus
