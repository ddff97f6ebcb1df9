"""`rectify`: the one command for people. See `rectify --help` and the README."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from crawler.settings import Settings

USAGE, FAILURE = 2, 1  # exit statuses: the command was given wrongly / it was right but could not be done


class CliError(Exception):
    """An expected error: `main` prints its message as one line (no traceback unless --debug) and exits with
    `code` (USAGE or FAILURE)."""

    def __init__(self, message: str, code: int = FAILURE) -> None:
        super().__init__(message)
        self.code = code


PROGRESS_KEYS = ("pages_fetched", "notices_new", "notices_changed", "notices_unchanged", "notices_failed",
                 "notices_withdrawn")


# -- helpers -----------------------------------------------------------------------------------------

def _services(settings: Settings) -> Settings:
    """Resolve the services (starting embedded ones if needed) and export them for this process and its children."""
    from workers.services import ensure_services

    services = ensure_services(settings)
    os.environ["DATABASE_URL"], os.environ["REDIS_URL"] = services.database_url, services.redis_url
    return Settings.from_env()


def _connect(settings: Settings):  # noqa: ANN202
    from crawler.db.connect import connect

    return connect(settings.database_url)


def _prepare(settings: Settings, *, migrate: bool = False) -> list[str]:
    """Make sure the schema is current (migrating when asked, or when it is not and we may), then sync
    the site files into `sites`. Workers' writer login may sync sites but never changes the schema.
    Returns the ordered migrations that ran (none when the schema was current or the database new)."""
    import psycopg

    from crawler.db.connect import SetupBlocked
    from crawler.db.dbsetup import migrate as run_migration
    from crawler.db.dbsetup import schema_is_current
    from crawler.db.store import sync_sites

    ran: list[str] = []
    with _connect(settings) as conn:
        if migrate or not schema_is_current(conn):
            try:
                ran = run_migration(conn, writer_password=settings.writer_password,
                                    analyst_password=settings.analyst_password)
            except SetupBlocked as exc:
                raise SystemExit(f"rectify: {exc}") from exc
            except psycopg.errors.InsufficientPrivilege as exc:
                raise SystemExit(f"the database schema is not current and this login may not change it ({exc}); "
                                 "run `rectify db init` with the owner's or an admin's DATABASE_URL") from exc
        sync_sites(conn, _sites(settings))
    return ran


def _known_sites(site_ids: list[str], sites: dict[str, Any] | Any) -> None:
    unknown = [s for s in site_ids if s not in sites]
    if unknown:
        raise CliError(f"unknown site(s): {', '.join(unknown)}; see `rectify sites`", USAGE)


def _embedded_db() -> bool:
    """No DATABASE_URL configured: the embedded server is ours, so this process may administer it."""
    return not Settings.from_env().database_url


def _sites(settings: Settings) -> dict[str, Any]:
    from crawler.sites import load_sites

    return load_sites(settings.sites_dirs)


def _progress_line(row: dict[str, Any], waits: dict[str, Any] | None = None, sweep: float = 10.0) -> str:
    counts = " ".join(f"{k.replace('notices_', '').replace('pages_', 'pages ')}={row[k]}" for k in PROGRESS_KEYS)
    line = f"run {row['run_id']} {row['site_id']} [{row['state']}] {counts} open={row['open_items']}"
    return line + (f"; {_waiting_for(waits, sweep)}" if waits and waits["lost"] else "")


def _waiting_for(waits: dict[str, Any], sweep: float) -> str:
    """Items whose holder stopped renewing their leases: when they come back (lease left, plus up to a
    sweep period; at once if their worker restarts)."""
    n = waits["lost"]
    what = f"{n} item{'s' if n != 1 else ''} held by a lost worker"
    left = max(0, waits["lost_lease_left"]) + sweep / 2
    if left < 5:
        return f"{what}, resuming within ~{max(1, round(sweep))} s (next sweep)"
    return f"{what}, resuming in ~{int(5 * -(-left // 5))} s (or as soon as that worker restarts)"


class WorkerWait:
    """While a run shows no progress, ask over Celery's remote control whether any worker consumes the
    crawl queue; after `seconds` of no progress and no such worker, stop waiting with a CliError (the runs
    stay queued in PostgreSQL and proceed when a worker starts)."""

    PERIOD = 5.0  # seconds between two questions, and of no progress before the first

    def __init__(self, settings: Settings, seconds: float, run_ids: list[int]) -> None:
        from workers.app import make_app

        self.app, self.seconds, self.run_ids = make_app(settings), seconds, run_ids
        self.told = False
        self.say = print  # the progress display shows it under its table when there is one
        self.progressed()

    def progressed(self) -> None:
        """Work was done (or a worker answered): start counting again."""
        self.quiet_since = time.monotonic()
        self.next_check = self.quiet_since + min(self.PERIOD, self.seconds)

    def check(self) -> None:
        if time.monotonic() < self.next_check:
            return
        if self._crawl_consumers():
            self.progressed()
            return
        now = time.monotonic()
        if now - self.quiet_since >= self.seconds:
            runs = ", ".join(map(str, self.run_ids))
            raise CliError(f"no worker is consuming the crawl queue (none for {self.seconds:g} s, see --wait-for-worker); "
                           f"run(s) {runs} stay queued and proceed once workers run (`rectify up`)")
        if not self.told:
            self.say(f"no worker is consuming the crawl queue yet; waiting up to {self.seconds:g} s for one "
                     "(`rectify up` starts workers)")
            self.told = True
        self.next_check = now + min(self.PERIOD, self.quiet_since + self.seconds - now)

    def _crawl_consumers(self) -> bool:
        replies = self.app.control.inspect(timeout=1.0).active_queues() or {}
        return any(queue.get("name") == "crawl" for queues in replies.values() for queue in queues or ())


def wait_for_runs(settings: Settings, run_ids: list[int], *, timeout: float, quiet: bool = False,
                  worker_wait: WorkerWait | None = None, title: str = "crawl") -> list[dict[str, Any]]:
    """Poll the runs' progress until all ended (or timeout). At a terminal, a live table of the runs
    (workers/console.py); otherwise a line whenever a run's counts change, or what it waits for (items
    held by a lost worker, and when they resume). With `worker_wait`, gives up early when no worker is
    there to do the work."""
    from crawler.db import workqueue as wq
    from crawler.db.connect import fetch_one
    from workers.console import progress_display

    last: dict[int, str] = {}
    deadline = time.monotonic() + timeout
    stale = 2 * settings.heartbeat + 1  # a live holder renews every heartbeat
    with _connect(settings) as conn, progress_display(title, quiet) as display:
        conn.autocommit = True
        if worker_wait:
            worker_wait.say = display.note
        while True:
            rows = [fetch_one(conn, "run_progress", {"run_id": r}) for r in run_ids]
            waits = {row["run_id"]: wq.run_waits(conn, row["run_id"], stale=stale) if row["state"] == "running" else None
                     for row in rows}
            if display.detailed:
                _add_backoffs(settings, conn, waits)
            lines = {row["run_id"]: _progress_line(row, waits[row["run_id"]], settings.sweep_seconds) for row in rows}
            changed = {run_id for run_id, line in lines.items() if last.get(run_id) != line}
            lost = {run_id: _waiting_for(w, settings.sweep_seconds) for run_id, w in waits.items() if w and w["lost"]}
            display.show(rows, lines, changed, waits, lost)
            if worker_wait and changed & set(last):
                worker_wait.progressed()
            last.update(lines)
            if all(r["state"] != "running" for r in rows) or time.monotonic() > deadline:
                return [fetch_one(conn, "get_run", {"run_id": r}) for r in run_ids]
            if worker_wait:
                worker_wait.check()
            time.sleep(0.5)


def _add_backoffs(settings: Settings, conn: Any, waits: dict[int, dict[str, Any] | None]) -> None:
    """For the live display: the hosts a running run's queued fetches wait on that are backed off (a WAF
    page, a Retry-After, repeated server faults), with the seconds left (the state is in Redis)."""
    import redis

    from crawler.db.connect import fetch_all
    from crawler.web.fetch import host_free_in
    from crawler.web.politeness import HostThrottle
    from workers.services import redis_client

    try:
        throttle = HostThrottle(redis_client(settings.redis_url, timeout=1))
        for run_id, waiting in waits.items():
            if waiting and waiting["queued_due"] + waiting["queued_later"]:
                hosts = [r["host"] for r in fetch_all(conn, "run_hosts_queued", {"run_id": run_id})]
                waiting["backed_off"] = {h: left for h in hosts if (left := host_free_in(throttle, h)) >= 2}
    except redis.exceptions.RedisError:  # the display does without; the crawl itself says when Redis is gone
        return


def _start_crawls(settings: Settings, site_ids: list[str], *, full: bool, request_key: str | None = None) -> list[int]:
    from crawler.db import workqueue as wq
    from crawler.db.connect import fetch_one
    from workers.app import make_app
    from workers.dispatch import publish

    sites = _sites(settings)
    app = make_app(settings)
    run_ids = []
    with _connect(settings) as conn:
        for site_id in site_ids:
            key = f"{request_key}:{site_id}" if request_key else None
            running = fetch_one(conn, "running_run", {"site_id": site_id})
            run_id, followups = wq.create_run(conn, sites[site_id], trigger="manual", full=full, request_key=key,
                                              lease=settings.queue_lease_seconds, max_attempts=settings.max_attempts)
            publish(app, followups)
            run = fetch_one(conn, "get_run", {"run_id": run_id})
            if full and not run["full_crawl"]:
                # a site has one crawl at a time: the plain run that holds it would not re-check known notices
                raise CliError(f"run {run_id} of {site_id} is running without --full, and a site is crawled by one run "
                               f"at a time: no --full run started; let it end (`rectify crawl {site_id}` follows it) "
                               "and run --full again")
            if running and running["run_id"] == run_id:
                kind = " (a --full run)" if run["full_crawl"] else ""
                print(f"run {run_id} of {site_id}{kind} is already running: following it", flush=True)
            run_ids.append(run_id)
    return run_ids


def _check_redis(settings: Settings) -> None:
    """Fail with one line now, rather than after publishing retries, when Redis cannot be reached."""
    from workers.services import redis_client

    redis_client(settings.redis_url, timeout=5).ping()


def _report(runs: list[dict[str, Any]]) -> int:
    failed = [r for r in runs if r["state"] != "done"]
    for run in runs:
        print(f"run {run['run_id']} {run['site_id']}: {run['state']}"
              + (f" ({run['error']})" if run.get("error") else ""))
    return 1 if failed else 0


# -- commands ----------------------------------------------------------------------------------------

def cmd_parse(args: argparse.Namespace) -> int:
    from crawler.text.parse import parse_file

    doc = parse_file(Path(args.path), max_bytes=Settings.from_env().max_bytes)
    record = dict(doc["record"])
    if args.full:
        record.update(source=doc["source"], outline=doc["sections"], figures=doc["figures"],
                      keywords=doc["keywords"], tags=doc["tags"])
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=None if args.compact else 2))
    else:
        for key, value in record.items():
            print(f"{key:18} {value}")
    return 0


def cmd_sites(args: argparse.Namespace) -> int:
    """The definitions with their state; with a database configured, also the columns discovered so far."""
    if args.action == "check":
        from crawler.sitecheck import check_pages, format_report

        sites = _sites(Settings.from_env())
        if not args.site or not args.html:
            raise CliError("usage: rectify sites check SITE --html FILE [FILE …] [--url URL]", USAGE)
        _known_sites([args.site], sites)
        reports = check_pages(sites[args.site], [Path(p) for p in args.html], args.url)
        print(format_report(reports))
        return 0 if all(r["verdict"] != "nothing found" for r in reports) else 1
    from workers.console import on_terminal, sites_table

    settings = Settings.from_env()
    known = _discovered_columns(settings)
    listed = []
    for site in _sites(settings).values():
        row = known.get(site.id, {})
        state = "disabled" if not site.enabled else "probation" if row.get("probation", not site.list_urls) else "verified"
        column = (f"{row['discovered_list_url']} (discovered {row['discovered_at']:%Y-%m-%d})"
                  if row.get("discovered_list_url") else None)
        where = site.list_urls[0] if site.list_urls else column or f"{site.home_url} (column to discover)"
        url, how = ((site.list_urls[0], "given") if site.list_urls else
                    (row["discovered_list_url"], f"found {row['discovered_at']:%Y-%m-%d}") if column else
                    (site.home_url, "to discover"))
        listed.append({"id": site.id, "state": state, "confidence": site.confidence, "name": site.name, "where": where,
                       "url": url, "how": how, "why": None if site.enabled else site.disabled_reason})
    traces = {site_id: row.get("discovery_trace") for site_id, row in known.items()}
    if on_terminal():
        sites_table(listed, traces, _ranked)
        return 0
    for site in listed:
        print(f"{site['id']:13} {site['state']:9} [{site['confidence']}] {site['name']}  {site['where']}")
        if site["why"]:
            print(f"{'':13} why: {site['why']}")
        for line in _trace_lines(traces.get(site["id"])):
            print(f"{'':13} {line}")
    return 0


def _ranked(trace: dict[str, Any] | None, limit: int = 8) -> list[dict[str, Any]]:
    """The pages the last discovery looked at, best first (the first `limit`)."""
    if not trace or not trace.get("candidates"):
        return []
    return sorted(trace["candidates"], key=lambda c: (-float(c.get("score") or 0), c.get("depth", 0)))[:limit]


def _trace_lines(trace: dict[str, Any] | None, limit: int = 8) -> list[str]:
    """The last discovery: each page looked at, best first, and why it was (not) chosen."""
    ranked = _ranked(trace, limit)
    if not ranked:
        return []
    lines = [f"discovery (run {trace.get('run_id')}): {len(trace['candidates'])} pages looked at"]
    for c in ranked:
        mark = "*" if c.get("url") == trace.get("chosen") else "-"
        lines.append(f"  {mark} {c.get('url')}  depth {c.get('depth')}, score {c.get('score')}: {c.get('reason')}")
    return lines


def _discovered_columns(settings: Settings) -> dict[str, dict[str, Any]]:
    """Per site, the column found by discovery, its trace and whether the site is on probation, when a
    database is reachable (listing sites needs none)."""
    from crawler.db.connect import connect, fetch_all
    from workers.services import start_embedded_postgres

    pgdata = settings.data_dir / "postgres"
    url = settings.database_url or (start_embedded_postgres(pgdata) if (pgdata / "postmaster.pid").exists() else None)
    if not url:
        return {}
    try:
        with connect(url) as conn:
            return {r["site_id"]: dict(r) for r in fetch_all(conn, "discovered_columns")}
    except Exception:  # noqa: BLE001 - listing definitions must work without a database
        return {}


def cmd_db(args: argparse.Namespace) -> int:
    from crawler.db.dbsetup import analyst_url, worker_url

    embedded = _embedded_db()
    settings = _services(Settings.from_env())
    if args.action in ("init", "upgrade"):
        ran = _prepare(settings, migrate=True)
        print(f"roles and schema applied (migrations run: {', '.join(ran) or 'none needed'}), sites synced")
    elif args.action in ("backup", "restore"):
        return _backup_or_restore(args, settings)
    elif args.action == "refresh":
        from crawler.db.dbsetup import refresh_keywords

        with _connect(settings) as conn:
            refresh_keywords(conn)
        print("corpus_idf refreshed and notice_keywords ranked with it")
    elif embedded:
        print(f"admin:    {settings.database_url}\nworkers:  {worker_url(settings.database_url, None)}\n"
              f"analysts: {analyst_url(settings.database_url, None)}")
    else:
        print(settings.database_url)
    return 0


def _backup_or_restore(args: argparse.Namespace, settings: Settings) -> int:
    """`rectify db backup FILE` / `rectify db restore FILE [--clean]`; a failure is one line on stderr."""
    from crawler.db.backup import BackupError, backup, fill_views, restore, row_counts
    from crawler.db.dbsetup import migrate

    path = Path(args.file)
    try:
        if args.action == "backup":
            counts = backup(settings.database_url, path)
            print(f"backup written to {path} ({path.stat().st_size:,} bytes): "
                  f"{counts.get('notices', 0)} notices, {counts.get('raw.pages', 0)} raw pages")
            return 0
        restore(settings.database_url, path, replace=args.clean)
    except BackupError as exc:
        raise SystemExit(f"rectify db {args.action}: {exc}") from None
    with _connect(settings) as conn:  # owners, grants and logins as here; the schema upgraded to this release
        ran = migrate(conn, writer_password=settings.writer_password, analyst_password=settings.analyst_password)
        fill_views(conn)
        counts = row_counts(conn)
    print(f"restored {path}: {counts.get('notices', 0)} notices, {counts.get('raw.pages', 0)} raw pages "
          f"(migrations run: {', '.join(ran) or 'none needed'})")
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    settings = _services(Settings.from_env())
    _prepare(settings)
    _known_sites(args.sites, _sites(settings))
    import redis

    try:  # Redis not running at all is a one-line failure (the user must start the services) ...
        _check_redis(settings)
    except redis.exceptions.TimeoutError:  # ... Redis stalled: PostgreSQL is the queue of record
        print("rectify crawl: Redis does not answer; the run is queued in PostgreSQL and is published when "
              "Redis is back", file=sys.stderr, flush=True)
    run_ids = _start_crawls(settings, args.sites, full=args.full, request_key=args.request_key)
    print(f"started run(s) {', '.join(map(str, run_ids))}; workers must be running (`rectify up`)", flush=True)
    if args.no_wait:
        return 0
    return _report(wait_for_runs(settings, run_ids, timeout=args.timeout,
                                 worker_wait=WorkerWait(settings, args.wait_for_worker, run_ids)))


def cmd_status(args: argparse.Namespace) -> int:
    """Per site: the last run, counts and health flags; at a terminal an aligned table, the flags in colour."""
    from crawler.db.connect import fetch_all
    from workers.console import on_terminal, status_table

    settings = _services(Settings.from_env())
    _prepare(settings)
    with _connect(settings) as conn:
        rows = fetch_all(conn, "site_status")
    if on_terminal():
        status_table(rows)
        return 0
    for row in rows:
        last = (f"last run {row['run_id']} ({row['trigger']}, {row['state']}, {row['created_at']:%Y-%m-%d %H:%M}): "
                f"pages {row['pages_fetched']}, new {row['notices_new']}, changed {row['notices_changed']}, "
                f"unchanged {row['notices_unchanged']}, failed {row['notices_failed']}, "
                f"withdrawn {row['notices_withdrawn']}"
                + (f", error: {row['error']}" if row["error"] else "")) if row["run_id"] else "never crawled"
        # withdrawn: notices whose page is gone now (taken down upstream, found by a --full re-check)
        print(f"{row['site_id']:12} notices {row['notices_total']:5} (withdrawn {row['withdrawn_total']})  {last}")
        if row["flags"]:
            print(f"{'':12} ! {', '.join(row['flags'])}: {row['evidence']}")
    return 0


def cmd_reparse(args: argparse.Namespace) -> int:
    if args.site:  # an unknown site is refused before anything starts
        _known_sites([args.site], _sites(Settings.from_env()))
    settings = _services(Settings.from_env())  # first: importing the workers' modules needs REDIS_URL set
    _prepare(settings)
    from crawler.pipeline import queue_reparse
    from crawler.runtime import build_context
    from workers.app import make_app
    from workers.dispatch import publish
    from workers.services import redis_client

    _check_redis(settings)
    ctx = build_context(settings, redis_client(settings.redis_url))
    site_ids = [args.site] if args.site else sorted(ctx.sites)
    app = make_app(settings)
    with _connect(settings) as conn:
        runs = queue_reparse(ctx, conn, site_ids)
    for _run_id, followups in runs:
        publish(app, followups)
    return _report(wait_for_runs(settings, [r for r, _ in runs], timeout=args.timeout, title="reparse"))


def _supervisor(args: argparse.Namespace):  # noqa: ANN202
    """Services, the schema, then worker and beat; workers get the writer login on an embedded database."""
    from crawler.db.dbsetup import worker_url
    from workers.supervisor import Supervisor

    embedded = _embedded_db()
    settings = _services(Settings.from_env())
    _prepare(settings, migrate=embedded)
    worker_db = worker_url(settings.database_url, settings.writer_password) if embedded else settings.database_url
    return Supervisor(settings, mirror=args.mirror, concurrency=args.concurrency, worker_database_url=worker_db)


def cmd_up(args: argparse.Namespace) -> int:
    with _supervisor(args) as sup:
        print("workers and beat running; Ctrl-C stops them", flush=True)
        return sup.wait()


def cmd_run(args: argparse.Namespace) -> int:
    """The main job: services, workers, beat, one crawl of every enabled site, a summary."""
    if args.sites:  # before anything is started
        _known_sites(args.sites, _sites(Settings.from_env()))
    with _supervisor(args) as sup:
        settings = sup.settings
        site_ids = args.sites or _sites_to_run(settings, mirror=args.mirror)
        runs = wait_for_runs(settings, _start_crawls(settings, site_ids, full=args.full), timeout=args.timeout,
                             title="run")
        code = _report(runs)
        from crawler.db.dbsetup import refresh_keywords

        with _connect(settings) as conn:  # the corpus keywords include this run's notices
            refresh_keywords(conn)
        _print_summary(settings)
        if args.keep_running:
            print("workers and beat keep running; Ctrl-C stops them", flush=True)
            return sup.wait()
        return code


def _sites_to_run(settings: Settings, *, mirror: bool) -> list[str]:
    """Every enabled site; on the local mirror, those it serves (the others would only fail to connect)."""
    from crawler.mirror import HOSTS
    from crawler.urls import host_of

    enabled = [s for s in _sites(settings).values() if s.enabled]
    if not mirror:
        return [s.id for s in enabled]
    served = [s for s in enabled if host_of(s.home_url or s.list_urls[0]) in HOSTS]
    skipped = sorted(s.id for s in enabled if s not in served)
    if skipped:
        print(f"--mirror: {len(served)} of {len(enabled)} enabled sites are mirrored; not crawled here: "
              f"{', '.join(skipped)}", flush=True)
    return [s.id for s in served]


def _print_summary(settings: Settings) -> None:
    with _connect(settings) as conn:
        rows = conn.execute("SELECT site_id, count(*) AS notices, min(published_on) AS first, "
                            "max(published_on) AS last FROM notices GROUP BY site_id ORDER BY site_id").fetchall()
    print("\nnotices in PostgreSQL:")
    for row in rows:
        print(f"  {row['site_id']:12} {row['notices']:4} notices, published {row['first']} .. {row['last']}")
    print(f"\nquery them:  .venv/bin/rectify sql 'SELECT title, team, feedback_on FROM notices LIMIT 5'\n"
          f"        or:  psql '{settings.database_url}'")


def cmd_sql(args: argparse.Namespace) -> int:
    """Run one read-only query and print the rows (for machines without psql); on the embedded
    database it runs as the analyst login, so it sees what analysts see."""
    import psycopg
    from psycopg.rows import tuple_row

    from crawler.db.connect import connect
    from crawler.db.dbsetup import analyst_url

    embedded = _embedded_db()
    settings = _services(Settings.from_env())
    url = analyst_url(settings.database_url, None) if embedded else settings.database_url
    with connect(url) as conn:
        conn.read_only = True
        try:
            # rows as tuples: two columns of one name ("SELECT 1, 2", "count(*), count(round)") stay two
            cur = conn.cursor(row_factory=tuple_row).execute(args.query)
            names = [column.name for column in cur.description or ()]
            rows = cur.fetchall() if cur.description else []
        except psycopg.Error as exc:
            if exc.sqlstate is None:  # the connection, not the query
                raise
            raise CliError(f"SQL error ({exc.sqlstate}): {_first_line(exc)}") from exc
    if names:
        print("\t".join(names))
        for row in rows:
            print("\t".join("" if v is None else str(v) for v in row))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    """Serve the project's own numbers for Prometheus (workers/metrics.py), read as the analyst login:
    RECTIFY_METRICS_DATABASE_URL, else DATABASE_URL; the embedded database's rectify_reader when neither is set."""
    from workers import metrics

    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit():
        raise CliError(f"--listen {args.listen}: expected HOST:PORT, e.g. 0.0.0.0:{metrics.DEFAULT_PORT}", USAGE)
    url = os.environ.get("RECTIFY_METRICS_DATABASE_URL") or Settings.from_env().database_url
    if not url:
        from crawler.db.dbsetup import analyst_url

        url = analyst_url(_services(Settings.from_env()).database_url, None)
    if args.once:
        sys.stdout.write(metrics.exposition(url))
        return 0
    metrics.serve(url, host.strip("[]"), int(port))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Notices (or one of their child tables) to CSV / JSON Lines (stdout or --out) or Parquet (--out required)."""
    from contextlib import nullcontext

    from crawler.db import export

    if args.format == "parquet" and not args.out:
        raise CliError("--out FILE is needed for parquet", USAGE)
    if args.out:
        _out_file(Path(args.out))
    settings = _services(Settings.from_env())
    with _connect(settings) as conn:
        if args.site and args.site not in _sites(settings):
            stored = conn.execute("SELECT 1 FROM sites WHERE site_id = %s", (args.site,)).fetchone()
            if not stored:
                _known_sites([args.site], {})
        records = export.rows(conn, args.site, args.since, args.table)
        if args.format == "parquet":
            count = export.write_parquet(records, Path(args.out))
        else:
            writer = export.write_csv if args.format == "csv" else export.write_jsonl
            target = open(args.out, "w", encoding="utf-8", newline="") if args.out else nullcontext(sys.stdout)  # noqa: SIM115
            with target as out:
                count = writer(records, out, args.table)
    print(f"exported {count} {'notice(s)' if args.table == 'notices' else args.table + ' row(s)'}", file=sys.stderr)
    return 0


def _out_file(out: Path) -> None:
    """--out names a file to write, in a folder that exists (checked before any service is started)."""
    if out.is_dir():
        raise CliError(f"--out {out}: is a folder; give the file to write")
    if not out.parent.is_dir():
        raise CliError(f"--out {out}: there is no folder {out.parent}")


def cmd_report(args: argparse.Namespace) -> int:
    """One self-contained HTML file with charts of the collection and of site health, from the SQL of
    crawler/report/sql/ run as the read-only analyst login."""
    from crawler.db.connect import connect
    from crawler.db.dbsetup import analyst_url
    from crawler.report import write_report

    out = Path(args.out)
    _out_file(out)
    embedded = _embedded_db()
    settings = _services(Settings.from_env())
    _prepare(settings)
    # the analyst login of the same database: trust on the embedded one, RECTIFY_ANALYST_PASSWORD otherwise
    url = analyst_url(settings.database_url, None if embedded else settings.analyst_password)
    with connect(url) as conn:
        summary = write_report(conn, out)
    print(f"report written to {out} ({summary['bytes']:,} bytes, {summary['charts']} charts): "
          f"{summary['notices']} notices, as {summary['login']}")
    return 0


def cmd_services(args: argparse.Namespace) -> int:
    from workers.services import stop_embedded_postgres, stop_embedded_redis

    settings = Settings.from_env()
    stop_embedded_redis(settings.data_dir / "redis")
    stop_embedded_postgres(settings.data_dir / "postgres")
    print("embedded services stopped")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    settings = _services(Settings.from_env())  # first: importing workers.app needs REDIS_URL set
    from workers.app import make_app
    from workers.dispatch import sweep

    _check_redis(settings)
    with _connect(settings) as conn:
        sent = sweep(make_app(settings), conn, lease=settings.queue_lease_seconds)
    print(f"re-published {sent} item(s)")
    return 0


# -- argument parsing --------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """A usage error is one line (and status 2), not the whole usage."""
        self.exit(USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _iso_date(text: str):  # noqa: ANN202
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        why = "" if str(exc).startswith("Invalid isoformat") else f": {exc}"
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD){why}") from None


def _first_line(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    text = (getattr(diag, "message_primary", None) or str(exc)).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def _explain(exc: Exception) -> tuple[str, int] | None:
    """The one line (and status) for an expected error; None for a bug, which keeps its traceback."""
    import kombu.exceptions
    import psycopg
    import redis

    from crawler.errors import IngestError

    if isinstance(exc, CliError):
        return str(exc), exc.code
    if isinstance(exc, IngestError):
        return str(exc), FAILURE
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or exc}", FAILURE
    if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
        return (f"cannot connect to PostgreSQL: {_first_line(exc)} (is it running? DATABASE_URL "
                "unset starts the embedded one)"), FAILURE
    if isinstance(exc, psycopg.Error):
        return f"database error ({exc.sqlstate}): {_first_line(exc)}", FAILURE
    if isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError
                  | kombu.exceptions.OperationalError):
        return (f"cannot reach Redis: {_first_line(exc)} (is it running? REDIS_URL unset starts the "
                "embedded one)"), FAILURE
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rectify", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="on an error, show the traceback, not one line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse a saved notice (.txt or .html) and print its record")
    p.add_argument("path")
    p.add_argument("--json", action="store_true", help="print the record as JSON (the SPEC keys)")
    p.add_argument("--full", action="store_true", help="add outline, figures, keywords and tags")
    p.add_argument("--compact", action="store_true", help="one-line JSON")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("sites", help="list the site definitions, or check one against saved pages")
    p.add_argument("action", nargs="?", choices=("list", "check"), default="list")
    p.add_argument("site", nargs="?", help="with check: the site id")
    p.add_argument("--html", nargs="+", default=[], metavar="FILE", help="with check: saved list or notice pages")
    p.add_argument("--url", help="with check: the URL the pages were saved from (resolves relative links)")
    p.set_defaults(func=cmd_sites)
    sub.add_parser("status", help="per site: last run, counts, errors").set_defaults(func=cmd_status)

    p = sub.add_parser("db", help="database: init or upgrade (roles, migrations and schema.sql, sites), url, "
                       "refresh (corpus keywords), backup FILE, restore FILE [--clean]")
    p.set_defaults(func=cmd_db)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("init", help="roles, schema (upgraded from any earlier release), logins; sync the site files")
    actions.add_parser("upgrade", help="the same as init: a database of any earlier release to the current schema, every row kept")
    actions.add_parser("url", help="the connection strings (admin, workers, analysts)")
    actions.add_parser("refresh", help="recompute corpus_idf and rank notice_keywords with it")
    a = actions.add_parser("backup", help="the whole database (raw pages too) to FILE, in pg_dump's custom format")
    a.add_argument("file", metavar="FILE")
    a = actions.add_parser("restore", help="load a backup into an empty database, then upgrade it to this release")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--clean", action="store_true",
                   help="drop what the database holds (schema raw; public's tables, views, functions) first")

    p = sub.add_parser("crawl", help="crawl one or more sites now and show progress until the run ends")
    p.add_argument("sites", nargs="+", metavar="SITE")
    p.add_argument("--full", action="store_true", help="re-fetch known notices too (conditional GET); "
                   "a notice whose page is gone (404, 410, soft 404) is marked withdrawn, and restored when back")
    p.add_argument("--no-wait", action="store_true", help="start the run and return")
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument("--wait-for-worker", type=float, default=60, metavar="SECONDS",
                   help="stop waiting (status 1) when no worker has consumed the crawl queue for this long (default 60)")
    p.add_argument("--request-key", help="idempotency key: repeating the command with it creates no second run")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("reparse", help="parse stored raw pages again and update the notices")
    p.add_argument("site", nargs="?")
    p.add_argument("--timeout", type=float, default=3600)
    p.set_defaults(func=cmd_reparse)

    for name, func, text in (("up", cmd_up, "run services, workers and beat in the foreground"),
                             ("run", cmd_run, "the main job: start everything, crawl every enabled site, report")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--mirror", action="store_true", help="crawl the local mirror of the sites (offline)")
        p.add_argument("--concurrency", type=int, default=2)
        if name == "run":
            p.add_argument("--sites", nargs="*", help="only these site ids")
            p.add_argument("--full", action="store_true")
            p.add_argument("--timeout", type=float, default=3600)
            p.add_argument("--keep-running", action="store_true", help="leave workers and beat running afterwards")
        p.set_defaults(func=func)

    p = sub.add_parser("sql", help="run a read-only SQL query and print the rows")
    p.add_argument("query")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("export", help="export notices (or their problems, figures, tags, keywords) as CSV, JSON Lines or Parquet")
    p.add_argument("--format", choices=("csv", "jsonl", "parquet"), default="csv")
    p.add_argument("--table", choices=("notices", "problems", "figures", "tags", "keywords"), default="notices",
                   help="notices (default), or rows of notice_problems / _figures / _tags / _keywords with the notice's id, site and title")
    p.add_argument("--site", help="only this site id")
    p.add_argument("--since", type=_iso_date, help="only notices published on or after this date (YYYY-MM-DD)")
    p.add_argument("--out", help="file to write (default: standard output; required for parquet)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("metrics", help="serve the project's numbers for Prometheus (pages, failures, queues, "
                       "notices, site health) at /metrics, read as the analyst")
    p.add_argument("--listen", default="127.0.0.1:9810", metavar="HOST:PORT", help="default 127.0.0.1:9810")
    p.add_argument("--once", action="store_true", help="print one scrape and exit")
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser("report", help="write one self-contained HTML file with charts of the collection and of site health")
    p.add_argument("--out", default="report.html", help="the HTML file to write (default: report.html)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("services", help="stop the embedded PostgreSQL and Redis")
    p.add_argument("action", choices=("stop",))
    p.set_defaults(func=cmd_services)
    sub.add_parser("sweep", help="re-enqueue work whose lease expired, now").set_defaults(func=cmd_sweep)
    for verb in sub.choices.values():  # --debug before or after the verb
        verb.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one verb. An expected error is one line on stderr and status 2 (usage) or 1 (failure);
    --debug shows its traceback instead."""
    from workers.processes import Stopped

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Stopped as stop:  # `rectify run` stopped by a signal, its worker and beat already stopped
        print(f"rectify {args.command}: stopped by {stop}", file=sys.stderr)
        return 128 + stop.signum
    except BrokenPipeError:  # the reader closed the pipe (`rectify parse F --json | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush does not fail again
        return 141
    except Exception as exc:
        explained = None if args.debug else _explain(exc)
        if explained is None:
            raise
        message, code = explained
        print(f"rectify {args.command}: {message}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
