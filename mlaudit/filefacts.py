"""Provides per-file facts: small frozen summaries of each Python module, cached by content and
extracted where they are cheapest (worker processes, or the process that already parsed the file).

An extractor is a named function `(PythonFile) -> fact` (a frozen, picklable mlaudit dataclass or
plain data) that needs only that file; code asks for one with `pf.file_fact(name, compute)`.
On a repository of `MIN_BYTES` or more, each module's summary (its imports, main guard and every
extractor's fact) is cached under `$XDG_CACHE_HOME/mlaudit/files`, keyed by the file's content
(its git blob id), path, kind, mlaudit's own code and the repository's module paths (import
resolution): an unchanged module is never summarised twice and is parsed only when a rule still
asks for its tree. A module git's index shows unchanged is named by the index's blob id
(`cache.Slot.blobs`), so with its facts cached it is not even read until its text is asked for
(a finding's code line, a message snippet). With workers (`workers_wanted`), modules not in the cache go as bytes to `--jobs N` worker
processes that parse them, extract every fact and send back only the summary; trees never cross
a process boundary.

Safety: the parent never unpickles anything derived from the audited repository other than
mlaudit's own fact dataclasses built by mlaudit's own worker code. Worker results and cache entries
are pickled by mlaudit and unpickled only through `_FactUnpickler`, which admits the fact classes
listed in `FACT_TYPES` and plain containers, and nothing else (no callable, no repository class).
A worker runs no code of the repository: it reads bytes it is given and parses them.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import io
import json
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import (
    dataclass,
    replace,
)
from functools import (
    partial,
)
from pathlib import (
    Path,
)

from mlaudit import (
    cache,
    collector,
)
from mlaudit.capabilities._common import (
    COMPONENT_FACT,
    TRACKER_FACT,
    tracker_component,
    tracker_evidence,
)
from mlaudit.capabilities.functions import (
    ENTRY_FACT,
    EntryShape,
    entry_shape,
)
from mlaudit.capabilities.interfaces import (
    EVIDENCE_FACT,
    PYTREE_PARTS_FACT,
    STAR_REEXPORT_FACT,
    InterfaceEvidence,
    PytreeParts,
    TypedParameter,
    interface_evidence,
    pytree_parts,
    star_reexport,
)
from mlaudit.capabilities.layout import (
    TOP_IMPORTS_FACT,
    top_level_import_lines,
)
from mlaudit.capabilities.logging import (
    LOG_FILE_FACT,
    LogCall,
    LogFile,
    log_file,
)
from mlaudit.capabilities.performance import (
    FILE_PERF_FACT,
    INFERENCE_API_FACT,
    FilePerf,
    file_perf,
    inference_api,
)
from mlaudit.capabilities.reproducibility import (
    CONFIG_NAMES_FACT,
    CONSTANTS_FACT,
    OP_DETERMINISM_FACT,
    OPTIONS_FACT,
    PARSER_SUBCLASS_FACT,
    REVISION_FACT,
    cli_options,
    hyperparameter_constants,
    named_config_files,
    op_determinism_line,
    parser_subclass_calls,
    pinned_revision_line,
)
from mlaudit.capabilities.security import (
    CALLS_EVIDENCE_FACT,
    CREDENTIALS_FACT,
    DOWNLOADS_URL_FACT,
    LOADING_FACT,
    CallEvidence,
    Load,
    Loading,
    downloads_by_url,
    module_call_evidence,
    module_loading,
    names_credentials,
)
from mlaudit.discover import (
    SourceFile,
)
from mlaudit.facts.assertions import (
    ASSERTING_FACT,
    FIXTURE_CALLS_FACT,
    HELPER_CALLS_FACT,
    HELPER_EDGES_FACT,
    TOP_ASSERTING_FACT,
    asserting_lines,
    asserting_top_level,
    fixture_calls,
    helper_edges,
    imported_helper_calls,
)
from mlaudit.facts.callgraph import (
    LOAD_TARGETS_FACT,
    REGISTRATIONS_FACT,
    TARGETS_FACT,
    load_time_imports,
    registrations,
    resolved_imports,
)
from mlaudit.facts.dependency_use import (
    ENV_FILE_FACT,
    NAMED_MODULES_FACT,
    named_modules,
    names_env_file,
)
from mlaudit.facts.kind import (
    CLI_IMPORT_FACT,
    DEMO_FACT,
    SETUP_MAIN_FACT,
    cli_import_line,
    random_data_demo,
    setup_only_main,
)
from mlaudit.facts.lazy_exports import LAZY_ATTACH_FACT, lazy_attach
from mlaudit.facts.randomness import (
    SCAN_FACT,
    TRAINING_FACT,
    Draw,
    FileRandomness,
    ImportEdge,
    ModuleMap,
    SeedCall,
    scan_file,
    training_line,
)
from mlaudit.facts.strings import SHORT_STRINGS_FACT, short_strings
from mlaudit.facts.supply_chain import DOWNLOADS_FACT, Download, module_downloads
from mlaudit.facts.test_suite import (
    TESTS_FACT,
    CollectedTest,
    collect_tests,
)
from mlaudit.facts.tested_modules import (
    DYNAMIC_IMPORTS_FACT,
    FROM_IMPORTS_FACT,
    LAZY_BINDINGS_FACT,
    REFERENCES_FACT,
    ROUTES_FACT,
    TOP_NAMES_FACT,
    URL_NAMES_FACT,
    dynamic_import_prefixes,
    from_imports,
    lazy_bindings,
    named_routes,
    referenced_names,
    top_level_names,
    url_names,
)
from mlaudit.facts.unsafe_loading import (
    Wrapper,
)
from mlaudit.model import (
    FileKind,
    Severity,
    Skipped,
)
from mlaudit.options import (
    AuditOptions,
)
from mlaudit.project import (
    CODE_KINDS,
    CODE_LINES_FACT,
    DATA_CONFIG_FACT,
    DOMAIN_NAMED_FACT,
    GENERATED_FACT,
    MISSING,
    QUOTED_LINES_FACT,
    TEST_RUNNER_FACT,
    Cancelled,
    PythonFile,
    count_code_lines,
    data_config_module,
    decode_python,
    generated_by_tool,
    in_package,
    named_for_domain,
    parse_python,
    quoted_lines,
    read_module,
    runs_as_program,
    written_for_test_runner,
)
from mlaudit.registry import (
    FileRule,
    Hit,
    hits_fact,
    load_rules,
)
from mlaudit.rules.dependencies._shared import (
    IMPORTS_FACT,
    PATH_FOLDERS_FACT,
    file_imports,
    path_folders,
)
from mlaudit.rules.functions._shared import (
    METRICS_FACT,
    WORK_FACT,
    WorkStatement,
    find_import_time_work,
)
from mlaudit.rules.functions.fun004_long_function import (
    LENGTHS_FACT,
    FunctionLength,
    function_lengths,
)
from mlaudit.rules.functions.fun005_too_many_parameters import (
    PARAMETERS_FACT,
    FunctionParameters,
    function_parameters,
)
from mlaudit.rules.functions.fun008_mixed_responsibilities import (
    STAGES_FACT,
    StageCall,
    stage_calls,
)
from mlaudit.rules.functions.fun009_duplicated_code import (
    BODY_STARTS_FACT,
    LINES_FACT,
    body_starts,
    compared_lines,
)
from mlaudit.rules.interfaces._shared import (
    CLASSES_FACT,
    ClassInfo,
    file_classes,
)
from mlaudit.rules.interfaces.api002_string_dispatch import (
    DISPATCH_FACT,
    Dispatch,
    file_dispatches,
)
from mlaudit.rules.interfaces.api003_untyped_dict_parameter import (
    DICT_USES_FACT,
    DictParameter,
    DictReturn,
    DictUses,
    dict_uses,
)
from mlaudit.rules.interfaces.api004_global_mutable_state import POOL_INITIALIZERS_FACT, file_pool_initializers
from mlaudit.rules.interfaces.api006_import_time_dependency import HIDDEN_DEPENDENCIES_FACT, file_hidden_dependencies
from mlaudit.rules.logging._shared import (
    HANDED_FACT,
    OUTPUTS_FACT,
    OutputCall,
    file_outputs,
    handed_to_cli,
)
from mlaudit.rules.logging.log002_no_logging import (
    TRAINS_FACT,
    trains_models,
)
from mlaudit.rules.logging.log010_library_exits_process import EXIT_FUNCTIONS_FACT, exit_functions
from mlaudit.rules.performance._shared import (
    BENCHMARK_FACT,
    LOOP_FINDINGS_FACT,
    READS_CLOCK_FACT,
    RUNS_TIMEIT_FACT,
    TIMES_CODE_FACT,
    LoopFinding,
    file_loop_findings,
    reads_clock,
    runs_timeit,
    takes_benchmark,
    times_code,
)
from mlaudit.rules.production._shared import LOAD_METHODS_FACT, LOCAL_PAGE_FACT, load_methods, opens_local_page
from mlaudit.rules.production.srv012_model_loaded_at_import import LOADING_CLASSES_FACT, loading_classes
from mlaudit.rules.reproducibility._shared import (
    CONFIG_DETERMINISM_FACT,
    CONFIG_FACT,
    DETERMINISM_FACT,
    ConfigStyle,
    determinism_setting,
    file_config_style,
    sets_determinism,
)
from mlaudit.rules.reproducibility.rep003_estimator_without_random_state import (
    SEEDS_CANDIDATES_FACT,
    UNSEEDED_FACT,
    seeds_each_candidate,
    unseeded_calls,
)
from mlaudit.rules.reproducibility.rep008_library_reseeds_global_rng import RESEEDS_FACT, Reseed, fixed_reseeds
from mlaudit.rules.reproducibility.rep010_hardcoded_hyperparameters import (
    LITERALS_FACT,
    SEED_KEY_FACT,
    Literal,
    file_literals,
    names_seed,
)
from mlaudit.rules.reproducibility.rep012_unread_config_file import (
    CHOSEN_FACT,
    HYDRA_FACT,
    JOINED_FACT,
    OPTION_FACT,
    chosen_config_defaults,
    config_file_option,
    hydra_config_paths,
    joined_folders,
)
from mlaudit.rules.security._shared import (
    CALLS_FACT,
    SECRET_ENV_FACT,
    collect_first_calls,
    first_secret_env_read,
)
from mlaudit.rules.security.sec004_env_not_ignored import DOTENV_FACT, mentions_dotenv
from mlaudit.rules.security.sec006_scattered_environment_reads import (
    ENV_READS_FACT,
    module_env_reads,
)
from mlaudit.rules.security.sec009_torch_load_without_weights_only import (
    LOADERS_FACT,
    TorchLoaders,
    file_torch_loaders,
)
from mlaudit.rules.testing._shared import (
    DEFINES_FACT,
    defines_something,
)
from mlaudit.rules.testing.tst004_assertionless_test import (
    DISCARDED_FACT,
    LAST_CALLS_FACT,
    NOTEBOOK_RUNS_FACT,
    TRAINING_ENDS_FACT,
    discarded_comparisons,
    last_calls,
    notebook_runs,
    training_ends,
)
from mlaudit.rules.testing.tst005_empty_test_module import DEFINES_OR_RUNS_FACT, defines_or_runs
from mlaudit.rules.testing.tst006_manual_exception_check import (
    manual_checks,
)
from mlaudit.rules.typing._shared import (
    ANNOTATIONS_FACT,
    FunctionAnnotations,
    ModuleAnnotations,
    module_annotations,
)
from mlaudit.secret_sweep import (
    CLEAN_FACT,
    SweepSettings,
    module_is_clean,
)
from mlaudit.suppress import INLINE_FACT, inline_suppressions
from mlaudit.tools.complexity import (
    FunctionMetrics,
    ModuleMetrics,
    module_metrics,
)

log = logging.getLogger(__name__)

FORMAT = 1
# Below this many bytes of Python modules everything runs in-process, as without the layer
# (about 5,000 code lines: a pool and the cache cost more than they save there).
MIN_BYTES = 200_000
MAX_CACHE_BYTES = 300 * 1024 * 1024
MAX_ENTRY_BYTES = 16 * 1024 * 1024
TAIL_BATCHES = 24  # the smallest batch: this share of a worker's work
FILE_COST = 2_000  # a file's fixed cost in a worker, in bytes of source (a file of 2 kB costs about twice its size)
BYTES_PER_WORKER = 100_000  # about 2,500 lines: less than that is not worth a process
POLL_SECONDS = 0.1  # how often a wait for the workers checks for a stop
# An entry used is marked used (its time set to now, for least-recently-used eviction) only when its time is
# older than this: a re-audit does not rewrite the times of hundreds of entries it marked minutes ago.
TOUCH_SECONDS = 3600
CODE = CODE_KINDS
EVERY = frozenset({FileKind.LIBRARY, FileKind.SCRIPT, FileKind.TEST})


@dataclass(frozen=True)
class FactContext:
    """What extractors may use besides the file: the repository's module map and the sweep settings."""

    modules: ModuleMap
    sweep: SweepSettings
    paths: frozenset[str] = frozenset()  # every module's path (a file's kind depends on its package)


@dataclass(frozen=True)
class Extractor:
    """One per-file fact: its name, the discovery kinds it applies to, and how to compute it."""

    name: str
    kinds: frozenset[FileKind]
    compute: Callable[[PythonFile, FactContext], object]
    uses_modules: bool = False  # resolved through the repository's module map
    text: bool = False  # holds string literals of the file: cached only for a module with no secret


def _scan(pf: PythonFile, context: FactContext) -> FileRandomness:
    scanned: FileRandomness = pf.file_fact(SCAN_FACT, lambda one: scan_file(one, context.modules))
    return scanned


EXTRACTORS: tuple[Extractor, ...] = (
    Extractor(METRICS_FACT, CODE, lambda pf, _c: module_metrics(pf)),
    Extractor(WORK_FACT, CODE, lambda pf, _c: find_import_time_work(pf)),
    Extractor(EXIT_FUNCTIONS_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: exit_functions(pf)),
    Extractor(SCAN_FACT, EVERY, _scan, uses_modules=True),
    Extractor(REFERENCES_FACT, frozenset({FileKind.TEST}), lambda pf, _c: referenced_names(pf)),
    Extractor(URL_NAMES_FACT, frozenset({FileKind.TEST}), lambda pf, _c: url_names(pf)),
    Extractor(ROUTES_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: named_routes(pf)),
    Extractor(CLEAN_FACT, frozenset(FileKind), lambda pf, c: module_is_clean(pf, c.sweep)),
    Extractor(CODE_LINES_FACT, frozenset(FileKind), lambda pf, _c: count_code_lines(pf)),
    Extractor(GENERATED_FACT, EVERY, lambda pf, _c: generated_by_tool(pf)),
    Extractor(DATA_CONFIG_FACT, EVERY, lambda pf, _c: data_config_module(pf)),
    Extractor(TEST_RUNNER_FACT, frozenset({FileKind.TEST}), lambda pf, _c: written_for_test_runner(pf)),
    Extractor(DOMAIN_NAMED_FACT, frozenset({FileKind.TEST}), lambda pf, _c: named_for_domain(pf)),
    Extractor(DOTENV_FACT, CODE, lambda pf, _c: mentions_dotenv(pf)),
    Extractor(ENV_FILE_FACT, frozenset(FileKind), lambda pf, _c: names_env_file(pf)),
    Extractor(NAMED_MODULES_FACT, frozenset(FileKind), lambda pf, _c: named_modules(pf), text=True),
    Extractor(INLINE_FACT, frozenset(FileKind), lambda pf, _c: inline_suppressions(pf), text=True),
    Extractor(DOWNLOADS_FACT, CODE, lambda pf, _c: module_downloads(pf), text=True),
    Extractor(CREDENTIALS_FACT, CODE, lambda pf, _c: names_credentials(pf)),
    Extractor(DOWNLOADS_URL_FACT, CODE, lambda pf, _c: downloads_by_url(pf)),
    Extractor(LINES_FACT, CODE, lambda pf, _c: compared_lines(pf)),
    Extractor(IMPORTS_FACT, EVERY, lambda pf, _c: file_imports(pf)),
    Extractor(PATH_FOLDERS_FACT, EVERY, lambda pf, _c: path_folders(pf)),
    Extractor(TOP_IMPORTS_FACT, EVERY, lambda pf, _c: top_level_import_lines(pf)),
    Extractor(CLASSES_FACT, CODE, lambda pf, _c: file_classes(pf)),
    Extractor(DISPATCH_FACT, CODE, lambda pf, _c: file_dispatches(pf), text=True),
    Extractor(TARGETS_FACT, EVERY, lambda pf, c: resolved_imports(pf, c.modules), uses_modules=True),
    Extractor(
        LOAD_TARGETS_FACT,
        frozenset({FileKind.LIBRARY, FileKind.TEST}),
        lambda pf, c: load_time_imports(pf, c.modules),
        uses_modules=True,
    ),
    Extractor(TESTS_FACT, EVERY, lambda pf, _c: collect_tests(pf)),
    Extractor(ASSERTING_FACT, EVERY, lambda pf, _c: pf.file_fact(ASSERTING_FACT, asserting_lines)),
    Extractor(HELPER_CALLS_FACT, EVERY, lambda pf, _c: imported_helper_calls(pf)),
    Extractor(FIXTURE_CALLS_FACT, frozenset({FileKind.TEST}), lambda pf, _c: fixture_calls(pf)),
    Extractor(TOP_ASSERTING_FACT, EVERY, lambda pf, _c: asserting_top_level(pf)),
    Extractor(HELPER_EDGES_FACT, frozenset({FileKind.TEST}), lambda pf, _c: helper_edges(pf)),
    Extractor(BENCHMARK_FACT, frozenset({FileKind.TEST}), lambda pf, _c: takes_benchmark(pf)),
    Extractor(READS_CLOCK_FACT, EVERY, lambda pf, _c: reads_clock(pf)),
    Extractor(RUNS_TIMEIT_FACT, EVERY, lambda pf, _c: runs_timeit(pf)),
    Extractor(TIMES_CODE_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: times_code(pf)),
    Extractor(hits_fact("TST006"), EVERY, lambda pf, _c: manual_checks(pf), text=True),
    Extractor(REGISTRATIONS_FACT, EVERY, lambda pf, c: registrations(pf, _scan(pf, c)), uses_modules=True),
    Extractor(SEED_KEY_FACT, EVERY, lambda pf, _c: names_seed(pf)),
    Extractor(ANNOTATIONS_FACT, CODE, lambda pf, _c: module_annotations(pf)),
    Extractor(DEFINES_FACT, CODE, lambda pf, _c: defines_something(pf)),
    Extractor(DEFINES_OR_RUNS_FACT, EVERY, lambda pf, _c: defines_or_runs(pf)),
    Extractor(TRAINING_ENDS_FACT, EVERY, lambda pf, _c: training_ends(pf)),
    Extractor(LAST_CALLS_FACT, frozenset({FileKind.TEST}), lambda pf, _c: last_calls(pf)),
    Extractor(DISCARDED_FACT, EVERY, lambda pf, _c: discarded_comparisons(pf)),
    Extractor(NOTEBOOK_RUNS_FACT, EVERY, lambda pf, _c: notebook_runs(pf)),
    Extractor(RESEEDS_FACT, CODE, lambda pf, _c: fixed_reseeds(pf)),
    Extractor(HANDED_FACT, frozenset(FileKind), lambda pf, _c: handed_to_cli(pf)),
    Extractor(LOAD_METHODS_FACT, frozenset(FileKind), lambda pf, _c: load_methods(pf)),
    Extractor(LOADING_CLASSES_FACT, frozenset(FileKind), lambda pf, _c: loading_classes(pf)),
    # ffun
    Extractor(LENGTHS_FACT, CODE, lambda pf, _c: function_lengths(pf)),
    Extractor(PARAMETERS_FACT, CODE, lambda pf, _c: function_parameters(pf)),
    Extractor(STAGES_FACT, CODE, lambda pf, _c: stage_calls(pf)),
    Extractor(BODY_STARTS_FACT, CODE, lambda pf, _c: body_starts(pf)),
    Extractor(DICT_USES_FACT, CODE, lambda pf, _c: dict_uses(pf), text=True),
    Extractor(POOL_INITIALIZERS_FACT, CODE, lambda pf, _c: file_pool_initializers(pf)),
    Extractor(HIDDEN_DEPENDENCIES_FACT, CODE, lambda pf, _c: file_hidden_dependencies(pf)),
    Extractor(EVIDENCE_FACT, CODE, lambda pf, _c: interface_evidence(pf), text=True),
    Extractor(PYTREE_PARTS_FACT, CODE, lambda pf, _c: pytree_parts(pf)),
    Extractor(STAR_REEXPORT_FACT, EVERY, lambda pf, _c: star_reexport(pf)),
    Extractor(ENTRY_FACT, CODE, lambda pf, _c: entry_shape(pf)),
    # frep: reproducibility candidates and evidence, re-exports of package __init__ modules
    Extractor(LITERALS_FACT, CODE, lambda pf, _c: file_literals(pf)),
    Extractor(CONFIG_FACT, CODE, lambda pf, _c: file_config_style(pf), text=True),
    Extractor(DETERMINISM_FACT, CODE, lambda pf, _c: sets_determinism(pf)),
    Extractor(UNSEEDED_FACT, CODE, lambda pf, _c: unseeded_calls(pf), text=True),
    Extractor(SEEDS_CANDIDATES_FACT, CODE, lambda pf, _c: seeds_each_candidate(pf)),
    Extractor(OP_DETERMINISM_FACT, CODE, lambda pf, _c: op_determinism_line(pf)),
    Extractor(TRAINING_FACT, CODE, lambda pf, _c: training_line(pf)),
    Extractor(DEMO_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: random_data_demo(pf)),
    Extractor(SETUP_MAIN_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: setup_only_main(pf)),
    Extractor(FROM_IMPORTS_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: from_imports(pf)),
    Extractor(TOP_NAMES_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: top_level_names(pf)),
    Extractor(LAZY_BINDINGS_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: lazy_bindings(pf)),
    Extractor(LAZY_ATTACH_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: lazy_attach(pf)),
    Extractor(DYNAMIC_IMPORTS_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: dynamic_import_prefixes(pf)),
    Extractor(CONSTANTS_FACT, CODE, lambda pf, _c: hyperparameter_constants(pf)),
    Extractor(OPTIONS_FACT, CODE, lambda pf, _c: cli_options(pf), text=True),
    Extractor(CLI_IMPORT_FACT, CODE, lambda pf, _c: cli_import_line(pf)),
    Extractor(CONFIG_NAMES_FACT, CODE, lambda pf, _c: named_config_files(pf), text=True),
    Extractor(REVISION_FACT, CODE, lambda pf, _c: pinned_revision_line(pf)),
    Extractor(SHORT_STRINGS_FACT, EVERY, lambda pf, _c: short_strings(pf), text=True),
    Extractor(HYDRA_FACT, EVERY, lambda pf, _c: hydra_config_paths(pf), text=True),
    Extractor(JOINED_FACT, EVERY, lambda pf, _c: joined_folders(pf), text=True),
    Extractor(CHOSEN_FACT, EVERY, lambda pf, _c: chosen_config_defaults(pf), text=True),
    Extractor(OPTION_FACT, EVERY, lambda pf, _c: config_file_option(pf)),
    # fprf
    Extractor(LOOP_FINDINGS_FACT, CODE, lambda pf, _c: file_loop_findings(pf), text=True),
    Extractor(FILE_PERF_FACT, CODE, lambda pf, _c: file_perf(pf), text=True),
    Extractor(INFERENCE_API_FACT, CODE, lambda pf, _c: inference_api(pf)),
    # flogsec
    Extractor(OUTPUTS_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: file_outputs(pf), text=True),
    Extractor(LOG_FILE_FACT, CODE, lambda pf, _c: log_file(pf)),
    Extractor(CALLS_FACT, CODE, lambda pf, _c: collect_first_calls(pf)),
    Extractor(PARSER_SUBCLASS_FACT, CODE, lambda pf, _c: parser_subclass_calls(pf)),
    Extractor(TRACKER_FACT, CODE, lambda pf, _c: tracker_evidence(pf), text=True),
    Extractor(COMPONENT_FACT, EVERY, lambda pf, _c: tracker_component(pf), text=True),
    Extractor(CONFIG_DETERMINISM_FACT, EVERY, lambda pf, _c: determinism_setting(pf)),
    Extractor(SECRET_ENV_FACT, CODE, lambda pf, _c: first_secret_env_read(pf), text=True),
    Extractor(ENV_READS_FACT, frozenset({FileKind.LIBRARY}), lambda pf, _c: module_env_reads(pf), text=True),
    Extractor(LOADERS_FACT, CODE, lambda pf, _c: file_torch_loaders(pf), text=True),
    Extractor(LOADING_FACT, CODE, lambda pf, _c: module_loading(pf), text=True),
    Extractor(CALLS_EVIDENCE_FACT, CODE, lambda pf, _c: module_call_evidence(pf)),
    Extractor(TRAINS_FACT, CODE, lambda pf, _c: trains_models(pf)),
    Extractor(LOCAL_PAGE_FACT, CODE, lambda pf, _c: opens_local_page(pf)),
)


def _rule_extractors() -> tuple[Extractor, ...]:
    """Return one extractor per file rule: its hits in the file (they depend on its kind, so on the module paths)."""
    found: list[Extractor] = []
    for code, rule in sorted(load_rules().items()):
        if issubclass(rule, FileRule):
            kinds = {*rule.file_kinds, *((FileKind.LIBRARY,) if FileKind.SCRIPT in rule.file_kinds else ())}
            compute = partial(_rule_hits, rule)
            found.append(Extractor(hits_fact(code), frozenset(kinds), compute, uses_modules=True, text=True))
    return tuple(found)


def _rule_hits(rule: type[FileRule], pf: PythonFile, _context: FactContext) -> tuple[Hit, ...]:
    return rule().file_hits(pf)


EXTRACTORS = (*EXTRACTORS, *_rule_extractors())
# Every class a summary may hold; the unpickler admits these and plain containers only.
FACT_TYPES: tuple[type, ...] = (
    ModuleMetrics,
    FunctionMetrics,
    WorkStatement,
    FileRandomness,
    Draw,
    SeedCall,
    ImportEdge,
    ClassInfo,
    Dispatch,
    Hit,
    Severity,
    CollectedTest,
    ModuleAnnotations,
    FunctionAnnotations,
    # ffun
    FunctionLength,
    FunctionParameters,
    StageCall,
    DictParameter,
    DictReturn,
    DictUses,
    InterfaceEvidence,
    PytreeParts,
    TypedParameter,
    EntryShape,
    # frep
    Literal,
    Reseed,
    ConfigStyle,
    # fprf
    LoopFinding,
    FilePerf,
    # flogsec
    OutputCall,
    LogCall,
    LogFile,
    Wrapper,
    TorchLoaders,
    Load,
    Loading,
    CallEvidence,
    Download,
)


@dataclass(frozen=True)
class FileSummary:
    """What the rules need of one module without its tree; `skipped` says why it could not be parsed."""

    path: str
    skipped: str | None
    has_main_guard: bool = False
    imports: tuple[tuple[str, str], ...] = ()
    imported_modules: frozenset[str] = frozenset()
    facts: tuple[tuple[str, object], ...] = ()

    def fact(self, name: str) -> object:
        """Return the named fact, or `MISSING` when it was not extracted (the parent computes it)."""
        index: dict[str, object] | None = self.__dict__.get("_index")
        if index is None:
            index = dict(self.facts)
            object.__setattr__(self, "_index", index)  # a lookup table, never pickled (`__getstate__`)
        return index.get(name, MISSING)

    def __getstate__(self) -> dict[str, object]:
        """Pickle the fields only (not the lookup table)."""
        return {k: v for k, v in self.__dict__.items() if k != "_index"}


def layer_for(options: AuditOptions, sources: list[SourceFile], root: Path) -> FactLayer | None:
    """Return the per-file fact layer of this audit, or None below `MIN_BYTES` (everything as without it)."""
    if sum(s.size for s in sources if s.abspath.suffix == ".py") < MIN_BYTES:
        return None
    return FactLayer(options.jobs, _cache_folder(options, root), SweepSettings.of(options))


class FactLayer:
    """Summarises the modules of one audit (`load_project`'s `summarize` step) and stores new summaries.

    A module in the cache is not parsed here until a rule asks for its tree. A module that is
    not is summarised by worker processes (`workers_wanted`) and likewise parsed here only on
    demand, or else parsed here and its facts computed where the rules ask for them (here or in
    the forked rule process, which sends them back); either way new facts are stored once the
    report is built (`store`).
    """

    def __init__(self, jobs: int, folder: Path | None, sweep: SweepSettings) -> None:
        self.jobs = jobs
        self.folder = folder
        self.sweep = sweep
        self.paths: tuple[str, ...] = ()
        self.keys: dict[str, str] = {}
        self.kinds: dict[str, FileKind] = {}
        self.fresh: dict[str, FileSummary | PythonFile] = {}
        self.mismatch = False
        self.hits: set[str] = set()
        self.on_file: Callable[[str], None] | None = None  # hears of each module once it is summarised
        self.should_stop: Callable[[], bool] | None = None
        self.blobs: Mapping[str, str] = {}  # sha1 blob ids of modules git's index shows unchanged

    def _blob(self, source: SourceFile, raw: bytes | None) -> str:
        return self.blobs[source.path] if raw is None else blob_id(raw)

    def unread(self, source: SourceFile) -> bool:
        """Return True when git's index names the module's content (`blobs`): its bytes wait for a cache miss."""
        return self.folder is not None and source.path in self.blobs

    def __call__(self, files: list[tuple[SourceFile, bytes | None]]) -> dict[str, PythonFile | Skipped]:
        """Return every module: parsed here, summarised (from the cache or a worker), or skipped.

        A module handed over unread (None: git's index gave its blob id) is read only on a cache miss.
        """
        self.paths = tuple(source.path for source, _ in files)  # discovery order, as the project's module map
        context = hashlib.sha256(
            "\0".join([repr(self.sweep), *self.paths]).encode("utf-8", "surrogateescape")
        ).hexdigest()
        self.keys = {source.path: entry_key(source, self._blob(source, raw), context) for source, raw in files}
        self.kinds = {source.path: source.kind for source, _ in files}
        found: dict[str, FileSummary | PythonFile] = {}
        if self.folder is not None:
            for source, _ in files:
                hit = _load_entry(self.folder, self.keys[source.path])
                if hit is not None and hit.path == source.path:
                    found[source.path] = hit
        self.hits = set(found)
        misses: list[tuple[SourceFile, bytes]] = []
        for source, raw in files:
            if source.path in found:
                continue
            content = raw if raw is not None else read_module(source)
            if isinstance(content, bytes):
                misses.append((source, content))
            else:  # unreadable after all: skipped, as if discovery had read it
                reason = content.reason if content is not None else "not read"
                found[source.path] = FileSummary(source.path, reason)
        if self.on_file is not None:
            for path in found:
                self.on_file(path)
        self.fresh = {p: v for p, v in found.items() if p not in self.hits}  # modules unreadable after all
        self.fresh.update(_compute(misses, self.paths, self.sweep, self.jobs, self.on_file, self.should_stop))
        found.update(self.fresh)
        parsed = [path for path, item in found.items() if isinstance(item, PythonFile) or item.skipped is None]
        self.mismatch = len(parsed) != len(files)
        return _finish(files, found, self.mismatch)

    def store(self, python: dict[str, PythonFile]) -> None:
        """Cache each module's summary with the facts computed in this audit (here or in a forked process).

        Nothing is computed for the cache: a summary holds the facts some rule asked for, and a
        cached one that lacks a fact this audit computed is written again with it.
        """
        if self.folder is None:
            return
        summaries: dict[str, FileSummary] = {}
        for path in self.keys:
            pf = python.get(path)
            item = self.fresh.get(path)
            if pf is None:
                if isinstance(item, FileSummary):  # a module that could not be parsed
                    summaries[path] = item
                continue
            known = pf.summary if isinstance(pf.summary, FileSummary) else None
            summary = _updated(pf, known, self.mismatch)
            if summary is not None:
                summaries[path] = summary
            elif known is not None and path not in self.hits:  # a worker's summary, complete as it is
                summaries[path] = _cacheable(known, self.mismatch)
        _store_all(self.folder, self.keys, summaries)


def _updated(pf: PythonFile, known: FileSummary | None, mismatch: bool) -> FileSummary | None:
    """Return the summary to cache for a module with the facts computed here (None: nothing new).

    The lines this audit quoted (`PythonFile.quoted`) join those the summary kept; like every
    fact holding the file's text, they are cached only for a module with no secret.
    """
    clean = pf._facts.get(CLEAN_FACT) is True or (known is not None and known.fact(CLEAN_FACT) is True)
    if known is None:
        computed = tuple((e.name, pf._facts[e.name]) for e in EXTRACTORS if e.name in pf._facts) + _quoted(pf, None)
        base = FileSummary(pf.path, None, pf.has_main_guard, tuple(pf.imports.items()), pf.imported_modules, computed)
        return _cacheable(base, mismatch, clean)
    missing = {name for name in pf._computed if name in _EXTRACTED and known.fact(name) is MISSING}
    fresh = tuple((e.name, pf._facts[e.name]) for e in EXTRACTORS if e.name in missing) if missing else ()
    fresh += _quoted(pf, known)
    if not fresh:
        return None  # the usual case of a module whose facts came from the cache: nothing to write
    new = _cacheable(replace(known, facts=fresh), mismatch, clean).facts
    replaced = {name for name, _ in new}
    return replace(known, facts=tuple(f for f in known.facts if f[0] not in replaced) + new) if new else None


def _quoted(pf: PythonFile, known: FileSummary | None) -> tuple[tuple[str, object], ...]:
    """Return the quoted-lines fact to cache when this audit quoted a line the summary did not keep, else ()."""
    if not pf.quoted:
        return ()
    kept = quoted_lines(known.fact(QUOTED_LINES_FACT)) if known is not None else {}
    if all(number in kept for number in pf.quoted):
        return ()
    return ((QUOTED_LINES_FACT, tuple(sorted({**pf.quoted, **kept}.items()))),)


def _cacheable(summary: FileSummary, mismatch: bool, clean: bool | None = None) -> FileSummary:
    """Return the summary without what must not be cached: facts resolved through another module map, and
    facts holding string literals unless the module is known to hold no secret."""
    kept = _without_module_facts(summary) if mismatch else summary
    clean = summary.fact(CLEAN_FACT) is True if clean is None else clean
    return kept if clean else _without_text_facts(kept)


def _finish(
    files: list[tuple[SourceFile, bytes | None]], found: dict[str, FileSummary | PythonFile], mismatch: bool
) -> dict[str, PythonFile | Skipped]:
    """Turn summaries into lazily parsed PythonFiles.

    When a module failed to parse, the module map the summaries resolved imports with is not
    the project's: their module-map facts are dropped (the rules compute them here).
    """
    results: dict[str, PythonFile | Skipped] = {}
    for source, raw in files:
        item = found[source.path]
        if isinstance(item, PythonFile):
            if mismatch and isinstance(item.summary, FileSummary):
                item.summary = _without_module_facts(item.summary)
            results[source.path] = item
        elif item.skipped is not None:
            results[source.path] = Skipped(source.path, item.skipped)
        else:
            summary = _without_module_facts(item) if mismatch else item
            text = decode_python(raw) if raw is not None else None
            results[source.path] = PythonFile(source, text, None, summary=summary, reader=partial(_text_of, source))
    return results


def _text_of(source: SourceFile) -> str | None:
    """Read a module whose facts came from the cache unread (git's index showed it unchanged); None if it cannot be."""
    raw = read_module(source)
    if not isinstance(raw, bytes):
        return None
    try:
        return decode_python(raw)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None


_MODULE_FACTS = frozenset(e.name for e in EXTRACTORS if e.uses_modules)
_EXTRACTED = frozenset(e.name for e in EXTRACTORS)
_TEXT_FACTS = frozenset({*(e.name for e in EXTRACTORS if e.text), QUOTED_LINES_FACT})


def _without_text_facts(summary: FileSummary) -> FileSummary:
    """Return the summary without facts holding the file's string literals (kept only for modules with no secret)."""
    return replace(summary, facts=tuple((k, v) for k, v in summary.facts if k not in _TEXT_FACTS))


def _without_module_facts(summary: FileSummary) -> FileSummary:
    return replace(summary, facts=tuple((k, v) for k, v in summary.facts if k not in _MODULE_FACTS))


# --- computing ------------------------------------------------------------------------------


def _compute(
    misses: list[tuple[SourceFile, bytes]],
    paths: tuple[str, ...],
    sweep: SweepSettings,
    jobs: int,
    on_file: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, FileSummary | PythonFile]:
    """Summarise the files not in the cache: in worker processes (`workers_wanted`), else parse them here.

    With workers, the parent parses none of them: a module's tree is parsed here only if a rule
    still asks for it. A module a worker could not summarise (a broken pool) is parsed here.
    `on_file` hears of each module once it is summarised or parsed.
    """
    if not misses:
        return {}
    pending = _start_workers(misses, paths, sweep, jobs) if workers_wanted(jobs, len(misses)) else None
    summarised = pending.collect(on_file, should_stop) if pending is not None else {}
    found: dict[str, FileSummary | PythonFile] = {}
    for source, raw in misses:
        summary = summarised.get(source.path)
        if summary is not None:
            found[source.path] = summary
            continue
        if should_stop is not None and should_stop():
            raise Cancelled
        parsed = parse_python(source, raw)
        found[source.path] = FileSummary(source.path, parsed.reason) if isinstance(parsed, Skipped) else parsed
        if on_file is not None:
            on_file(source.path)
    return found


def workers_wanted(jobs: int, misses: int) -> bool:
    """Return True when worker processes should extract the facts: two jobs or more and modules to summarise.

    The parent then parses no module: rules read the facts the workers send back. Measured on
    scikit-learn 1.9.1 (2 cores): a cold audit takes 3.3 s with workers against 4.4 s without.
    """
    return WORKERS and jobs > 1 and misses > 1


WORKERS = True  # a switch for the benchmarks (`--workers`) and tests


def summary_of(pf: PythonFile, kind: FileKind, context: FactContext) -> FileSummary:
    """Return the summary of a parsed module: its imports, main guard and every extractor's fact."""
    return FileSummary(
        pf.path,
        None,
        pf.has_main_guard,
        tuple(pf.imports.items()),
        pf.imported_modules,
        tuple(_extract(pf, kind, context).items()),
    )


def _extract(pf: PythonFile, kind: FileKind, context: FactContext) -> dict[str, object]:
    """Run every extractor that applies to the file; one that fails is left to the parent (and its rule)."""
    facts: dict[str, object] = {}
    for extractor in EXTRACTORS:
        if kind not in extractor.kinds:
            continue
        try:
            facts[extractor.name] = extract(pf, extractor, context)
        except Exception:  # noqa: BLE001 - the rule that needs it computes it again and reports the crash
            continue
    return facts


def extract(pf: PythonFile, extractor: Extractor, context: FactContext) -> object:
    """Return one extractor's fact of a file, kept with the file (`pf.file_fact`): an extractor that reads
    another's fact (`import_time_work` in API006) gets it without computing it again."""
    return pf.file_fact(extractor.name, lambda one: extractor.compute(one, context))


_WORKER_CONTEXT: list[FactContext] = []


def _init_worker(paths: tuple[str, ...], sweep: SweepSettings) -> None:
    _WORKER_CONTEXT[:] = [FactContext(ModuleMap(paths), sweep, frozenset(paths))]


def _work(batch: list[tuple[str, str, bytes]]) -> bytes:  # pragma: no cover - runs in a worker process
    """Summarise a batch of modules in a worker; return the pickled summaries (mlaudit's own objects)."""
    with collector.paused():  # a batch's trees and facts hold no cycles
        return _summarise_batch(batch)


def _summarise_batch(batch: list[tuple[str, str, bytes]]) -> bytes:  # pragma: no cover - runs in a worker process
    context = _WORKER_CONTEXT[0]
    summaries: list[FileSummary] = []
    for path, kind, raw in batch:
        source = SourceFile(path, Path(path), FileKind(kind), len(raw), None)
        parsed = parse_python(source, raw)
        if isinstance(parsed, Skipped):
            summaries.append(FileSummary(path, parsed.reason))
            continue
        if source.kind is FileKind.LIBRARY and not in_package(context.paths, path) and runs_as_program(parsed):
            parsed.source = replace(source, kind=FileKind.SCRIPT)  # as `load_project` refines it
        summaries.append(summary_of(parsed, source.kind, context))
    return pickle.dumps(summaries, protocol=pickle.HIGHEST_PROTOCOL)


class _Pending:
    """Worker processes summarising batches of modules; their results are collected once."""

    def __init__(self, pool: concurrent.futures.ProcessPoolExecutor, futures: list[concurrent.futures.Future[bytes]]):
        self.pool = pool
        self.futures = futures
        self.found: dict[str, FileSummary] | None = None

    def collect(
        self, on_file: Callable[[str], None] | None = None, should_stop: Callable[[], bool] | None = None
    ) -> dict[str, FileSummary]:
        """Wait for the workers (once) and return their summaries by path.

        `on_file` hears of each module as its batch arrives; `should_stop` is asked every
        `POLL_SECONDS`, and a stop ends the workers at once and raises `Cancelled`.
        """
        if self.found is not None:
            return self.found
        self.found = {}
        waiting = set(self.futures)
        try:
            while waiting:
                done, waiting = concurrent.futures.wait(
                    waiting, timeout=POLL_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED
                )
                if should_stop is not None and should_stop():
                    self.kill()
                    raise Cancelled
                for future in done:
                    for summary in _unpickle(future.result()):
                        self.found[summary.path] = summary
                        if on_file is not None:
                            on_file(summary.path)
        except Cancelled:
            raise
        except Exception as err:  # noqa: BLE001 - a broken pool costs time, never the audit
            log.warning("fact workers failed (%s: %s); the facts are computed here", type(err).__name__, err)
            self.found = {}
        finally:
            self.close()
        return self.found

    def kill(self) -> None:
        """End the worker processes now (a stop must not wait for their batches)."""
        for process in list(getattr(self.pool, "_processes", {}).values()):
            with contextlib.suppress(OSError, AttributeError):
                process.kill()

    def close(self) -> None:
        """Stop the workers (a cancelled or failed audit does not wait for them)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _start_workers(
    misses: list[tuple[SourceFile, bytes]], paths: tuple[str, ...], sweep: SweepSettings, jobs: int
) -> _Pending | None:
    """Start up to `jobs` worker processes on the misses, or return None when they cannot start.

    Each worker gets at least `BYTES_PER_WORKER` of source: on a many-core machine a mid-sized
    repository does not pay for dozens of processes it cannot keep busy.
    """
    workers = max(1, min(jobs, sum(len(raw) for _, raw in misses) // BYTES_PER_WORKER))
    batches = _batches(misses, workers)
    try:
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=min(workers, len(batches)),
            mp_context=_context(),
            initializer=_init_worker,
            initargs=(paths, sweep),
        )
        return _Pending(pool, [pool.submit(_work, batch) for batch in batches])
    except Exception as err:  # noqa: BLE001 - no workers costs time, never the audit
        log.warning("fact workers did not start (%s: %s); the facts are computed here", type(err).__name__, err)
        return None


def _context() -> multiprocessing.context.BaseContext:
    """Fork from a single-threaded process (the CLI); a threaded one (the app) starts a fork server."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _batches(misses: list[tuple[SourceFile, bytes]], workers: int) -> list[list[tuple[str, str, bytes]]]:
    """Split the files, largest first, into batches that shrink as the work left shrinks (guided scheduling).

    Each batch holds about a `1 / (2 * workers)` share of the bytes still to hand out, and at
    least a `1 / (workers * TAIL_BATCHES)` share of the whole: the first batches are large (few
    round trips), the last ones small, so the workers finish close together.
    """
    files = sorted(misses, key=lambda m: (-len(m[1]), m[0].path))
    left = sum(len(raw) + FILE_COST for _, raw in files)
    smallest = max(1, left // (max(1, workers) * TAIL_BATCHES))
    batches: list[list[tuple[str, str, bytes]]] = []
    batch: list[tuple[str, str, bytes]] = []
    size = 0
    for source, raw in files:
        batch.append((source.path, source.kind.value, raw))
        size += len(raw) + FILE_COST
        if size >= max(smallest, left // (2 * max(1, workers))):
            batches.append(batch)
            left -= size
            batch, size = [], 0
    if batch:
        batches.append(batch)
    return batches


class _FactUnpickler(pickle.Unpickler):
    """Unpickles mlaudit's fact classes and plain containers, nothing else."""

    CLASSES: Mapping[tuple[str, str], object] = {
        **{(cls.__module__, cls.__qualname__): cls for cls in (*FACT_TYPES, FileSummary)},
        **{("builtins", t.__name__): t for t in (frozenset, set, list, dict, tuple, str, int, float, bool)},
        ("collections", "defaultdict"): defaultdict,
    }
    ALLOWED = frozenset(CLASSES)

    def find_class(self, module: str, name: str) -> object:
        """Return an admitted class (looked up in `CLASSES`, nothing imported); refuse anything else."""
        found = self.CLASSES.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"not a fact type: {module}.{name}")
        return found


def _unpickle(payload: bytes) -> list[FileSummary]:
    """Return the summaries of a payload mlaudit pickled; raise ValueError for anything else."""
    try:
        value = _FactUnpickler(io.BytesIO(payload)).load()
    except Exception as err:
        raise ValueError(f"unreadable facts: {type(err).__name__}") from err
    if not isinstance(value, list) or not all(isinstance(v, FileSummary) for v in value):
        raise ValueError("unreadable facts: not a list of summaries")
    return value


# --- the cache ------------------------------------------------------------------------------


def _cache_folder(options: AuditOptions, root: Path) -> Path | None:
    """Return the fact cache folder, or None when the cache is off (same switches as the report cache)."""
    reason = cache.off_reason(root, options)
    if reason is not None:
        return None
    return cache.default_cache_dir() / "files"


def blob_id(raw: bytes) -> str:
    """Return git's (sha1) blob id of some bytes: the name git's index gives the same content."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def entry_key(source: SourceFile, blob: str, context: str) -> str:
    """Return the key of a module's summary: its content (git blob id), path, kind, mlaudit and the module paths."""
    parts = (
        f"facts {FORMAT}",
        cache.code_fingerprint(),
        cache.library_versions(),
        sys.version,
        source.kind.value,
        source.path,
        context,
        blob,
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _entry_path(folder: Path | str, key: str) -> str:
    """Return the path of `key`'s entry, as a string: a re-audit loads every module's entry."""
    return os.path.join(folder, f"{key[:40]}.facts")


def _load_entry(folder: Path, key: str) -> FileSummary | None:
    """Return the cached summary of `key`, or None when absent, corrupt, foreign or unreadable."""
    path = _entry_path(folder, key)
    read = _read_entry(path)
    if read is None:
        return None
    raw, modified = read
    head, newline, body = raw.partition(b"\n")
    try:
        header = json.loads(head) if newline else None
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
        return None
    if header.get("sha256") != hashlib.sha256(body).hexdigest():
        return None
    try:
        summaries = _unpickle(body)
    except ValueError:
        return None
    if len(summaries) != 1:
        return None
    if not 0 <= time.time() - modified < TOUCH_SECONDS:
        cache.touch(path)  # least recently used entries are evicted first
    return summaries[0]


def _read_entry(path: str) -> tuple[bytes, float] | None:
    """Return the bytes and modification time of the entry at `path` (a regular file, never a link), else None."""
    from mlaudit.discover import read_unlinked

    try:
        data, info = read_unlinked(path, limit=MAX_ENTRY_BYTES)
    except OSError:
        return None
    return data, info.st_mtime


def _store_all(folder: Path, keys: dict[str, str], summaries: dict[str, FileSummary]) -> None:
    """Write the summaries atomically, one entry each; bound the folder's size."""
    if not summaries:
        return
    try:
        written = 0
        for path, summary in summaries.items():
            body = pickle.dumps([summary], protocol=pickle.HIGHEST_PROTOCOL)
            header = {"format": FORMAT, "key": keys[path], "sha256": hashlib.sha256(body).hexdigest()}
            entry = json.dumps(header).encode("ascii") + b"\n" + body
            cache.write_atomic(folder, _entry_path(folder, keys[path]), entry)
            written += len(entry)
        cache.evict_when_full(folder, MAX_CACHE_BYTES, written, ".facts")
    except OSError as err:
        log.info("fact cache not written (%s: %s)", folder, err)
    except Exception as err:  # noqa: BLE001 - the cache only saves time: a fault in it never ends an audit
        log.warning("fact cache not written (%s: %s)", type(err).__name__, err)
