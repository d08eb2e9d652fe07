"""What a file-reading child sends back to the server: data only, never pickle.

A child that a crafted file has compromised must not be able to run code in the server, so the
result crosses the socket as a small JSON header (status, texts, problems, sheet lists, period
labels, and how each column is typed) followed by each frame as a length-prefixed Arrow IPC
stream. `decode` checks all of it against `loaders.model` (known statuses, exact keys and types,
the model's column lists) and raises WireError for anything else, so the caller can treat a
malformed reply exactly like a child that died.

Frames come back equal to the child's, dtypes included. Object columns (dates, None, mixed
values) travel as a dense union with one child per Python type, so a date stays a `date`, None
stays None and NaN stays NaN; numpy scalars inside object columns come back as the equal Python
scalars. A dtype or value type not listed here is refused when encoding, never guessed.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Literal, TypeAlias, cast, get_args

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.model import (
    ACTION_COLUMNS,
    KPI_COLUMNS,
    OBSERVATION_COLUMNS,
    PRIORITY_COLUMNS,
    RATING_COLUMNS,
    KpiData,
    Parsed,
    PlanData,
)
from loaders.problems import Problem, Problems

Status = Literal["ok", "refused", "unreadable", "memory", "crash"]
MAGIC = b"DPW1"
Buffer: TypeAlias = bytes | bytearray | memoryview | pa.Buffer
_U32 = struct.Struct("!I")
_U64 = struct.Struct("!Q")
_FRAMES: dict[str, dict[str, list[str]]] = {
    "plan": {"priorities": PRIORITY_COLUMNS, "actions": ACTION_COLUMNS, "ratings": RATING_COLUMNS},
    "kpi": {"kpis": KPI_COLUMNS, "observations": OBSERVATION_COLUMNS},
}
_INDEX = "__index__"
_NUMPY_DTYPES = {
    *(f"{kind}{bits}" for kind in ("int", "uint") for bits in (8, 16, 32, 64)),
    "float32",
    "float64",
    "bool",
    *(f"datetime64[{unit}]" for unit in ("s", "ms", "us", "ns")),
}
# Each Python type an object column may hold, the Arrow type it travels as, and the way back.
_NULLS: dict[str, object] = {"none": None, "nan": math.nan, "nat": pd.NaT}
_TAG_TYPES: dict[str, pa.DataType] = {
    "str": pa.large_string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    **{tag: pa.null() for tag in _NULLS},
}


class WireError(Exception):
    """A result that cannot be sent, or a reply that is not a well-formed result."""


@dataclass(frozen=True)
class Outcome:
    """What one child reports: `parsed` when status is "ok"; else `message` and `title` (crash: `message` is detail)."""

    status: Status
    parsed: Parsed | None = None
    message: str = ""
    title: str = ""


# --- encoding (in the child) -----------------------------------------------------------------


def encode(outcome: Outcome) -> bytes:
    """The outcome as bytes; WireError if it holds a dtype or value this format does not carry."""
    return b"".join(encode_parts(outcome))


def encode_parts(outcome: Outcome) -> list[Buffer]:
    """`encode` as a list of buffers to send one after another, so large frames are never copied."""
    blobs: list[pa.Buffer] = []
    parsed = None if outcome.parsed is None else _encode_parsed(outcome.parsed, blobs)
    header = {"status": outcome.status, "message": outcome.message, "title": outcome.title, "parsed": parsed}
    text = json.dumps(header, ensure_ascii=False, allow_nan=False).encode()
    text += b" " * (-len(text) % 8)  # frames start 8-byte aligned, as Arrow likes to read them
    parts: list[Buffer] = [MAGIC, _U32.pack(len(text)), text]
    for blob in blobs:
        parts += [_U64.pack(blob.size), blob]
    return parts


def _encode_parsed(parsed: Parsed, blobs: list[pa.Buffer]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file_name": parsed.file_name,
        "sha256": parsed.sha256,
        "problems": {"file": parsed.problems.file, "items": [p.as_dict() for p in parsed.problems.items]},
        "sheets_used": [[name, shape] for name, shape in parsed.sheets_used],
        "sheets_skipped": list(parsed.sheets_skipped),
        "plan": None,
        "kpi": None,
    }
    for part, frames in _FRAMES.items():
        data = getattr(parsed, part)
        if data is None:
            continue
        out[part] = {"frames": {name: _encode_frame(getattr(data, name), blobs) for name in frames}}
        if isinstance(data, PlanData):
            out[part]["period_labels"] = [[day.isoformat(), label] for day, label in data.period_labels.items()]
    return out


def _encode_frame(frame: pd.DataFrame, blobs: list[pa.Buffer]) -> dict[str, Any]:
    names = [str(c) for c in frame.columns]
    if names != list(frame.columns) or len(set(names)) != len(names):
        raise WireError(f"column names must be distinct text: {list(frame.columns)!r}")
    arrays = [_encode_column(frame.iloc[:, i], names[i]) for i in range(len(names))]
    specs = [spec for spec, _ in arrays]
    columns = [array for _, array in arrays]
    index = frame.index
    header: dict[str, Any] = {
        "columns": names,
        "columns_dtype": _dtype_spec(frame.columns.dtype),
        "dtypes": specs,
        "rows": len(frame),
        "index_name": _index_name(index.name),
    }
    if isinstance(index, pd.RangeIndex):
        header["index"] = [index.start, index.stop, index.step]
    else:
        spec, array = _encode_column(index.to_series(index=pd.RangeIndex(len(index))), _INDEX)
        header["index"] = spec
        specs, columns, names = [*specs, spec], [*columns, array], [*names, _INDEX]
    batch = pa.RecordBatch.from_arrays(columns, names=[str(i) for i in range(len(columns))])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    blobs.append(sink.getvalue())
    return header


def _index_name(name: object) -> str | None:
    if name is None or isinstance(name, str):
        return name
    raise WireError(f"index name must be text: {name!r}")


def _encode_column(series: pd.Series, name: str) -> tuple[str, pa.Array]:
    spec = _dtype_spec(series.dtype)
    if spec.startswith(("str", "string")):
        array = pa.array(series, from_pandas=True)
        return spec, array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    if spec != "object":
        return spec, pa.array(series.to_numpy())
    return spec, _encode_objects(series.to_numpy(dtype=object), name)


def _dtype_spec(dtype: object) -> str:
    if isinstance(dtype, pd.StringDtype):
        kind = "str" if dtype.na_value is np.nan else "string"
        return f"{kind}[{dtype.storage}]"
    if isinstance(dtype, np.dtype) and (dtype.kind == "O" or str(dtype) in _NUMPY_DTYPES):
        return str(dtype)
    raise WireError(f"columns of dtype {dtype} cannot be sent")


def _tag(kind: type, name: str) -> str:
    """The tag for one Python type found in an object column ("float" covers NaN, split later)."""
    if kind is type(None):
        return "none"
    if kind is type(pd.NaT):
        return "nat"
    if issubclass(kind, bool | np.bool_):
        return "bool"
    if issubclass(kind, int | np.integer):
        return "int"
    if issubclass(kind, float | np.floating):
        return "float"
    if issubclass(kind, str):
        return "str"
    if kind is datetime:
        return "datetime"
    if kind is date:
        return "date"
    raise WireError(f"column {name!r} holds a {kind.__name__}, which cannot be sent")


def _encode_objects(values: np.ndarray, name: str) -> pa.Array:
    """An object column as a dense union: one child per tag, each holding that tag's values in order."""
    kinds = np.frompyfunc(type, 1, 1)(values) if len(values) else np.empty(0, dtype=object)
    found = pd.unique(kinds)
    numbers = pd.factorize(kinds)[0] if len(found) > 1 else np.zeros(len(values), dtype="int64")
    masks: dict[str, np.ndarray] = {}
    for number, kind in enumerate(found):  # pd.unique and pd.factorize both number kinds by first appearance
        tag = _tag(kind, name)
        mask = numbers == number
        if tag == "float":
            nan = np.zeros(len(values), dtype=bool)
            nan[mask] = np.isnan(values[mask].astype("float64"))
            masks["nan"] = masks.get("nan", nan) | nan
            mask &= ~nan
        masks[tag] = masks[tag] | mask if tag in masks else mask
    tags = [tag for tag in _TAG_TYPES if tag in masks and masks[tag].any()]
    codes = np.zeros(len(values), dtype="int8")
    offsets = np.zeros(len(values), dtype="int32")
    children = []
    for code, tag in enumerate(tags):
        mask = masks[tag]
        codes[mask] = code
        offsets[mask] = np.arange(int(mask.sum()), dtype="int32")
        chosen = values[mask]
        if tag == "datetime" and any(v.tzinfo is not None for v in chosen):
            raise WireError(f"column {name!r} holds a datetime with a time zone, which cannot be sent")
        if tag in _NULLS:
            children.append(pa.nulls(len(chosen)))
        else:
            children.append(pa.array(chosen.tolist() if tag in ("bool", "int", "float") else chosen, _TAG_TYPES[tag]))
    return pa.UnionArray.from_dense(
        pa.array(codes, pa.int8()), pa.array(offsets, pa.int32()), children, tags, list(range(len(tags)))
    )


# --- decoding (in the server) ----------------------------------------------------------------


def decode(payload: Buffer) -> Outcome:
    """The child's reply, checked; WireError for anything that is not exactly a well-formed result."""
    try:
        return _decode(memoryview(payload))
    except WireError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure reading untrusted bytes means "no usable result"
        raise WireError(f"malformed reply: {type(exc).__name__}: {exc}"[:500]) from None


def _decode(view: memoryview) -> Outcome:
    _check(bytes(view[:4]) == MAGIC, "not a reply from a file-reading child")
    size = _U32.unpack_from(view, 4)[0]
    header = json.loads(bytes(view[8 : 8 + size]).decode(), parse_constant=_no_constant)
    blobs, at = [], 8 + size
    while at < len(view):
        length = _U64.unpack_from(view, at)[0]
        _check(at + 8 + length <= len(view), "a frame is cut short")
        blobs.append(view[at + 8 : at + 8 + length])
        at += 8 + length
    _keys(header, {"status", "message", "title", "parsed"})
    status = header["status"]
    _check(status in get_args(Status), f"unknown status {status!r}")
    message, title = _text(header["message"]), _text(header["title"])
    parsed = None
    if status == "ok":
        parsed = _decode_parsed(header["parsed"], blobs)
    else:
        _check(header["parsed"] is None and not blobs, "frames with a failure")
    _check(not blobs, "more frames than the header lists")
    return Outcome(cast(Status, status), parsed, message, title)


def _decode_parsed(raw: object, blobs: list[memoryview]) -> Parsed:
    _keys(raw, {"file_name", "sha256", "problems", "sheets_used", "sheets_skipped", "plan", "kpi"})
    head = cast(dict[str, Any], raw)
    _keys(head["problems"], {"file", "items"})
    problems = Problems(_text(head["problems"]["file"]), [_problem(p) for p in _list(head["problems"]["items"])])
    used = [_list(pair) for pair in _list(head["sheets_used"])]
    _check(all(len(pair) == 2 for pair in used), "sheets_used must hold pairs")
    parsed = Parsed(
        _text(head["file_name"]),
        _text(head["sha256"]),
        problems,
        sheets_used=[(_text(name), _text(shape)) for name, shape in used],
        sheets_skipped=[_text(name) for name in _list(head["sheets_skipped"])],
    )
    for part, names in _FRAMES.items():
        data = head[part]
        if data is None:
            continue
        _keys(data, {"frames", "period_labels"} if part == "plan" else {"frames"})
        _keys(data["frames"], set(names))
        frames = {name: _decode_frame(data["frames"][name], columns, blobs) for name, columns in names.items()}
        if part == "plan":
            labels = [_list(pair) for pair in _list(data["period_labels"])]
            _check(all(len(pair) == 2 for pair in labels), "period_labels must hold pairs")
            parsed.plan = PlanData(**frames, period_labels={_day(d): _text(label) for d, label in labels})
        else:
            parsed.kpi = KpiData(**frames)
    return parsed


def _problem(raw: object) -> Problem:
    names = {f.name for f in fields(Problem)}
    _keys(raw, names)
    item = cast(dict[str, Any], raw)
    _check(item["severity"] in ("error", "warning"), "unknown severity")
    _check(item["row"] is None or type(item["row"]) is int, "row must be a whole number")
    texts = {k: _text(item[k]) for k in names - {"severity", "row"}}
    return Problem(severity=item["severity"], row=item["row"], **texts)


def _decode_frame(raw: object, expected: list[str], blobs: list[memoryview]) -> pd.DataFrame:
    _keys(raw, {"columns", "columns_dtype", "dtypes", "rows", "index", "index_name"})
    head = cast(dict[str, Any], raw)
    _check(head["columns"] == expected, f"unexpected columns {head['columns']!r}")
    _check(type(head["rows"]) is int and head["rows"] >= 0, "rows must be a count")
    _check(head["columns_dtype"] in ("str[pyarrow]", "str[python]", "object"), "unexpected column labels")
    _check(head["index_name"] is None or isinstance(head["index_name"], str), "index name must be text")
    specs = [_text(spec) for spec in _list(head["dtypes"])]
    ranged = isinstance(head["index"], list)
    if not ranged:
        specs.append(_text(head["index"]))
    _check(len(specs) == len(expected) + (not ranged), "one dtype per column")
    _check(bool(blobs), "fewer frames than the header lists")
    batches = list(pa.ipc.open_stream(pa.py_buffer(blobs.pop(0))))
    _check(len(batches) == 1, "a frame must be one record batch")
    table = batches[0]
    table.validate(full=True)
    _check(table.schema.names == [str(i) for i in range(len(specs))], "frame columns do not match the header")
    _check(table.num_rows == head["rows"], "frame length does not match the header")
    rows = head["rows"]
    if ranged:
        start, stop, step = head["index"]
        _check(all(type(b) is int for b in (start, stop, step)) and step != 0, "bad index range")
        index: pd.Index = pd.RangeIndex(start, stop, step, name=head["index_name"])
        _check(len(index) == rows, "index length does not match the frame")
    else:
        values = _decode_column(table.column(len(expected)), specs[-1])
        index = pd.Index(values, dtype=_dtype(specs[-1]), name=head["index_name"])
    data = {
        name: pd.Series(_decode_column(table.column(i), specs[i]), index=index, dtype=_dtype(specs[i]), copy=False)
        for i, name in enumerate(expected)
    }
    frame = pd.DataFrame(data, index=index)
    frame.columns = pd.Index(expected, dtype=_dtype(head["columns_dtype"]))
    return frame


def _decode_column(array: pa.Array, spec: str) -> Any:
    """One Arrow column back to the array pandas had: numpy for numpy dtypes, else an extension array."""
    dtype = _dtype(spec)
    if spec == "object":
        return _decode_objects(array)
    if isinstance(dtype, pd.StringDtype):
        _check(pa.types.is_string(array.type) or pa.types.is_large_string(array.type), "text column is not text")
        return pd.array(array.to_pandas() if len(array) else [], dtype=dtype)
    _check(array.type == pa.from_numpy_dtype(dtype), f"{spec} column arrived as {array.type}")
    _check(array.null_count == 0 or spec.startswith("datetime64"), f"{spec} column holds nulls")
    if not len(array):  # pyarrow's accessors are not safe on some empty arrays read from IPC
        return np.empty(0, dtype=dtype)
    values = array.to_numpy(zero_copy_only=False, writable=True)
    _check(values.dtype == dtype, f"{spec} column arrived as {values.dtype}")
    return values


def _decode_objects(array: pa.Array) -> np.ndarray:
    _check(isinstance(array, pa.UnionArray) and array.type.mode == "dense", "object column is not a dense union")
    union = cast(pa.UnionArray, array)
    kind = union.type
    tags = [kind.field(i).name for i in range(kind.num_fields)]
    _check(len(set(tags)) == len(tags) and list(kind.type_codes) == list(range(len(tags))), "bad union layout")
    for code, tag in enumerate(tags):
        _check(tag in _TAG_TYPES and kind.field(code).type == _TAG_TYPES[tag], f"bad union child {tag!r}")
    out = np.full(len(union), None, dtype=object)
    if not len(union):
        return out
    # Read from the buffers: pyarrow's type_codes/offsets accessors crash on empty arrays read from IPC.
    buffers = union.buffers()
    codes = np.frombuffer(buffers[1], dtype="int8", count=len(union), offset=union.offset)
    offsets = np.frombuffer(buffers[2], dtype="int32", count=len(union), offset=4 * union.offset)
    covered = 0
    for code, tag in enumerate(tags):
        chosen = codes == code
        covered += int(chosen.sum())
        if tag in _NULLS:
            out[chosen] = _NULLS[tag]
        else:
            out[chosen] = _OBJECTS[tag](union.field(code))[offsets[chosen]]
    _check(covered == len(union), "union codes out of range")
    return out


def _scalars(array: pa.Array) -> np.ndarray:
    _check(array.null_count == 0, "nulls inside a typed union child")
    return array.to_numpy(zero_copy_only=False).astype(object)


_OBJECTS: dict[str, Callable[[pa.Array], np.ndarray]] = {
    "str": _scalars,
    "int": _scalars,
    "float": _scalars,
    "bool": _scalars,
    "date": lambda a: a.to_pandas(date_as_object=True).to_numpy(dtype=object),
    "datetime": lambda a: a.to_pandas(timestamp_as_object=True).to_numpy(dtype=object),
}


def _dtype(spec: str) -> Any:
    if spec == "object":
        return np.dtype(object)
    for kind, na_value in (("str", np.nan), ("string", pd.NA)):
        for storage in ("pyarrow", "python"):
            if spec == f"{kind}[{storage}]":
                return pd.StringDtype(storage, na_value=na_value)
    _check(spec in _NUMPY_DTYPES, f"unknown dtype {spec!r}")
    return np.dtype(spec)


def _check(condition: bool, reason: str) -> None:
    if not condition:
        raise WireError(reason)


def _keys(value: object, keys: set[str]) -> None:
    _check(isinstance(value, dict) and set(value) == keys, f"expected exactly the keys {sorted(keys)}")


def _text(value: object) -> str:
    _check(isinstance(value, str), "expected text")
    return cast(str, value)


def _list(value: object) -> list[Any]:
    _check(isinstance(value, list), "expected a list")
    return cast(list[Any], value)


def _day(value: object) -> date:
    text = _text(value)
    day = date.fromisoformat(text)
    _check(day.isoformat() == text, "dates must be ISO yyyy-mm-dd")
    return day


def _no_constant(name: str) -> None:
    raise WireError(f"{name} is not valid JSON")
