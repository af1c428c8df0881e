"""What every page of the browser suite must pass: no sideways scrolling on a phone and
no serious or critical axe-core violation. `checked(page)` runs both on the page shown;
the `page` fixture (conftest.py) fails a test that loaded a page it never checked."""

from axe_playwright_python.sync_playwright import Axe

PHONE_WIDTH = 390
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()
# The elements that reach past the screen's edge, named for the failure message.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    || e.scrollWidth > Math.max(e.clientWidth, window.innerWidth) + 1)
  .slice(-4)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)"""


def checked(page):
    """Check the page shown at phone width and with axe-core; return the page."""
    page.wait_for_load_state("load")
    size = page.viewport_size
    if size["width"] != PHONE_WIDTH:
        page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
        # Let the page's resize handlers (static/js/tables.js) run before measuring.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
    width = page.evaluate("document.documentElement.scrollWidth")
    # Named while the phone width is on: measured later, nothing reaches past the edge.
    widest = page.evaluate(WIDEST) if width > PHONE_WIDTH else []
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    if size["width"] != PHONE_WIDTH:
        page.set_viewport_size(size)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert width <= PHONE_WIDTH, (
        f"{page.url} scrolls sideways at {PHONE_WIDTH} px: {width} px wide {widest}"
    )
    assert not blocking, f"{page.url} fails axe-core:\n" + "\n".join(blocking)
    page.checked_urls.add(page.url)
    return page


def visit(page, url):
    """Go to a URL and check the page."""
    page.goto(url)
    return checked(page)


def follow(page, locator):
    """Click a link or a submit button that loads a page, and check the page."""
    with page.expect_navigation():
        locator.click()
    return checked(page)
