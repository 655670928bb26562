"""The population run's charts in a browser that has no CJK font: the font each SVG embeds
loads and draws the Chinese (screenshots in target/web-screenshots/chart-*.png)."""

import os
import subprocess

import pytest
from playwright.sync_api import sync_playwright

from conftest import BINARY, CHROMIUM, ROOT, SHOTS

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture(scope="module")
def charts(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    subprocess.run([str(BINARY), "sim", "--year", "2025", "--persons", "20000", "--reform",
                    str(ROOT / "reforms" / "no-childcare-subsidy-2025.yaml"), "--out", str(out)],
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def latin_only_page(tmp_path_factory):
    """A page of a Chromium whose fontconfig knows DejaVu only: no CJK font at all."""
    conf = tmp_path_factory.mktemp("fontconfig")
    (conf / "fonts.conf").write_text(FONTS_CONF.format(cache=conf / "cache"))
    env = dict(os.environ, FONTCONFIG_FILE=str(conf / "fonts.conf"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], env=env)
        page = browser.new_page(viewport={"width": 820, "height": 760})
        yield page
        browser.close()


def embedded_font_status(page):
    page.wait_for_function("document.fonts.status === 'loaded'")
    return page.evaluate("[...document.fonts].filter(f => f.family.includes('minsheng-cjk')).map(f => f.status)")


@pytest.mark.parametrize("name", ["budget", "deciles", "deciles-relative"])
def test_each_chart_draws_its_chinese_with_the_font_it_embeds(charts, latin_only_page, name):
    svg = charts / f"{name}.svg"
    text = svg.read_text()
    assert "@font-face" in text and ("各项目" in text or "十等分组" in text)
    latin_only_page.goto(svg.as_uri())
    assert embedded_font_status(latin_only_page) == ["loaded"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    latin_only_page.screenshot(path=str(SHOTS / f"chart-{name}.png"))


def test_without_the_embedded_font_that_browser_has_no_font_for_the_chinese(charts, latin_only_page, tmp_path):
    """The control: the same chart without its @font-face loads no font of its own there
    (the screenshot, chart-budget-bare.png, shows boxes for the Chinese)."""
    bare = tmp_path / "bare.svg"
    text = (charts / "budget.svg").read_text()
    start, end = text.index("<style>"), text.index("</style>") + len("</style>")
    bare.write_text(text[:start] + text[end:])
    latin_only_page.goto(bare.as_uri())
    assert embedded_font_status(latin_only_page) == []
    latin_only_page.screenshot(path=str(SHOTS / "chart-budget-bare.png"))
