"""What `rectify` shows at a terminal (a pseudo-terminal driven by pexpect, its screen read back through the
pyte terminal emulator) and what it prints when piped (the plain lines scripts and the other tests read)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
import pyte

from tests.conftest import PROJECT_ROOT, rectify

COLS, ROWS = 130, 50  # wide enough for the crawl table's full headers
PROGRESS = re.compile(r"^run \d+ \w+ \[(running|done|failed)\] pages fetched=\d+ new=\d+ changed=\d+ unchanged=\d+ "
                      r"failed=\d+ withdrawn=\d+ open=\d+(; .+)?$")
OUTCOME = re.compile(r"^run \d+ \w+: (done|failed)( \(.+\))?$")


def on_a_terminal(env: dict[str, str], *args: str, timeout: float = 300) -> tuple[int, str, list[str]]:
    """Run `rectify ARGS` on a pseudo-terminal of COLS x ROWS: its exit status, everything it wrote
    (escape sequences included) and the screen it left, line by line, as a terminal shows it."""
    exe = Path(sys.executable).with_name("rectify")
    child = pexpect.spawn(str(exe), list(args), env={**env, "TERM": "xterm-256color"}, cwd=str(PROJECT_ROOT),
                          dimensions=(ROWS, COLS), encoding="utf-8", codec_errors="replace", timeout=timeout)
    child.expect(pexpect.EOF)
    raw = child.before
    child.close()
    screen = pyte.HistoryScreen(COLS, ROWS, history=2000)
    pyte.Stream(screen).feed(raw)
    lines = [_line(row) for row in screen.history.top] + [line.rstrip() for line in screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return child.exitstatus, raw, lines


def _line(row) -> str:  # noqa: ANN001 - a pyte history row
    return "".join(row[x].data for x in sorted(row)).rstrip()


def table(screen: list[str], title: str) -> tuple[int, str, list[str]]:
    """The table under the line starting with `title` on the screen: the title's index, its header line
    and its rows (the lines after the header's rule, up to an empty line or a run's outcome)."""
    at = next(i for i, line in enumerate(screen) if line.startswith(title))
    header = screen[at + 1]
    assert set(screen[at + 2]) == {"─"}, screen[at:at + 3]
    end = next((i for i in range(at + 3, len(screen)) if not screen[i].strip() or OUTCOME.match(screen[i])),
               len(screen))
    return at, header, screen[at + 3:end]


def test_crawl_and_reparse_show_a_live_display_that_ends_cleanly(worker, env, db):
    status, raw, screen = on_a_terminal(env, "crawl", "shandong", "liaoning")
    assert status == 0, "\n".join(screen)
    assert "Traceback" not in raw
    # drawn in place: redrawn many times (cursor up, erase line), one table left on the screen, cursor shown
    assert raw.count("crawl: ") >= 2 and "\x1b[2K" in raw and "\x1b[1A" in raw
    assert raw.rfind("\x1b[?25l") < raw.rfind("\x1b[?25h"), "the cursor is left hidden"
    assert sum(line.startswith("crawl: ") for line in screen) == 1, "\n".join(screen)
    at, header, rows = table(screen, "crawl: ")
    assert screen[at].startswith("crawl: 0 of 2 run(s) going")
    assert header.split() == ["site", "run", "state", "pages", "new", "changed", "unchanged", "failed",
                              "withdrawn", "open", "rate", "elapsed", "waiting", "for"], header
    cells = {line.split()[0]: line.split() for line in rows}
    assert set(cells) == {"shandong", "liaoning"}, rows
    runs = {r["site_id"]: r for r in db.execute("SELECT site_id, pages_fetched, notices_new FROM crawl_runs").fetchall()}
    for site_id, row in cells.items():
        assert row[2] == "done" and int(row[3]) == runs[site_id]["pages_fetched"], row
        assert int(row[4]) == runs[site_id]["notices_new"] > 0 and row[10].endswith("/s"), row
    for name in ("pages", "new", "unchanged", "open"):  # the numbers line up under their headers
        end = header.index(name) + len(name)
        assert all(line[end - 1].isdigit() and line[end] == " " for line in rows), (name, rows)
    # after the table, the outcome of each run, as before
    assert [line for line in screen if OUTCOME.match(line)] == [line for line in screen[at:] if OUTCOME.match(line)]
    assert sorted(line.split()[2] for line in screen[at:] if OUTCOME.match(line)) == ["liaoning:", "shandong:"]

    status, raw, screen = on_a_terminal(env, "reparse", "shandong")
    assert status == 0 and "Traceback" not in raw and raw.rfind("\x1b[?25l") < raw.rfind("\x1b[?25h")
    at, header, rows = table(screen, "reparse: ")
    assert screen[at].startswith("reparse: 0 of 1 run(s) going") and rows[0].split()[:3][::2] == ["shandong", "done"]
    assert OUTCOME.match(screen[-1]) and screen[-1].endswith("shandong: done")


def test_the_live_display_says_what_it_waits_for_and_ends_cleanly_on_an_error(env, db):
    """No worker: the run's row says its item is queued for a worker, the note under the table says none
    consumes the crawl queue; after --wait-for-worker the display stops, the cursor comes back and the
    error is its one line (exit 1)."""
    status, raw, screen = on_a_terminal(env, "crawl", "shandong", "--wait-for-worker", "8", timeout=120)
    assert status == 1 and "Traceback" not in raw
    assert raw.rfind("\x1b[?25l") < raw.rfind("\x1b[?25h"), "the cursor is left hidden"
    at, header, rows = table(screen, "crawl: ")
    assert header.split()[-2:] == ["waiting", "for"] and rows[0].split()[:3] == ["shandong", "1", "running"]
    assert "1 queued for a worker" in rows[0], rows
    rest = screen[at + 3 + len(rows):]
    assert any(line.startswith("no worker is consuming the crawl queue yet; waiting up to 8 s") for line in rest), rest
    error = [i for i, line in enumerate(rest) if line.startswith("rectify crawl: no worker is consuming the crawl queue")]
    assert len(error) == 1 and "(none for 8 s" in rest[error[0]] and error[0] >= len(rest) - 2, rest  # last


def test_waiting_for_in_words():
    from workers.console import waiting_for

    assert waiting_for(None) == "" and waiting_for({"lost": 0, "running": 0, "queued_due": 0, "queued_later": 0}) == ""
    assert waiting_for({"running": 3, "fetching": 2, "queued_due": 4, "queued_later": 0}) == (
        "2 fetching, 1 parsing/storing, 4 queued for a worker")
    assert waiting_for({"running": 0, "queued_due": 6, "queued_later": 1, "retrying": 1, "next_due_in": 459.6,
                        "backed_off": {"a.test": 460.2}}) == (
        "a.test backed off 460 s more (WAF page, Retry-After or server faults), 6 queued, 1 due later (1 to retry), "
        "next in 460 s")
    assert waiting_for({"running": 0, "queued_due": 0, "queued_later": 2, "next_due_in": 0.4}) == (
        "2 due later (host turns), next in 0 s")


def test_status_and_sites_are_tables_with_the_flags_standing_out(worker, env, db):
    assert rectify(env, "crawl", "shandong", "broken").returncode == 1  # broken's run fails: flagged
    status, raw, screen = on_a_terminal(env, "status")
    assert status == 0 and "Traceback" not in raw
    at, header, rows = table(screen, "sites: last run, counts and health flags")
    assert header.split() == ["site", "notices", "last", "run", "pages", "new", "chg", "fail", "flags"], header
    by_site = {line.split()[0]: line for line in rows if not line.startswith(" ")}
    assert {"shandong", "broken", "liaoning"} <= set(by_site)
    flags = header.index("flags")
    assert by_site["broken"][flags:].split()[:2] == ["failing", "no_links"], by_site["broken"]
    assert by_site["liaoning"][flags:].strip() == "probation" and "never crawled" in by_site["liaoning"]
    assert "done" in by_site["shandong"] and by_site["shandong"][flags:].strip() == ""
    notices = header.index("notices") + len("notices")  # right-aligned under its header
    assert all(line[notices - 1].isdigit() for line in by_site.values()), by_site
    # the flags in colour: a failing site's badge on red, probation on grey
    assert re.search(r"\x1b\[[0-9;]*41m failing ", raw) and re.search(r"\x1b\[[0-9;]*m probation ", raw)
    # then the evidence of each flagged site (and its run's error), the sites only on probation together
    after = " ".join(screen[at + 3 + len(rows):])
    assert "broken" in after and "last run" in after and "HTTP 500" in after
    assert "on probation (no notice stored yet" in after and "liaoning" in after.split("on probation")[1]

    status, raw, screen = on_a_terminal(env, "sites")
    assert status == 0 and "Traceback" not in raw
    at, header, rows = table(screen, "site definitions")
    assert header.split() == ["site", "state", "conf.", "column", "how"], header
    by_site = {line.split()[0]: line.split() for line in rows if not line.startswith(" ")}
    assert by_site["shandong"][1:3] == ["verified", "M"] and by_site["anhui"][1] == "probation"
    assert by_site["broken"][1] == "disabled"
    assert re.search(r"\x1b\[[0-9;]*32mverified", raw)  # verified in green


def test_piped_output_stays_plain_lines(worker, env, db):
    forced = {**env, "FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"}  # rich alone would take these for a terminal
    crawl = rectify(forced, "crawl", "shandong")
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    lines = crawl.stdout.splitlines()
    assert lines[0].startswith("started run(s) ") and OUTCOME.match(lines[-1])
    assert len(lines) >= 3 and all(PROGRESS.match(line) for line in lines[1:-1]), lines
    for verb in (("status",), ("sites",), ("reparse", "shandong")):
        out = rectify(forced, *verb).stdout
        assert "\x1b" not in out and "─" not in out, (verb, out)
    status = rectify(forced, "status").stdout.splitlines()
    assert next(line for line in status if line.startswith("shandong")).split()[:3] == ["shandong", "notices", "1"]
    sites = rectify(forced, "sites").stdout.splitlines()
    assert next(line for line in sites if line.startswith("shandong ")).split()[1:3] == ["verified", "[M]"]
