"""What `rectify` shows a person at a terminal, drawn with rich: the live progress of crawl runs (`crawl`,
`run`, `reparse`) and aligned tables (`status`, `sites`). When standard output is no terminal (piped,
redirected, captured) every verb prints the plain lines it always printed, which scripts and the tests
read; nothing here changes them."""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

# flags of the site_health view, by how loudly they show: the site delivers nothing / less than it should /
# not yet confirmed
FLAG_STYLE = {"failing": "bold white on red", "blocked": "bold white on red", "no_links": "bold white on red",
              "quiet": "black on yellow", "fill_rate_drop": "black on yellow", "pages_missed": "black on yellow",
              "links_not_stored": "black on yellow", "script_list": "black on yellow", "probation": "white on grey39"}
STATE_STYLE = {"done": "green", "failed": "bold red", "running": "yellow", "verified": "green",
               "probation": "grey62", "disabled": "dim"}


def on_terminal(stream: TextIO | None = None) -> bool:
    """A person is watching: the stream is a terminal that understands escape sequences."""
    stream = stream or sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and os.environ.get("TERM", "") != "dumb"


def console(stream: TextIO | None = None) -> Console:
    return Console(file=stream or sys.stdout, force_terminal=True, highlight=False)


def flag_text(flags: Iterable[str]) -> Text:
    text = Text()
    for flag in flags:
        if text:
            text.append(" ")
        text.append(f" {flag} ", style=FLAG_STYLE.get(flag, "black on yellow"))
    return text


# -- the progress of crawl runs ------------------------------------------------------------------------

def waiting_for(waits: dict[str, Any] | None) -> str:
    """In words, what the open items of a running run wait for (run_waits of queries.sql): fetches and
    parses going on, hosts backed off, a worker to take queued work, a host's turn or a retry's back-off."""
    if not waits:
        return ""
    parts = []
    if waits.get("fetching"):
        parts.append(f"{waits['fetching']} fetching")
    busy = (waits.get("running") or 0) - (waits.get("fetching") or 0)
    if busy > 0:
        parts.append(f"{busy} parsing/storing")
    backed_off = sorted((waits.get("backed_off") or {}).items(), key=lambda hs: -hs[1])
    for host, left in backed_off[:2]:
        parts.append(f"{host} backed off {left:.0f} s more (WAF page, Retry-After or server faults)")
    if len(backed_off) > 2:
        parts.append(f"{len(backed_off) - 2} more hosts backed off")
    if waits.get("queued_due"):
        parts.append(f"{waits['queued_due']} queued" + ("" if backed_off else " for a worker"))
    later = waits.get("queued_later") or 0
    if later:
        why = f"{waits['retrying']} to retry" if waits.get("retrying") else "host turns"
        parts.append(f"{later} due later ({why}), next in {max(0.0, waits.get('next_due_in') or 0):.0f} s")
    return ", ".join(parts)


class PlainProgress:
    """One line per run whenever its line changes: what `rectify crawl` always printed when piped."""

    detailed = False  # its lines say what they always said

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def show(self, rows: list[dict[str, Any]], lines: dict[int, str], changed: set[int],
             waits: dict[int, dict[str, Any] | None], lost: dict[int, str]) -> None:
        if self.quiet:
            return
        for row in rows:
            if row["run_id"] in changed:
                print(lines[row["run_id"]], flush=True)

    def note(self, message: str) -> None:
        print(message, flush=True)


class LiveProgress:
    """A table that redraws in place, one row per run: pages, notices new/changed/unchanged/failed/withdrawn,
    open items, the rate of pages, how long it has run, and what it waits for; notes (no worker yet) under
    it. Stopped, it leaves its last state on the screen."""

    WINDOW = 15.0  # seconds of samples the rate is measured over
    detailed = True  # wants the hosts backed off too

    def __init__(self, out: Console | None = None, title: str = "crawl") -> None:
        self.console = out or console()
        self.title = title
        self.started = time.monotonic()
        self.samples: dict[int, deque[tuple[float, int]]] = {}
        self.notes: list[str] = []
        self.live = Live(console=self.console, auto_refresh=False, transient=False, redirect_stdout=False,
                         redirect_stderr=False)

    def __enter__(self) -> LiveProgress:
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.stop()

    def note(self, message: str) -> None:
        self.notes.append(message)

    def rate(self, row: dict[str, Any]) -> str:
        """Pages a second: over the last WINDOW seconds while running, over the whole run once ended."""
        now = time.monotonic()
        samples = self.samples.setdefault(row["run_id"], deque())
        samples.append((now, row["pages_fetched"]))
        while len(samples) > 2 and now - samples[0][0] > self.WINDOW:
            samples.popleft()
        if row["state"] != "running" and row.get("finished_at") and row.get("created_at"):
            seconds = (row["finished_at"] - row["created_at"]).total_seconds()
            return f"{row['pages_fetched'] / seconds:.1f}/s" if seconds > 0 else ""
        (t0, p0), (t1, p1) = samples[0], samples[-1]
        return f"{(p1 - p0) / (t1 - t0):.1f}/s" if t1 - t0 >= 1 else "…"

    def table(self, rows: list[dict[str, Any]], waits: dict[int, dict[str, Any] | None],
              lost: dict[int, str]) -> Table | Group:
        elapsed = time.monotonic() - self.started
        running = sum(1 for r in rows if r["state"] == "running")
        table = Table(box=box.SIMPLE_HEAD, title_justify="left", show_edge=False, pad_edge=False, collapse_padding=True,
                      title=f"{self.title}: {running} of {len(rows)} run(s) going, {elapsed:.0f} s")
        wide = self.console.width >= 120
        names = (("site", "run", "state", "pages", "new", "changed", "unchanged", "failed", "withdrawn", "open",
                  "rate", "elapsed", "waiting for") if wide else  # narrower: what each waits for under the table
                 ("site", "run", "state", "pages", "new", "chg", "same", "fail", "wd", "open", "rate", "time"))
        for name in names:
            table.add_column(name, justify="left" if name in ("site", "state", "waiting for") else "right",
                             no_wrap=name != "waiting for", overflow="fold")
        now = datetime.now().astimezone()
        waiting: list[Text] = []
        for row in rows:
            ended = row.get("finished_at") or now
            took = (ended - row["created_at"]).total_seconds() if row.get("created_at") else 0
            wait = "; ".join(w for w in (lost.get(row["run_id"], ""), waiting_for(waits.get(row["run_id"]))) if w)
            failed = row["notices_failed"]
            wait_text = Text(wait, style="yellow" if lost.get(row["run_id"]) else "dim")
            table.add_row(
                row["site_id"], str(row["run_id"]), Text(row["state"], style=STATE_STYLE.get(row["state"], "")),
                str(row["pages_fetched"]), str(row["notices_new"]), str(row["notices_changed"]),
                str(row["notices_unchanged"]), Text(str(failed), style="bold red" if failed else ""),
                str(row["notices_withdrawn"]), str(row["open_items"]), self.rate(row), f"{max(0, took):.0f} s",
                *([wait_text] if wide else []))
            if wait and not wide:
                waiting.append(Text.assemble((f"{row['site_id']}: ", "bold"), wait_text))
        return Group(table, Text(""), *waiting) if waiting else table

    def show(self, rows: list[dict[str, Any]], lines: dict[int, str], changed: set[int],
             waits: dict[int, dict[str, Any] | None], lost: dict[int, str]) -> None:
        parts: list[Any] = [self.table(rows, waits, lost)]
        if self.notes:
            parts += [Text(""), *(Text(note, style="yellow") for note in self.notes[-3:])]
        self.live.update(Group(*parts), refresh=True)


def progress_display(title: str, quiet: bool = False) -> PlainProgress | LiveProgress:
    return LiveProgress(title=title) if not quiet and on_terminal() else PlainProgress(quiet)


# -- tables of `rectify status` and `rectify sites` -----------------------------------------------------

def status_table(rows: list[dict[str, Any]], out: Console | None = None) -> None:
    """`rectify status` at a terminal: one aligned row per site, the flags in colour; then the evidence
    of each flagged site, the sites only on probation named together. A terminal of 150 columns or more
    also gets the run's id and trigger, unchanged and withdrawn counts."""
    out = out or console()
    wide = out.width >= 150
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, title_justify="left",
                  title="sites: last run, counts and health flags")
    columns = [("site", "left"), ("notices", "right"), *([("withdrawn", "right")] if wide else []),
               *([("run", "right"), ("trigger", "left")] if wide else []), ("last run", "left"),
               ("pages", "right"), ("new", "right"), ("changed" if wide else "chg", "right"),
               *([("unchanged", "right")] if wide else []), ("failed" if wide else "fail", "right"),
               *([("withdr.", "right")] if wide else []), ("flags", "left")]
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=name != "flags")
    for r in rows:
        flagged = set(r["flags"] or ()) - {"probation"}
        cells: list[Any] = [Text(r["site_id"], style="bold" if flagged else ""), str(r["notices_total"])]
        if wide:
            cells.append(str(r["withdrawn_total"]))
        if r["run_id"] is None:
            cells += ["", ""] if wide else []
            cells += [Text("never crawled", style="dim"), "", "", "", *([""] if wide else []), "", *([""] if wide else [])]
        else:
            if wide:
                cells += [str(r["run_id"]), r["trigger"]]
            last = Text(r["state"], style=STATE_STYLE.get(r["state"], ""))
            last.append(f" {r['created_at']:%Y-%m-%d %H:%M}" if wide else f" {r['created_at']:%m-%d %H:%M}")
            cells += [last, str(r["pages_fetched"]), str(r["notices_new"]), str(r["notices_changed"])]
            if wide:
                cells.append(str(r["notices_unchanged"]))
            cells.append(Text(str(r["notices_failed"]), style="bold red" if r["notices_failed"] else ""))
            if wide:
                cells.append(str(r["notices_withdrawn"]))
        table.add_row(*cells, flag_text(r["flags"] or ()))
    out.print(table)
    out.print()
    only_probation = [r["site_id"] for r in rows if list(r["flags"] or ()) == ["probation"]]
    for r in rows:
        if r["error"] or (r["flags"] and r["site_id"] not in only_probation):
            line = Text(f"{r['site_id']:12} ", style="bold")
            line.append_text(flag_text(r["flags"] or ()))
            if r["evidence"]:
                line.append(f" {r['evidence']}")
            if r["error"]:
                line.append(f" (run {r['run_id']}: {r['error']})", style="red")
            out.print(line)
    if only_probation:
        out.print(Text(f"on probation (no notice stored yet; see `rectify sites`): {', '.join(only_probation)}",
                       style="grey62"))


def sites_table(sites: list[dict[str, Any]], traces: dict[str, dict[str, Any] | None],
                ranked: Callable[[dict[str, Any] | None], list[dict[str, Any]]], out: Console | None = None) -> None:
    """`rectify sites` at a terminal: the definitions as aligned rows, state in colour; then, for each site
    with a discovery trace, the pages its last discovery looked at, best first, the chosen one marked."""
    out = out or console()
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, title="site definitions",
                  title_justify="left")
    named = out.width >= 150  # the publishing body's name too, when the URLs still fit
    for name in ("site", "state", "conf.", *(["name"] if named else []), "column", "how"):
        table.add_column(name, no_wrap=name != "column", overflow="fold")
    for s in sites:
        how = Text(s["how"], style="dim")
        if s["why"]:
            how.append(f"\n{s['why']}", style="")
        table.add_row(s["id"], Text(s["state"], style=STATE_STYLE.get(s["state"], "")), s["confidence"],
                      *([s["name"]] if named else []), s["url"], how)
    out.print(table)
    for s in sites:
        trace = traces.get(s["id"])
        pages = ranked(trace)
        if not pages:
            continue
        grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, title_justify="left",
                     title=f"{s['id']}: discovery (run {trace.get('run_id')}), {len(trace['candidates'])} pages looked at")
        for name, justify in (("", "left"), ("page", "left"), ("depth", "right"), ("score", "right"), ("why", "left")):
            grid.add_column(name, justify=justify, overflow="fold", no_wrap=name in ("", "depth", "score"))
        out.print()
        for c in pages:
            chosen = c.get("url") == trace.get("chosen")
            grid.add_row(Text("*" if chosen else "-", style="bold green" if chosen else "dim"),
                         Text(str(c.get("url")), style="green" if chosen else ""), str(c.get("depth")),
                         str(c.get("score")), Text(str(c.get("reason")), style="" if chosen else "dim"))
        out.print(grid)
