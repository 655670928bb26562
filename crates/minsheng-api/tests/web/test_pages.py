"""The web page in a real browser: a person fills the forms, and the figures on the page
equal the CLI's for the same household; explanations, languages, shared links, errors at
their fields, a reform job with its charts, and screenshots of every page."""

import json
import re
import urllib.request

import pytest

from conftest import cli, cli_file, shot


def figure(page, var, entity="me", period=None):
    sel = f'[data-var="{var}"][data-entity="{entity}"]' + (f'[data-period="{period}"]' if period else "")
    return page.locator(sel).first.inner_text()


def plain(text):
    """A figure as the page shows it (`12,345.60`, `−1.00`), as the API writes it."""
    return text.replace(",", "").replace("−", "-")


def ready(page, url):
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")


# The household a person types in below, written out by hand in the situation schema.
FAMILY_2025 = {
    "year": 2025,
    "persons": {
        "me": {"locality": "national", "wage": {"2025-01..2025-12": 22000}, "annual_bonus": {"2025-12": 40000},
               "rent_city": {"2025-01..2025-12": "municipality_capital"}},
        "spouse": {"locality": "national", "wage": {"2025-01..2025-12": 9000}},
        "child1": {"birth_date": "2023-04-10", "claimants": {"me": 50, "spouse": 50}},
    },
    "households": {"home": {"members": ["me", "spouse", "child1"]}},
}
YEAR = ["iit.total", "iit.settlement.balance", "social_insurance.take_home_annual", "income.disposable",
        "social_insurance.employer_cost_annual"]
MONTH = ["iit.withholding.wage_tax", "social_insurance.take_home", "social_insurance.employee_total"]


def fill_family(page):
    page.get_by_label("月工资（元）", exact=True).fill("22000")
    page.get_by_label("全年一次性奖金（元）", exact=True).fill("40000")
    page.get_by_role("button", name="添加子女").click()
    page.get_by_label("出生日期 1", exact=True).fill("2023-04-10")
    page.get_by_label("配偶也有工资", exact=True).check()
    page.get_by_label("配偶月工资（元）", exact=True).fill("9000")
    page.get_by_label("子女扣除分配", exact=True).select_option("50")
    page.get_by_label("住房", exact=True).select_option("rent_municipality_capital")


def test_a_family_typed_in_gets_the_figures_of_the_cli(server, page):
    ready(page, server + "/")
    fill_family(page)
    page.get_by_role("button", name="计算", exact=True).click()
    page.wait_for_selector('#results [data-var="iit.total"][data-entity="spouse"]')
    expected = cli(FAMILY_2025, YEAR + MONTH)
    for who in ["me", "spouse"]:
        figures = expected["persons"][who]["figures"]["baseline"]
        for var in YEAR:
            assert plain(figure(page, var, who, "2025")) == figures[var]["2025"], (who, var)
        for var in MONTH:
            for month in ["2025-01", "2025-07", "2025-12"]:
                assert plain(figure(page, var, who, month)) == figures[var][month], (who, var, month)
    # The bonus: which method the settlement takes is named on the page.
    assert page.get_by_text(re.compile("单独计税|并入综合所得")).count() >= 1
    # The values below high confidence the figures rest on, as the document lists them: the
    # employee medical rate (M) is among those the CLI's figures read, and the page's too.
    assert any(p["parameter"] == "social_insurance.contributions.medical_employee_rate"
               for p in expected["confidence"]["parameters"])
    note = page.locator("#results details.confidence")
    items = note.locator("li")
    assert note.locator("summary").inner_text().startswith(f"{items.count()} ")
    assert "social_insurance.contributions.medical_employee_rate" in note.text_content()
    assert all(re.search(r"· (medium|low) ·", items.nth(i).text_content()) for i in range(items.count()))
    shot(page, "tax-family-zh-desktop")


def test_an_explanation_opens_with_its_parameters_and_citations(server, page):
    ready(page, server + "/#/tax?w=30000")
    page.wait_for_selector('#results [data-var="iit.total"]')
    page.locator('#results .stat [data-var="iit.total"]').first.click()
    dialog = page.locator("#explain")
    dialog.wait_for(state="visible")
    dialog.locator(".tree").wait_for()
    assert "个人所得税合计" in dialog.inner_text()
    # Expand the whole tree: the rate table and the law behind it are there.
    for _ in range(6):
        closed = dialog.locator("details:not([open]) > summary")
        if closed.count() == 0:
            break
        for i in range(closed.count()):
            closed.nth(0).click()
    text = dialog.inner_text()
    assert "个人所得税法" in text and "⚙" in text, text[:500]
    shot(page, "explain-zh-desktop")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")


def test_switching_language_keeps_the_household_and_its_figures(server, page):
    ready(page, server + "/#/tax?w=18000&b=20000")
    page.wait_for_selector('#results [data-var="iit.total"]')
    zh_tax = figure(page, "iit.total", "me", "2025")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en#/tax\?"))
    page.wait_for_selector('#results [data-var="iit.total"]')
    assert page.get_by_label("Monthly wage (yuan)", exact=True).input_value() == "18000"
    assert figure(page, "iit.total", "me", "2025") == zh_tax
    assert "Individual income tax, total" in page.content()  # the rule book's own English label
    shot(page, "tax-en-desktop")
    page.get_by_role("link", name="中文").click()
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/#/tax"))


def test_a_shared_link_reopens_the_same_household(server, page):
    link = server + "/#/tax?y=2024&w=26000&k=2019-02-01,2024-05-20&hs=mortgage&el=only_child&elb=1955-03-01"
    ready(page, link)
    page.wait_for_selector('#results [data-var="iit.total"]')
    assert page.get_by_label("月工资（元）", exact=True).input_value() == "26000"
    assert page.get_by_label("出生日期 2", exact=True).input_value() == "2024-05-20"
    situation = {"year": 2024, "persons": {
        "me": {"locality": "national", "wage": {"2024-01..2024-12": 26000}, "elderly_support": {"2024": "only_child"},
               "elderly_parent_birth_date": "1955-03-01", "first_home_mortgage": {"2024-01..2024-12": True}},
        "child1": {"birth_date": "2019-02-01", "claimants": {"me": 100}},
        "child2": {"birth_date": "2024-05-20", "claimants": {"me": 100}}},
        "households": {"home": {"members": ["me", "child1", "child2"]}}}
    expected = cli(situation, ["iit.total", "iit.settlement.balance"])["persons"]["me"]["figures"]["baseline"]
    assert plain(figure(page, "iit.total", "me", "2024")) == expected["iit.total"]["2024"]
    assert plain(figure(page, "iit.settlement.balance", "me", "2024")) == expected["iit.settlement.balance"]["2024"]


def test_bad_input_is_shown_at_its_field(server, page):
    ready(page, server + "/")
    page.get_by_label("月工资（元）", exact=True).fill("12000.505")
    page.get_by_role("button", name="计算", exact=True).click()
    wage = page.locator('[data-field="w"]')
    assert "两位小数" in wage.locator(".error").inner_text()
    assert wage.get_attribute("class").find("invalid") >= 0
    # An error only the rules know comes back from the API and lands at its field too.
    page.get_by_label("月工资（元）", exact=True).fill("12000")
    page.get_by_label("赡养老人", exact=True).select_option("shared")
    page.get_by_label("本人每月分摊额（元）", exact=True).fill("5000")
    page.get_by_role("button", name="计算", exact=True).click()
    parent = page.locator('[data-field="elb"] .error')
    parent.wait_for(state="visible")
    assert "出生日期" in parent.inner_text()
    # With the parent's birth date, the share over the cap is refused at its own field.
    page.get_by_label("老人出生日期", exact=True).fill("1950-01-01")
    page.get_by_role("button", name="计算", exact=True).click()
    share = page.locator('[data-field="ela"] .error')
    share.wait_for(state="visible")
    assert share.inner_text().strip() != ""
    assert "invalid" in page.locator('[data-field="ela"]').get_attribute("class")
    assert page.locator('[data-field="elb"] .error').inner_text() == ""
    shot(page, "tax-error-zh-desktop")


def test_retirement_and_the_pension_estimate(server, page):
    ready(page, server + "/#/retire")
    page.get_by_label("出生日期", exact=True).fill("1966-08-20")
    page.get_by_label("缴费年限（年，含视同缴费）", exact=True).fill("35")
    page.get_by_label("平均缴费指数", exact=True).fill("1.2")
    page.get_by_label("个人账户余额（元，可空）", exact=True).fill("150000")
    page.get_by_label("当地计发基数（元/月，可空）", exact=True).fill("12000")
    page.get_by_role("button", name="计算", exact=True).click()
    page.wait_for_selector('[data-var="pension.initial_monthly"]')
    situation = {"year": 2026, "persons": {"me": {"birth_date": "1966-08-20", "retirement_group": "male", "locality": "national",
                 "contribution_months": 420, "average_contribution_index": 1.2, "personal_account_balance": 150000, "pension_base": 12000}}}
    outputs = ["pension.statutory_retirement_month", "pension.initial_monthly", "pension.basic_at_retirement"]
    expected = cli(situation, outputs)["persons"]["me"]["figures"]["baseline"]
    text = page.locator("main").inner_text()
    assert expected["pension.statutory_retirement_month"]["eternity"] in text
    assert plain(figure(page, "pension.initial_monthly", "me")) == expected["pension.initial_monthly"]["eternity"]
    assert plain(figure(page, "pension.basic_at_retirement", "me")) == expected["pension.basic_at_retirement"]["eternity"]
    shot(page, "retire-zh-desktop")


def test_earnings_curves_name_the_rules_at_their_kinks(server, page):
    ready(page, server + "/en#/curves?w=15000&to=40000&step=2000")
    page.wait_for_selector("#kink-list li")
    assert page.locator("canvas").count() == 2
    kinks = page.locator("#kink-list").inner_text()
    assert "Social insurance contribution base" in kinks, kinks
    shot(page, "curves-en-desktop")


def test_parameters_show_their_history_and_the_changes_between_dates(server, page):
    ready(page, server + "/#/params")
    page.get_by_label("搜索参数", exact=True).fill("婴幼儿")
    page.locator(".ptree button").first.click()
    page.wait_for_selector("#param-detail table")
    assert "国发〔2022〕8号" in page.locator("#param-detail").inner_text()
    page.get_by_role("button", name="比较").click()
    page.wait_for_selector("#diff-out table")
    assert "婴幼儿" in page.locator("#diff-out").inner_text()
    shot(page, "params-zh-desktop")


def test_a_reform_is_built_run_as_a_job_and_charted(server, page):
    ready(page, server + "/#/reform")
    page.wait_for_selector("#f-shipped option[value='no-2023-deduction-rise']", state="attached")
    page.get_by_label("从内置方案开始", exact=True).select_option("no-2023-deduction-rise")
    # One more change by hand: the basic deduction, from the parameter tree.
    page.get_by_label("搜索参数", exact=True).fill("basic_deduction")
    page.locator(".ptree button").first.click()
    page.wait_for_selector("#change-form")
    page.get_by_label("新值", exact=True).fill("72000")
    page.get_by_role("button", name="加入改革").click()
    assert page.locator("#change-list li").count() == 5
    page.get_by_label("样本人数", exact=True).select_option("20000")
    page.get_by_role("button", name="运行测算").click()
    page.wait_for_selector("#net-budget", timeout=120_000)
    page.wait_for_timeout(300)
    assert page.locator("#reform-results canvas").count() == 4
    # The page's net budget effect is the job's, as the API reports it.
    job = re.search(r"job=(sim-\d+)", page.url).group(1)
    done = json.loads(urllib.request.urlopen(f"{server}/api/v1/simulations/{job}").read())
    result = done["result"]
    # Rounded to what its standard error supports (two significant digits of it), the error beside it.
    shown = float(page.locator("#net-budget").inner_text().replace(",", ""))
    se = result["net_budget_change_se_yi"][0]
    assert se > 0 and shown == pytest.approx(result["net_budget_change_yi"][0], abs=max(0.05, se / 10))
    assert page.locator("#net-budget-se").inner_text().startswith("±")
    assert "标准误" in page.locator("#sampling-note").inner_text()
    changes = done["request"]["reforms"][0]["changes"]
    assert {"parameter": "iit.comprehensive.basic_deduction_annual", "from": "2023-01-01", "amount": "72000"} in changes, changes
    # The shipped reform alone raises revenue; with the higher basic deduction the reform costs less than that.
    alone = json.dumps({"year": 2023, "persons": 20000, "reforms": ["no-2023-deduction-rise"]}).encode()
    request = urllib.request.Request(f"{server}/api/v1/simulations", data=alone, headers={"Content-Type": "application/json"})
    job_alone = json.loads(urllib.request.urlopen(request).read())["id"]
    for _ in range(600):
        other = json.loads(urllib.request.urlopen(f"{server}/api/v1/simulations/{job_alone}").read())
        if other["status"] == "done":
            break
        page.wait_for_timeout(100)
    assert result["net_budget_change_yi"][0] < other["result"]["net_budget_change_yi"][0]
    shot(page, "reform-job-zh-desktop")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width,name", [(1280, "desktop"), (390, "phone")])
def test_every_page_renders_at_desktop_and_phone_widths(server, browser, lang, width, name):
    context = browser.new_context(viewport={"width": width, "height": 860})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = server + ("/en" if lang == "en" else "/")
    for tab in ["tax", "retire", "curves", "reform", "params"]:
        ready(page, f"{base}#/{tab}")
        page.wait_for_timeout(700)
        # Nothing wider than the screen but the tables and charts, which scroll in their boxes.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{tab} {lang} {name}: {overflow}px wider than the screen"
        shot(page, f"{tab}-{lang}-{name}")
    context.close()
    assert not errors, errors


def test_a_situation_downloads_as_json_and_yaml_and_uploads_again(server, page, tmp_path):
    ready(page, server + "/#/tax?w=21000&b=30000&k=2022-09-01")
    page.wait_for_selector('#results [data-var="iit.total"]')
    before = figure(page, "iit.total", "me", "2025")
    with page.expect_download() as d:
        page.get_by_role("button", name="下载情形 JSON").click()
    as_json = tmp_path / "situation.json"
    d.value.save_as(as_json)
    with page.expect_download() as d:
        page.get_by_role("button", name="下载情形 YAML").click()
    as_yaml = tmp_path / "situation.yaml"
    d.value.save_as(as_yaml)
    situation = json.loads(as_json.read_text())
    assert situation["persons"]["me"]["wage"] == {"2025-01..2025-12": 21000}
    # The CLI reads both files the page wrote and gives the figure the page shows.
    for path in [as_json, as_yaml]:
        expected = cli_file(path, ["iit.total"])["persons"]["me"]["figures"]["baseline"]["iit.total"]["2025"]
        assert plain(before) == expected, path
    # Uploaded again (the YAML), the same household gives the same figure.
    page.get_by_label("上传情形（JSON 或 YAML）", exact=True).set_input_files(str(as_yaml))
    page.wait_for_selector("#results .notice")
    page.wait_for_selector('#results [data-var="iit.total"]')
    assert "situation.yaml" in page.locator("#results").inner_text()
    assert figure(page, "iit.total", "me", "2025") == before


def test_children_removed_and_added_again_keep_the_form_working(server, page):
    ready(page, server + "/")
    add = page.get_by_role("button", name="添加子女")
    add.click()
    add.click()
    page.get_by_label("出生日期 1", exact=True).fill("2019-03-01")
    page.get_by_label("出生日期 2", exact=True).fill("2022-07-01")
    page.get_by_role("button", name="删除子女 1").click()
    add.click()
    assert page.get_by_label("出生日期 1", exact=True).input_value() == "2022-07-01"
    page.get_by_label("出生日期 2", exact=True).fill("2020-01-01")
    page.get_by_role("button", name="计算", exact=True).click()
    page.wait_for_selector('#results [data-var="iit.total"]')
    situation = {"year": 2025, "persons": {
        "me": {"locality": "national", "wage": {"2025-01..2025-12": 15000}},
        "child1": {"birth_date": "2022-07-01", "claimants": {"me": 100}},
        "child2": {"birth_date": "2020-01-01", "claimants": {"me": 100}}},
        "households": {"home": {"members": ["me", "child1", "child2"]}}}
    expected = cli(situation, ["iit.total"])["persons"]["me"]["figures"]["baseline"]["iit.total"]["2025"]
    assert plain(figure(page, "iit.total", "me", "2025")) == expected


def test_fields_that_do_not_apply_are_hidden(server, page):
    ready(page, server + "/")
    elderly = page.get_by_label("赡养老人", exact=True)
    elderly.select_option("only_child")
    assert not page.get_by_label("分摊人数（含本人）", exact=True).is_visible()
    assert not page.get_by_label("本人每月分摊额（元）", exact=True).is_visible()
    assert page.get_by_label("老人出生日期", exact=True).is_visible()
    elderly.select_option("shared_equally")
    assert page.get_by_label("分摊人数（含本人）", exact=True).is_visible()


def test_the_difference_between_dates_shows_values_not_records(server, page):
    ready(page, server + "/en#/params")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#diff-out table")
    text = page.locator("#diff-out").inner_text()
    assert "citation" not in text and "{" not in text, text[:300]
    assert "2000.00" in text


def test_a_shipped_reform_runs_on_its_own_year(server, page):
    ready(page, server + "/#/reform")
    page.wait_for_selector("#f-shipped option[value='gwr-2022']", state="attached")
    page.get_by_label("从内置方案开始", exact=True).select_option("gwr-2022")
    assert page.get_by_label("测算年度", exact=True).input_value() == "2021"
    page.get_by_label("测算年度", exact=True).select_option("2024")
    page.get_by_role("button", name="运行测算").click()
    error = page.locator('[data-field="ry"] .error')
    error.wait_for(state="visible")
    assert "2021" in error.inner_text()


def test_a_projection_from_the_record_so_far_compares_the_window(server, page):
    ready(page, server + "/#/retire")
    page.get_by_label("缴费记录截至", exact=True).select_option("now")
    page.get_by_label("出生日期", exact=True).fill("1970-03-10")
    page.get_by_label("缴费年限（年，含视同缴费）", exact=True).fill("25")
    page.get_by_label("平均缴费指数", exact=True).fill("1")
    page.get_by_label("个人账户余额（元，可空）", exact=True).fill("90000")
    page.get_by_label("当地计发基数（元/月，可空）", exact=True).fill("10000")
    page.get_by_label("当前月缴费基数（元）", exact=True).fill("9000")
    page.get_by_role("button", name="计算", exact=True).click()
    page.wait_for_selector("#projection tbody tr")
    rows = page.locator("#projection tbody tr")
    assert rows.count() >= 6, rows.count()
    statutory = page.locator("#projection tr.statutory")
    assert statutory.count() == 1
    # The page shows what the API computes for the same request.
    import json, urllib.request
    body = {"situation": {"year": 2026, "persons": {"me": {"birth_date": "1970-03-10", "retirement_group": "male", "locality": "national",
            "contribution_months": 300, "average_contribution_index": 1, "personal_account_balance": 90000}}},
            "monthly_base": "9000", "pension_base": "10000", "average_wage": "9000.00"}
    request = urllib.request.Request(server + "/api/v1/pension/projection", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    expected = json.load(urllib.request.urlopen(request))
    point = next(p for p in expected["points"] if p["statutory"])
    row = statutory.first.inner_text()
    assert point["retirement_month"] in row, row
    assert plain_money(point["monthly"]) in row, (point["monthly"], row)
    assert page.locator("#assumptions li").count() == len(expected["assumptions"])
    assert page.locator("canvas").count() == 1
    assert "#/retire?" in page.url and "m=now" in page.url
    shot(page, "retire-projection-zh-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    shot(page, "retire-projection-zh-phone")


def plain_money(s):
    whole, frac = s.split(".")
    return "{:,}".format(int(whole)) + "." + frac


def test_a_projected_year_says_so_and_lists_the_law_carried_forward(server, page):
    ready(page, server + "/#/reform?ry=2027")
    assert "预测" in page.get_by_label("测算年度", exact=True).inner_text()
    page.get_by_label("搜索参数", exact=True).fill("basic_deduction")
    page.locator(".ptree button").first.click()
    page.wait_for_selector("#change-form")
    page.get_by_label("新值", exact=True).fill("72000")
    page.get_by_role("button", name="加入改革").click()
    assert "2027-01-01" in page.locator("#change-list").inner_text()
    page.get_by_label("样本人数", exact=True).select_option("20000")
    page.get_by_role("button", name="运行测算").click()
    page.wait_for_selector("#projected-note", timeout=120_000)
    assert "预测年度" in page.locator("#projected-note").inner_text()
    carried = page.locator("#projected-note + ul")
    assert carried.locator("li").count() >= 10
    assert "local.national.average_wage_annual" in carried.inner_text()
    shot(page, "reform-projected-zh-desktop")
