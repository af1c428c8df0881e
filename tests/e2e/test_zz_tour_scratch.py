from axe_playwright_python.sync_playwright import Axe

from grants.models import Grant
from members.models import Organisation
from tests.e2e.conftest import log_in

axe = Axe()


def report(page, url, out):
    page.goto(url)
    page.set_viewport_size({"width": 390, "height": 900})
    w = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392).slice(0,6).map(e => e.tagName+'.'+e.className+' '+Math.round(e.getBoundingClientRect().right))""")
    r = axe.run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in r if v["impact"] in ("serious", "critical")]
    page.set_viewport_size({"width": 1366, "height": 900})
    out.write(f"{url} width={w} wide={wide}\n  axe={bad}\n")
    page.checked_urls.add(page.url)


def test_tour(site, page):
    out = open("/tmp/w7/tour.txt", "w")
    page.goto(site + "/accounts/login/")
    page.get_by_label("Nama pengguna").fill("staf-sleman")
    page.get_by_label("Sandi").fill("demo")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.checked_urls.update({site + "/accounts/login/", page.url})
    lks = Organisation.objects.filter(body__slug="sleman", registrations__isnull=False).first()
    grant = Grant.objects.filter(funder__body__slug="sleman", disbursements__isnull=False).first()
    for u in ["/", "/members/", f"/members/{lks.pk}/", "/programs/", "/programs/activities/", "/grants/", f"/grants/{grant.pk}/", "/grants/expenditures/", "/due/", "/members/new/", f"/reports/grants/{grant.pk}/lpj/", "/reports/annual/", "/compare/", "/accounts/login/"]:
        try:
            report(page, site + u, out)
        except Exception as e:
            out.write(f"{u} ERR {e}\n")
    out.close()
