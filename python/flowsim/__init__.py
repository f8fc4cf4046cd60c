# SPDX-License-Identifier: MIT
"""flowsim for Python: run scenarios, explain and compare them through libflowsim.

    import flowsim
    report = flowsim.run("scenarios/tour.json", set={"date": "2015-05-01"})
    report["partners"][0]["users_reached"]
    report.flows.to_pandas()          # with pandas installed

Every function returns what `flowsim run|explain|diff --format json` prints, parsed into Python
objects (the same keys, documented in docs/format.md and docs/analysis.md). Errors raise
flowsim.Error with the CLI's message and its kind (2 usage, 3 input, 4 internal).

The module talks to the installed shared library (libflowsim.so.0) through cffi in ABI mode:
no compiler is needed. Set FLOWSIM_LIBRARY to the library's path to use another build.
"""
import json
import os

from cffi import FFI

__all__ = ["Error", "Report", "run", "explain", "diff", "version"]

_CDEF = """
typedef struct FlowsimError FlowsimError;
typedef struct FlowsimOptions FlowsimOptions;
typedef struct FlowsimSimulation FlowsimSimulation;
typedef enum { FLOWSIM_FORMAT_TEXT, FLOWSIM_FORMAT_JSON, FLOWSIM_FORMAT_CSV } FlowsimFormat;
const char *flowsim_version (void);
const char *flowsim_error_message (const FlowsimError *error);
int flowsim_error_kind (const FlowsimError *error);
void flowsim_error_free (FlowsimError *error);
void flowsim_free (void *p);
FlowsimOptions *flowsim_options_new (void);
void flowsim_options_free (FlowsimOptions *options);
void flowsim_options_add_set (FlowsimOptions *options, const char *path_value);
void flowsim_options_set_threads (FlowsimOptions *options, unsigned threads);
FlowsimSimulation *flowsim_simulate (const char *scenario_path, const FlowsimOptions *options,
                                     FlowsimError **error);
void flowsim_simulation_free (FlowsimSimulation *sim);
char *flowsim_simulation_report (const FlowsimSimulation *sim, FlowsimFormat format);
char *flowsim_simulation_explain (const FlowsimSimulation *sim, const char *user,
                                  const char *field, const char *partner, FlowsimFormat format,
                                  FlowsimError **error);
char *flowsim_diff (const char *base_path, const char *whatif_path,
                    const FlowsimOptions *whatif_options, FlowsimFormat format,
                    FlowsimError **error);
"""

_ffi = FFI()
_ffi.cdef(_CDEF)
_lib = _ffi.dlopen(os.environ.get("FLOWSIM_LIBRARY") or "libflowsim.so.0")


class Error(Exception):
    """A failure reported by libflowsim: `kind` is 2 (usage), 3 (input) or 4 (internal)."""

    def __init__(self, message, kind):
        super().__init__(message)
        self.kind = kind


class Table(list):
    """A list of rows (dicts) that can become a pandas DataFrame."""

    def to_pandas(self):
        import pandas  # optional: only this method needs it

        return pandas.DataFrame(list(self))


class Report(dict):
    """The JSON report of `flowsim run`, with its tables as Table objects."""

    def __init__(self, document):
        super().__init__(document)
        for key in ("partners", "flows", "fields", "jurisdictions"):
            if key in self:
                self[key] = Table(self[key])

    @property
    def flows(self):
        return self["flows"]

    @property
    def partners(self):
        return self["partners"]

    def to_pandas(self):
        """The flows, one row per field, partner and destination, as a DataFrame."""
        import pandas

        rows = []
        for flow in self["flows"]:
            row = {k: v for k, v in flow.items() if k != "channels"}
            row.update(flow.get("channels", {}))
            rows.append(row)
        return pandas.DataFrame(rows)


def version():
    """The version of the libflowsim in use."""
    return _ffi.string(_lib.flowsim_version()).decode()


def _raise(error_ptr):
    message = _ffi.string(_lib.flowsim_error_message(error_ptr[0])).decode("utf-8", "replace")
    kind = _lib.flowsim_error_kind(error_ptr[0])
    _lib.flowsim_error_free(error_ptr[0])
    raise Error(message, kind)


def _options(set, threads):
    options = _ffi.gc(_lib.flowsim_options_new(), _lib.flowsim_options_free)
    for path, value in (set or {}).items():
        if not isinstance(value, str):
            value = json.dumps(value)
        _lib.flowsim_options_add_set(options, f"{path}={value}".encode())
    if threads:
        _lib.flowsim_options_set_threads(options, threads)
    return options


def _take_string(pointer):
    try:
        return _ffi.string(pointer).decode()
    finally:
        _lib.flowsim_free(pointer)


def _simulate(path, set, threads):
    error = _ffi.new("FlowsimError **")
    sim = _lib.flowsim_simulate(os.fsencode(path), _options(set, threads), error)
    if sim == _ffi.NULL:
        _raise(error)
    return _ffi.gc(sim, _lib.flowsim_simulation_free)


def run(path, set=None, threads=0, format="json"):
    """Simulates the scenario at `path` with `set` overrides ({PATH: VALUE}, as `--set`).

    Returns the report as a Report (format "json"), or the text or CSV report as a string.
    """
    formats = {"text": 0, "json": 1, "csv": 2}
    if format not in formats:
        raise ValueError(f"unknown format {format!r} (expected text, json or csv)")
    sim = _simulate(path, set, threads)
    text = _take_string(_lib.flowsim_simulation_report(sim, formats[format]))
    return Report(json.loads(text)) if format == "json" else text


def explain(path, user, field=None, partner=None, set=None, threads=0):
    """Why `user`'s data reached each partner or not: `flowsim explain --format json`."""
    sim = _simulate(path, set, threads)
    error = _ffi.new("FlowsimError **")
    enc = lambda s: _ffi.NULL if s is None else s.encode()
    out = _lib.flowsim_simulation_explain(sim, user.encode(), enc(field), enc(partner), 1, error)
    if out == _ffi.NULL:
        _raise(error)
    return json.loads(_take_string(out))


def diff(base, whatif=None, set=None, threads=0):
    """What a what-if changes against `base`: `flowsim diff BASE [WHATIF] --set ... --format json`."""
    error = _ffi.new("FlowsimError **")
    other = _ffi.NULL if whatif is None else os.fsencode(whatif)
    out = _lib.flowsim_diff(os.fsencode(base), other, _options(set, threads), 1, error)
    if out == _ffi.NULL:
        _raise(error)
    return json.loads(_take_string(out))
