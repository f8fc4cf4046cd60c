# SPDX-License-Identifier: MIT
"""flowsim for Python: run scenarios, explain and compare them through libflowsim.

    import flowsim
    report = flowsim.run("scenarios/tour.json", set={"date": "2015-05-01"})
    report["partners"][0]["users_reached"]
    report.flows.to_pandas()          # with pandas installed
    flowsim.run("scenarios/device-partners-2018.json", claim={"apple-access": "apple-2017-09"})

Every function returns what `flowsim run|explain|diff|claims --format json` prints, parsed into Python
objects (the same keys, documented in docs/format.md and docs/analysis.md). Errors raise
flowsim.Error with the CLI's message and its kind (2 usage, 3 input, 4 internal).

The module talks to the installed shared library (libflowsim.so.0) through cffi in ABI mode:
no compiler is needed. Set FLOWSIM_LIBRARY to the library's path to use another build.
"""
import json
import os

from cffi import FFI

__all__ = ["Error", "Report", "run", "explain", "diff", "claims", "diagram", "version",
           "set_memory_limit", "set_max_graph_size"]

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
void flowsim_set_memory_limit (unsigned long long bytes);
FlowsimOptions *flowsim_options_new (void);
void flowsim_options_free (FlowsimOptions *options);
void flowsim_options_add_set (FlowsimOptions *options, const char *path_value);
void flowsim_options_add_claim (FlowsimOptions *options, const char *claim_alternative);
void flowsim_options_set_threads (FlowsimOptions *options, unsigned threads);
void flowsim_options_set_graphviz (FlowsimOptions *options, const char *program);
int flowsim_set_max_graph_size (unsigned long long bytes);
FlowsimSimulation *flowsim_simulate (const char *scenario_path, const FlowsimOptions *options,
                                     FlowsimError **error);
void flowsim_simulation_free (FlowsimSimulation *sim);
char *flowsim_simulation_report_checked (const FlowsimSimulation *sim, FlowsimFormat format,
                                         FlowsimError **error);
char *flowsim_simulation_diagram (const FlowsimSimulation *sim, const char *format,
                                  FlowsimError **error);
char *flowsim_simulation_explain (const FlowsimSimulation *sim, const char *user,
                                  const char *field, const char *partner, FlowsimFormat format,
                                  FlowsimError **error);
char *flowsim_diff (const char *base_path, const char *whatif_path,
                    const FlowsimOptions *whatif_options, FlowsimFormat format,
                    FlowsimError **error);
char *flowsim_claims (const char *scenario_path, const FlowsimOptions *options,
                      FlowsimFormat format, FlowsimError **error);
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


def set_memory_limit(bytes):
    """Lowers the memory libflowsim counts on for this process (bytes; 0: the machine's own, the
    default), as FLOWSIM_MEMORY_LIMIT does for the command line: a scenario that would need more
    raises flowsim.Error (kind 3) saying "out of memory". Process-wide."""
    if not isinstance(bytes, int) or bytes < 0:
        raise ValueError(f"a memory limit is a number of bytes, not {bytes!r}")
    _lib.flowsim_set_memory_limit(bytes)


def set_max_graph_size(size):
    """Sets the most one process reads of an edge list that a scenario imports, in bytes (0:
    the default, 256 MiB), as the command line's --max-graph-size does: for a large graph you
    trust, never from a scenario. At most 16 GiB (ValueError above, the limit unchanged);
    GraphML and GML files stay within 256 MiB. Process-wide."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError(f"set_max_graph_size: expected a number of bytes, got {size!r}")
    if size > 2**64 - 1 or not _lib.flowsim_set_max_graph_size(size):
        raise ValueError(f"set_max_graph_size: {size} bytes is more than 16 GiB, the most one "
                         "process reads of an edge list (under mpirun each rank reads its part)")


def _raise(error_ptr):
    message = _ffi.string(_lib.flowsim_error_message(error_ptr[0])).decode("utf-8", "replace")
    kind = _lib.flowsim_error_kind(error_ptr[0])
    _lib.flowsim_error_free(error_ptr[0])
    raise Error(message, kind)


def _c_string(text, what, kind, path=False):
    """`text` as the bytes of a C string: libflowsim reads up to the first NUL, so a string
    holding one would reach it cut short, silently (the NUL rule, docs/robustness.md): that is
    flowsim.Error of `kind`, naming `what` and never quoting the text. So is a lone UTF-16
    surrogate ("\\ud800"), which is no character and has no UTF-8: Python's own
    UnicodeEncodeError escaped before (a path takes it as a byte, as os.fsencode does)."""
    try:
        data = os.fsencode(text) if path else text.encode()
    except UnicodeEncodeError as e:
        raise Error(f"{what}: a lone UTF-16 surrogate (U+{ord(text[e.start]):04X}) at character "
                    f"{e.start + 1}: it is not a character and has no UTF-8 (a pair such as "
                    "U+D83D U+DE00 is one character: write that character)", kind) from None
    if "\0" in text:
        at = text.index("\0") + 1
        raise Error(f"{what}: a NUL character (U+0000) at character {at}: a NUL character is "
                    "not allowed (it would cut the string short)", kind)
    return data


def _path(path, what="the scenario's path"):
    return _c_string(path, what, 3, path=True)


def _options(set, threads, claim=None, graphviz=None):
    options = _ffi.gc(_lib.flowsim_options_new(), _lib.flowsim_options_free)
    for path, value in (set or {}).items():
        if not isinstance(value, str):
            try:  # NaN and the infinities have no JSON: "NaN" reached flowsim as text
                value = json.dumps(value, allow_nan=False)
            except ValueError:
                raise Error(f"--set {path}: {value!r} has no JSON number (NaN and the "
                            "infinities have none): expected a finite number", 3) from None
        _lib.flowsim_options_add_set(options, _c_string(f"{path}={value}", "--set PATH=VALUE", 3))
    for name, alternative in (claim or {}).items():
        _lib.flowsim_options_add_claim(options,
                                       _c_string(f"{name}={alternative}", "--claim CLAIM=ALTERNATIVE", 3))
    if threads:
        _lib.flowsim_options_set_threads(options, threads)
    if graphviz is not None:
        _lib.flowsim_options_set_graphviz(options, _path(graphviz, "graphviz"))
    return options


def _take_string(pointer):
    try:
        return _ffi.string(pointer).decode()
    finally:
        _lib.flowsim_free(pointer)


def _simulate(path, set, threads, claim=None, graphviz=None):
    error = _ffi.new("FlowsimError **")
    sim = _lib.flowsim_simulate(_path(path), _options(set, threads, claim, graphviz), error)
    if sim == _ffi.NULL:
        _raise(error)
    return _ffi.gc(sim, _lib.flowsim_simulation_free)


def run(path, set=None, threads=0, format="json", claim=None):
    """Simulates the scenario at `path` with `set` overrides ({PATH: VALUE}, as `--set`) and
    `claim` choices ({CLAIM: ALTERNATIVE}, as `--claim`; `flowsim.claims()` lists them).

    Returns the report as a Report (format "json"), or the text or CSV report as a string.
    """
    formats = {"text": 0, "json": 1, "csv": 2}
    if format not in formats:
        raise ValueError(f"unknown format {format!r} (expected text, json or csv)")
    sim = _simulate(path, set, threads, claim)
    error = _ffi.new("FlowsimError **")
    out = _lib.flowsim_simulation_report_checked(sim, formats[format], error)
    if out == _ffi.NULL:
        _raise(error)
    text = _take_string(out)
    return Report(json.loads(text)) if format == "json" else text


def explain(path, user, field=None, partner=None, set=None, threads=0, claim=None):
    """Why `user`'s data reached each partner or not: `flowsim explain --format json`."""
    sim = _simulate(path, set, threads, claim)
    error = _ffi.new("FlowsimError **")
    enc = lambda s, what: _ffi.NULL if s is None else _c_string(s, what, 2)
    out = _lib.flowsim_simulation_explain(sim, enc(user, "user"), enc(field, "field"),
                                          enc(partner, "partner"), 1, error)
    if out == _ffi.NULL:
        _raise(error)
    return json.loads(_take_string(out))


def diff(base, whatif=None, set=None, threads=0, claim=None):
    """What a what-if changes against `base`: `flowsim diff BASE [WHATIF] --set ... --claim ...
    --format json` (`set` and `claim` make the what-if)."""
    error = _ffi.new("FlowsimError **")
    other = _ffi.NULL if whatif is None else _path(whatif, "the what-if's path")
    out = _lib.flowsim_diff(_path(base), other, _options(set, threads, claim), 1, error)
    if out == _ffi.NULL:
        _raise(error)
    return json.loads(_take_string(out))


def claims(path, set=None, claim=None):
    """The contested facts of the scenario's model, their alternatives, evidence and sources,
    and the alternative in force of each: `flowsim claims --format json`."""
    error = _ffi.new("FlowsimError **")
    out = _lib.flowsim_claims(_path(path), _options(set, 0, claim), 1, error)
    if out == _ffi.NULL:
        _raise(error)
    return json.loads(_take_string(out))


def diagram(path, format="svg", set=None, claim=None, threads=0, graphviz=None):
    """The flow diagram `flowsim diagram --format FORMAT` draws, as a string: "dot", or "svg"
    laid out by Graphviz (`graphviz`: the dot program to run; default `dot` in PATH)."""
    if format not in ("dot", "svg"):
        raise ValueError(f"unknown format {format!r} (expected dot or svg)")
    sim = _simulate(path, set, threads, claim, graphviz)
    error = _ffi.new("FlowsimError **")
    out = _lib.flowsim_simulation_diagram(sim, format.encode(), error)  # checked above
    if out == _ffi.NULL:
        _raise(error)
    return _take_string(out)
