"""Every expected error of a `rectify` verb is one line on stderr and status 2 (the command was given
wrongly) or 1 (it could not be done); `--debug` shows the traceback instead. Run as users run it."""

from __future__ import annotations

import os
import socket
import time

import pytest

from tests.conftest import rectify

USAGE, FAILURE = 2, 1


def one_line(result, code: int, *words: str) -> str:
    """The command failed with `code` and said so in one line naming `words`, without a traceback."""
    err = result.stderr
    assert result.returncode == code, (result.returncode, result.stdout, err)
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("rectify"), err
    for word in words:
        assert word in err, err
    return err


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def plain_env(tmp_path) -> dict[str, str]:
    """No services at all: what `rectify parse` and `rectify sites check` must work with."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return {**env, "RECTIFY_DATA_DIR": str(tmp_path / "data")}


# -- parse, sites check: files ----------------------------------------------------------------------

def test_parse_of_a_missing_path(plain_env, tmp_path):
    one_line(rectify(plain_env, "parse", str(tmp_path / "nosuch.txt")), FAILURE, "nosuch.txt", "No such file")


def test_parse_of_a_directory(plain_env, tmp_path):
    one_line(rectify(plain_env, "parse", str(tmp_path)), FAILURE, str(tmp_path), "directory")


def test_parse_refuses_an_input_over_the_size_cap(plain_env, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("巡视整改" * 5000, encoding="utf-8")  # 60,000 bytes
    err = one_line(rectify({**plain_env, "RECTIFY_MAX_BYTES": "50000"}, "parse", str(big)), FAILURE, "RECTIFY_MAX_BYTES")
    assert "50,000 bytes" in err
    assert rectify({**plain_env, "RECTIFY_MAX_BYTES": "60000"}, "parse", str(big)).returncode == 0


def test_parse_of_an_endless_input_stops_at_the_cap(plain_env):
    started = time.monotonic()
    one_line(rectify(plain_env, "parse", "/dev/zero", timeout=60), FAILURE, "/dev/zero", "RECTIFY_MAX_BYTES")
    assert time.monotonic() - started < 30


def test_debug_shows_the_traceback_instead(plain_env, tmp_path):
    for args in (("--debug", "parse", str(tmp_path)), ("parse", str(tmp_path), "--debug")):
        result = rectify(plain_env, *args)
        assert result.returncode != 0 and "Traceback" in result.stderr and "IsADirectoryError" in result.stderr


def test_sites_check_of_a_missing_file(plain_env, tmp_path):
    one_line(rectify(plain_env, "sites", "check", "shandong", "--html", str(tmp_path / "gone.html")),
             FAILURE, "gone.html", "No such file")


def test_sites_check_of_an_unknown_site(plain_env, tmp_path):
    one_line(rectify(plain_env, "sites", "check", "atlantis", "--html", str(tmp_path / "x.html")),
             USAGE, "unknown site", "atlantis")


def test_a_usage_error_is_one_line(plain_env):
    one_line(rectify(plain_env, "crawl"), USAGE, "SITE")
    one_line(rectify(plain_env, "nosuchverb"), USAGE, "nosuchverb")


def test_reparse_and_run_of_an_unknown_site(env, db):
    one_line(rectify(env, "reparse", "atlantis"), USAGE, "unknown site", "atlantis")
    started = time.monotonic()
    one_line(rectify(env, "run", "--mirror", "--sites", "atlantis"), USAGE, "unknown site", "atlantis")
    assert time.monotonic() - started < 20  # refused before services, workers and beat are started


# -- sql ----------------------------------------------------------------------------------------------

def test_sql_syntax_error(env, db):
    one_line(rectify(env, "sql", "SELEC title FROM notices"), FAILURE, "SQL error", "syntax error")


def test_sql_unknown_table(env, db):
    one_line(rectify(env, "sql", "SELECT * FROM nosuch_table"), FAILURE, "SQL error", "nosuch_table")


def test_sql_write_is_refused_in_one_line(env, db):
    one_line(rectify(env, "sql", "DELETE FROM notices"), FAILURE, "SQL error")


def test_sql_prints_every_column_even_two_of_one_name(env, db):
    """ "SELECT count(*), count(round)" names both columns "count": both are printed, as psql does; a query
    with no rows still prints its header."""
    result = rectify(env, "sql", "SELECT 1 AS n, 2 AS n, NULL AS m")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n\tn\tm", "1\t2\t", "(1 row)"]
    empty = rectify(env, "sql", "SELECT 1 AS n WHERE false")
    assert empty.stdout.splitlines() == ["n", "(0 rows)"]


# -- export -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("since", ["notadate", "2023-02-30", "2023-13-01"])
def test_export_since_a_bad_date(plain_env, since):
    one_line(rectify(plain_env, "export", "--since", since), USAGE, "--since", since, "YYYY-MM-DD")


def test_export_into_a_missing_folder(plain_env, tmp_path):
    out = tmp_path / "nosuch" / "notices.csv"
    one_line(rectify(plain_env, "export", "--out", str(out)), FAILURE, str(out.parent))
    assert not out.parent.exists()


def test_export_onto_a_directory(plain_env, tmp_path):
    one_line(rectify(plain_env, "export", "--out", str(tmp_path)), FAILURE, "folder")


def test_export_parquet_needs_out(plain_env):
    one_line(rectify(plain_env, "export", "--format", "parquet"), USAGE, "--out")


def test_export_of_an_unknown_site(env, db):
    result = rectify(env, "export", "--site", "nosuch")
    one_line(result, USAGE, "unknown site", "nosuch")
    assert result.stdout == ""
    assert rectify(env, "export", "--site", "shandong").returncode == 0


# -- report -------------------------------------------------------------------------------------------

def test_report_into_a_missing_folder(plain_env, tmp_path):
    out = tmp_path / "nosuch" / "report.html"
    one_line(rectify(plain_env, "report", "--out", str(out)), FAILURE, str(out.parent))
    assert not out.parent.exists()


def test_report_onto_a_directory(plain_env, tmp_path):
    one_line(rectify(plain_env, "report", "--out", str(tmp_path)), FAILURE, "folder")


# -- services not running -----------------------------------------------------------------------------

def test_postgres_not_running(env, tmp_path):
    closed = {**env, "DATABASE_URL": f"postgresql://rectify@127.0.0.1:{closed_port()}/rectify?connect_timeout=5"}
    for verb in (("status",), ("sql", "SELECT 1"), ("export",), ("crawl", "shandong"),
                 ("report", "--out", str(tmp_path / "report.html"))):
        one_line(rectify(closed, *verb, timeout=60), FAILURE, "cannot connect to PostgreSQL")
    assert not (tmp_path / "report.html").exists()


def test_redis_not_running(env, db):
    closed = {**env, "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0"}
    one_line(rectify(closed, "crawl", "shandong", timeout=60), FAILURE, "cannot reach Redis")
    one_line(rectify(closed, "sweep", timeout=60), FAILURE, "cannot reach Redis")


# -- crawl without workers, --full during a plain run -------------------------------------------------

def test_crawl_without_a_worker_says_so_and_stops_waiting(env, db):
    started = time.monotonic()
    result = rectify(env, "crawl", "shandong", "--wait-for-worker", "3", timeout=120)
    one_line(result, FAILURE, "no worker is consuming the crawl queue", "--wait-for-worker")
    assert time.monotonic() - started < 30
    # the run is kept: it proceeds once a worker starts
    assert db.execute("SELECT state FROM crawl_runs").fetchone()["state"] == "running"


def test_crawl_full_during_a_plain_run_is_refused(env, db):
    assert rectify(env, "crawl", "shandong", "--no-wait").returncode == 0
    result = rectify(env, "crawl", "shandong", "--full", "--no-wait")
    one_line(result, FAILURE, "without --full", "run --full again")
    runs = db.execute("SELECT full_crawl FROM crawl_runs").fetchall()
    assert runs == [{"full_crawl": False}]
    # a second plain crawl follows the running one, and says so
    again = rectify(env, "crawl", "shandong", "--no-wait")
    assert again.returncode == 0 and "already running: following it" in again.stdout
