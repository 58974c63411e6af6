"""Provides the command line: argument parsing; the only module that writes stdout and exits."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from mlaudit import __version__, baseline
from mlaudit.baseline import Gates
from mlaudit.config import PROFILES, Config, ConfigError, load_config
from mlaudit.discover import read_regular
from mlaudit.model import Report, Severity
from mlaudit.options import AuditOptions
from mlaudit.output import OutputError, check_destination, write_output
from mlaudit.registry import load_rules, unknown_codes

EXIT_OK = 0
EXIT_BREACHED = 1
EXIT_USAGE = 2
MAX_INPUT_BYTES = 256 * 1024 * 1024

log = logging.getLogger("mlaudit")


class UsageError(Exception):
    """A problem with the command line or configuration: one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of `mlaudit`."""
    parser = _Parser(
        prog="mlaudit",
        description="Audit a Python ML repository against eleven engineering practices, without running it.",
    )
    parser.add_argument("path", nargs="?", default=".", help="repository to audit (default: .)")
    _add_output_args(parser)
    _add_gate_args(parser)
    _add_scan_args(parser)
    _add_meta_args(parser)
    return parser


def _add_output_args(parser: argparse.ArgumentParser) -> None:
    """Add the flags that choose where the report goes."""
    parser.add_argument("--json", action="store_true", help="write the JSON report to stdout (nothing else)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the JSON report to FILE")
    parser.add_argument("--plain", action="store_true", help="print the text summary instead of opening the app")
    parser.add_argument("--markdown", metavar="FILE", help="write the markdown scorecard to FILE (- for stdout)")
    parser.add_argument("--fix-report", metavar="FILE", help="write the fix-it report to FILE (- for stdout)")
    parser.add_argument("--sarif", metavar="FILE", help="write SARIF 2.1.0 to FILE (- for stdout)")
    parser.add_argument("--badge", metavar="FILE", help="write a shields.io endpoint JSON badge to FILE")
    parser.add_argument(
        "--compare", metavar="BASE_JSON", help="add deltas against an earlier JSON report to the scorecard"
    )
    parser.add_argument("--write-baseline", metavar="FILE", help="record the current findings as the baseline in FILE")


def _add_gate_args(parser: argparse.ArgumentParser) -> None:
    """Add the CI gates: thresholds, baseline and ratchet."""
    parser.add_argument(
        "--fail-under", type=_score_arg, metavar="SCORE", help="exit 1 when the overall score is below SCORE"
    )
    parser.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        metavar="SEVERITY",
        help="exit 1 on any finding of SEVERITY or worse",
    )
    parser.add_argument("--baseline", metavar="FILE", help="mark findings recorded in FILE as baselined")
    parser.add_argument(
        "--fail-on-new", action="store_true", help="exit 1 on findings not in --baseline (warning or worse)"
    )
    parser.add_argument(
        "--fail-if-worse", metavar="BASE_JSON", help="exit 1 when any practice score dropped since BASE_JSON"
    )


def _add_scan_args(parser: argparse.ArgumentParser) -> None:
    """Add the flags that shape the audit itself."""
    parser.add_argument(
        "--select",
        type=_codes_arg,
        default=(),
        metavar="CODES",
        help="only these rule codes/prefixes (comma-separated)",
    )
    parser.add_argument(
        "--ignore",
        type=_codes_arg,
        default=(),
        metavar="CODES",
        help="skip these rule codes/prefixes (comma-separated)",
    )
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB (repeatable)"
    )
    parser.add_argument("--offline", action="store_true", help="skip checks that need the network (pip-audit)")
    parser.add_argument(
        "--history-depth",
        type=_depth_arg,
        default=500,
        metavar="N",
        help="commits to scan for leaked secrets (0 disables)",
    )
    parser.add_argument(
        "--run-tests", action="store_true", help="opt in: run the repo's tests under coverage (subprocess)"
    )
    parser.add_argument("--python", metavar="EXE", help="interpreter for --run-tests (default: the current one)")
    parser.add_argument(
        "--test-timeout", type=_depth_arg, default=600, metavar="SECONDS", help="timeout for --run-tests"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="read settings from FILE instead of [tool.mlaudit]/mlaudit.toml"
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), help="weights preset: prototype, research, production")
    parser.add_argument(
        "--jobs", type=_depth_arg, default=min(2, os.cpu_count() or 1), metavar="N", help="processes for large repos"
    )


def _add_meta_args(parser: argparse.ArgumentParser) -> None:
    """Add rule listing, explanation, verbosity and version."""
    parser.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    parser.add_argument("--explain", metavar="CODE", help="show a rule's documentation and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    parser.add_argument("--version", action="version", version=f"mlaudit {__version__}")


def _score_arg(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"must be between 0 and 100, got {value}")
    return number


def _depth_arg(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def _codes_arg(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    try:
        return _run(build_parser().parse_args(argv))
    except UsageError as err:
        print(f"mlaudit: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mlaudit: interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr, format="mlaudit: %(message)s"
    )
    if args.list_rules:
        return _list_rules()
    if args.explain:
        return _explain(args.explain)
    root = _root(args.path)
    config = _config(root, args.config)
    _check_codes([*args.select, *args.ignore], "")
    _check_codes([*config.select, *config.ignore], f"{config.source}: ")
    options = _options(args, config)
    _check_stdout_claims(args)
    _check_destinations(args)
    if _wants_app(args):
        from mlaudit.tui.app import run_app

        return run_app(root, options)
    return _audit_and_report(root, options, config, args)


def _check_codes(codes: list[str], where: str) -> None:
    """Reject unknown rule codes; the rules are loaded only when codes were given."""
    if not codes:
        return
    bad = unknown_codes(load_rules(), codes)
    if bad:
        raise UsageError(f"{where}unknown rule code or prefix: {', '.join(bad)} (see --list-rules)")


def _audit_and_report(root: Path, options: AuditOptions, config: Config, args: argparse.Namespace) -> int:
    from mlaudit.engine import EmptyTree, audit

    base = _load_report(args.fail_if_worse, "--fail-if-worse")
    try:
        report = audit(root, options)
    except EmptyTree as err:
        raise UsageError(str(err)) from None
    _write_outputs(report, args)
    if args.write_baseline:
        _write_file(args.write_baseline, baseline.dumps(report))
        print(f"mlaudit: wrote baseline of {len(report.findings)} finding(s) to {args.write_baseline}", file=sys.stderr)
    gates = Gates(
        fail_under=args.fail_under if args.fail_under is not None else config.fail_under,
        fail_on=args.fail_on or config.fail_on,
        fail_on_new=args.fail_on_new,
        base=base,
    )
    return _exit_code(report, gates)


def _root(path: str) -> Path:
    root = Path(path)
    if not root.exists():
        raise UsageError(f"path does not exist: {path}")
    if not root.is_dir():
        raise UsageError(f"not a folder: {path}")
    return root


def _config(root: Path, explicit: str | None) -> Config:
    if explicit is not None and not Path(explicit).is_file():
        raise UsageError(f"config file not found: {explicit}")
    try:
        return load_config(root, Path(explicit) if explicit else None)
    except ConfigError as err:
        raise UsageError(str(err)) from None


def _options(args: argparse.Namespace, config: Config) -> AuditOptions:
    profile = args.profile or config.profile
    weights = {**PROFILES[profile], **(config.weights or {})}
    return AuditOptions(
        select=args.select or config.select,
        ignore=args.ignore or config.ignore,
        exclude=(*config.exclude, *args.exclude),
        offline=args.offline,
        history_depth=args.history_depth,
        weights=weights,
        thresholds=dict(config.thresholds or {}),
        run_tests=args.run_tests,
        python=args.python,
        test_timeout=args.test_timeout,
        profile=profile,
        placeholders=config.placeholders,
        suppressions=config.suppressions,
        baseline=_load_baseline(args.baseline),
        jobs=args.jobs,
    )


def _load_baseline(path: str | None) -> frozenset[str]:
    if path is None:
        return frozenset()
    try:
        return baseline.loads(_read_input(path))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        raise UsageError(f"cannot read --baseline {path}: {_one_line(err)}") from None


def _check_stdout_claims(args: argparse.Namespace) -> None:
    claims = [flag for flag, value in _file_outputs(args) if value == "-"]
    if args.json:
        claims.append("--json")
    if len(claims) > 1:
        raise UsageError(f"only one output may go to stdout, got: {', '.join(claims)}")


def _check_destinations(args: argparse.Namespace) -> None:
    """Refuse link or special-file destinations before the audit runs (one-line error, exit 2)."""
    targets = [value for _flag, value in _file_outputs(args) if value not in (None, "-")]
    for target in [args.output, args.write_baseline, *targets]:
        if target:
            try:
                check_destination(Path(target))
            except OutputError as err:
                raise UsageError(str(err)) from None


def _file_outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    return [
        ("--markdown", args.markdown),
        ("--fix-report", args.fix_report),
        ("--sarif", args.sarif),
        ("--badge", args.badge),
    ]


def _wants_app(args: argparse.Namespace) -> bool:
    exports = any(value for _flag, value in _file_outputs(args)) or args.output
    interactive = sys.stdout.isatty() and sys.stdin.isatty()
    return interactive and not (args.plain or args.json or exports or args.fail_under is not None or args.fail_on)


def _write_outputs(report: Report, args: argparse.Namespace) -> None:
    from mlaudit.report import json as json_report

    if args.output:
        _write_file(args.output, json_report.dumps(report))
    stdout_used = args.json
    for flag, target in _file_outputs(args):
        if target is None:
            continue
        text = _render(flag, report, args)
        if target == "-":
            sys.stdout.write(text)
            stdout_used = True
        else:
            _write_file(target, text)
            print(f"mlaudit: wrote {flag[2:]} to {target}", file=sys.stderr)
    if args.json:
        sys.stdout.write(json_report.dumps(report))
    if not stdout_used:
        _show_summary(report)


def _render(flag: str, report: Report, args: argparse.Namespace) -> str:
    if flag == "--markdown":
        from mlaudit.report import markdown

        return markdown.render(report, _load_report(args.compare, "--compare"))
    if flag == "--fix-report":
        from mlaudit.report import fixit

        return fixit.render(report)
    if flag == "--sarif":
        from mlaudit.report import sarif

        return sarif.render(report)
    from mlaudit.report import badge

    return badge.render(report)


def _load_report(path: str | None, flag: str) -> Report | None:
    if path is None:
        return None
    from mlaudit.report import json as json_report

    try:
        return _well_formed(json_report.loads(_read_input(path)))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as err:
        raise UsageError(f"cannot read {flag} report {path}: {_one_line(err)}") from None


def _well_formed(report: Report) -> Report:
    """Return the report when the fields the gates and deltas compare have the right types."""
    for p in report.practices:
        if not isinstance(p.key, str) or not (p.score is None or type(p.score) is int):
            raise ValueError(f"practice {str(p.key)[:40]!r} has no valid score")
    if not (report.score is None or type(report.score) is int):
        raise ValueError("the overall score is not a whole number")
    for f in report.findings:
        if (
            not isinstance(f.rule, str)
            or not isinstance(f.message, str)
            or not (f.path is None or isinstance(f.path, str))
        ):
            raise ValueError("a finding has no valid rule, path or message")
    return report


def _read_input(path: str) -> str:
    """Read a report or baseline the user named: a regular UTF-8 file of at most 256 MB."""
    return read_regular(Path(path), limit=MAX_INPUT_BYTES).decode("utf-8")


def _one_line(err: BaseException) -> str:
    """Return an error as one short line (OSError by its reason; KeyError names the missing key)."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    if isinstance(err, KeyError):
        return f"missing field {err}"
    if isinstance(err, RecursionError):
        return "nested too deeply"
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:200]


def _show_summary(report: Report) -> None:
    from mlaudit.report.text import render

    console = Console(no_color="NO_COLOR" in os.environ or None, highlight=False)
    render(report, console)


def _write_file(path: str, text: str) -> None:
    """Write one output atomically, never through a symbolic link (one-line error, exit 2)."""
    try:
        write_output(path, text)
    except OutputError as err:
        raise UsageError(str(err)) from None


def _exit_code(report: Report, gates: Gates) -> int:
    failures = gates.failures(report)
    for message in failures:
        print(f"mlaudit: {message}", file=sys.stderr)
    return EXIT_BREACHED if failures else EXIT_OK


def _list_rules() -> int:
    for code, rule in load_rules().items():
        print(f"{code}  {rule.severity.value:<7}  {rule.practice:<15}  {rule.title}")
    return EXIT_OK


def _explain(code: str) -> int:
    rule = load_rules().get(code.upper())
    if rule is None:
        raise UsageError(f"unknown rule code: {code} (see --list-rules)")
    doc = rule.doc()
    print(f"{doc.code}: {doc.title}  [{doc.practice}, {doc.severity.value}]\n")
    for heading, body in (
        ("What it does", doc.what),
        ("Why is this bad?", doc.why),
        ("Example", doc.example),
        ("Use instead", doc.use_instead),
    ):
        print(f"## {heading}\n{body}\n")
    print(f"Fix: {doc.fix}")
    return EXIT_OK
