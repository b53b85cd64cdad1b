"""The portal's one stylesheet keeps a cascade that is right by construction (issue 16).

A later rule silently undoing an earlier one is how the desktop layout was lost: `extra.css`
loaded after `style.css` and set `grid-template-columns: 1fr` again at equal specificity, and a
stray `}` after the print block dropped the rule that followed. These checks parse the stylesheet
(tinycss2) and fail on: unbalanced braces, media queries out of order (mobile first, min-width
queries increasing, print last), and a selector setting a layout property again in a later block
of the same media context, or in the base after a media query set it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

tinycss2 = pytest.importorskip("tinycss2")

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "templates" / "static"
STYLESHEET = STATIC / "style.css"

# Properties whose value decides the layout; a second value for one of them at equal specificity
# in the same media context is what undid the desktop grid.
LAYOUT = {"display", "grid-template-columns", "grid-template-rows", "grid-template-areas", "grid-column",
          "grid-row", "flex-direction", "flex-wrap", "flex", "position", "float", "width", "max-width",
          "min-width", "columns", "column-count", "text-align", "overflow-x"}


@dataclass(frozen=True)
class Rule:
    context: str  # "" for the base, else the @media prelude as written ("(min-width: 48rem)")
    selector: str
    properties: dict[str, str]
    position: int  # order in the file


def _clean(text: str) -> str:
    return " ".join(text.split())


def check_braces(css: str) -> list[str]:
    """Unbalanced braces: a stray `}` or a block left open, outside comments and strings."""
    code = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    code = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', code)
    problems, depth = [], 0
    for number, line in enumerate(code.splitlines(), 1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                problems.append(f"line {number}: stray '}}'")
                depth = 0
    if depth:
        problems.append(f"{depth} block(s) left open at the end of the file")
    return problems


def parse_rules(css: str) -> tuple[list[Rule], list[str]]:
    """Style rules with their media context, and the top-level at-rules in order."""
    rules: list[Rule] = []
    at_rules: list[str] = []

    def declarations(block) -> dict[str, str]:
        found = {}
        for item in tinycss2.parse_blocks_contents(block, skip_whitespace=True, skip_comments=True):
            if item.type == "declaration":
                found[item.lower_name] = _clean(tinycss2.serialize(item.value)) + (" !important" if item.important
                                                                                   else "")
        return found

    def walk(nodes, context: str) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                props = declarations(node.content)
                for selector in tinycss2.serialize(node.prelude).split(","):
                    rules.append(Rule(context, _clean(selector), props, len(rules)))
            elif node.type == "at-rule" and node.lower_at_keyword == "media":
                prelude = _clean(tinycss2.serialize(node.prelude))
                if not context:
                    at_rules.append(prelude)
                walk(tinycss2.parse_rule_list(node.content or [], skip_whitespace=True, skip_comments=True), prelude)
            elif node.type == "at-rule" and not context:
                at_rules.append("@" + node.lower_at_keyword)

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True), "")
    return rules, at_rules


def _min_width(prelude: str) -> float | None:
    match = re.fullmatch(r"\(min-width:\s*([0-9.]+)rem\)", prelude)
    return float(match.group(1)) if match else None


def check_media_order(at_rules: list[str]) -> list[str]:
    """Min-width queries (in rem) in increasing order, each once; no max-width query; print last."""
    problems = []
    widths = []
    for prelude in at_rules:
        if "max-width" in prelude:
            problems.append(f"@media {prelude}: write mobile first (base rules, then min-width queries)")
        elif "min-width" in prelude:
            width = _min_width(prelude)
            if width is None:
                problems.append(f"@media {prelude}: a min-width query is one width in rem")
            elif widths and width <= widths[-1]:
                problems.append(f"@media {prelude} comes after (min-width: {widths[-1]}rem): put it in "
                                "increasing order, one block per width")
            else:
                widths.append(width)
    media = [p for p in at_rules if not p.startswith("@")]
    if "print" in media and media[-1] != "print":
        problems.append("@media print must be the last media block")
    if media.count("print") > 1:
        problems.append("one @media print block")
    return problems


def check_no_undoing(rules: list[Rule]) -> list[str]:
    """A layout property of one selector set in two blocks of one media context, or set in the base
    after a min-width query (or the print block) set it for that selector."""
    problems = []
    first: dict[tuple[str, str, str], Rule] = {}
    set_in_media: dict[tuple[str, str], Rule] = {}
    for rule in rules:
        for prop, value in rule.properties.items():
            if prop not in LAYOUT:
                continue
            key = (rule.context, rule.selector, prop)
            earlier = first.get(key)
            if earlier and earlier.position != rule.position and earlier.properties[prop] != value:
                where = f"@media {rule.context}" if rule.context else "the base"
                problems.append(f"{rule.selector} {{ {prop}: {value} }} in {where} undoes "
                                f"{prop}: {earlier.properties[prop]} set earlier in the same context")
            first.setdefault(key, rule)
            if rule.context:
                set_in_media.setdefault((rule.selector, prop), rule)
            elif (rule.selector, prop) in set_in_media:
                media = set_in_media[(rule.selector, prop)]
                problems.append(f"{rule.selector} {{ {prop}: {value} }} in the base comes after @media "
                                f"{media.context} set it: base rules go before the media queries")
    return problems


def stylesheet_problems(css: str) -> list[str]:
    problems = check_braces(css)
    errors = [token for token in tinycss2.parse_component_value_list(css) if token.type == "error"]
    problems += [f"line {token.source_line}: parse error ({token.message})" for token in errors]
    rules, at_rules = parse_rules(css)
    return problems + check_media_order(at_rules) + check_no_undoing(rules)


def test_the_portal_has_one_stylesheet_and_every_page_loads_it():
    assert sorted(path.name for path in STATIC.glob("*.css")) == ["style.css"]
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert base.count('rel="stylesheet"') == 1 and "asset('style.css')" in base
    assert not list((ROOT / "templates").glob("*.html")) or all(
        'rel="stylesheet"' not in path.read_text(encoding="utf-8")
        for path in (ROOT / "templates").glob("*.html") if path.name != "base.html")


def test_the_stylesheet_cascade_is_right_by_construction():
    problems = stylesheet_problems(STYLESHEET.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


GOOD = """
.grid { display: grid; grid-template-columns: 1fr; }
@media (min-width: 48rem) { .grid { grid-template-columns: 1fr 1fr; } }
@media (min-width: 64rem) { .grid { grid-template-columns: repeat(3, 1fr); } }
@media (prefers-color-scheme: dark) { :root { --ink: #fff; } }
@media print { .grid { display: block; } }
"""


@pytest.mark.parametrize("css, expected", [
    (GOOD, None),
    # extra.css's bug: a base rule after the media query resets the grid to one column
    (GOOD + "\n.grid { grid-template-columns: 1fr; }", "in the base comes after @media"),
    # two blocks of one context: the later undoes the earlier
    (GOOD.replace(".grid { grid-template-columns: 1fr 1fr; } }",
                  ".grid { grid-template-columns: 1fr 1fr; } .grid { grid-template-columns: 1fr; } }"),
     "undoes grid-template-columns: 1fr 1fr"),
    # the stray brace after the print block
    (GOOD + "}\n.doc-main { min-width: 0; }", "stray '}'"),
    (GOOD + ".open { display: block;", "left open"),
    # queries out of order, desktop-first, print not last
    (GOOD.replace("64rem", "40rem"), "increasing order"),
    (GOOD + "@media (max-width: 599px) { .x { display: none; } }", "mobile first"),
    (GOOD + "@media (min-width: 90rem) { .x { display: none; } }", "print must be the last"),
])
def test_the_checks_catch_what_undid_the_desktop_layout(css, expected):
    problems = stylesheet_problems(css)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in problem for problem in problems), problems
