"""A property-based fuzz of every HQ endpoint: no request gets a 5xx, every refusal is a 4xx
with a reason, and nothing a refused request sent is stored.

Requests are drawn for every path and method of HQ's OpenAPI document. The routes read their
bodies raw (with a ceiling, then gzip-inflated), so the document declares no request bodies:
they are drawn from the JSON schema of the protocol model each route parses, and then spoiled
with hostile values (integers past 2^63, negatives, NUL characters, lone surrogates, very long
strings, wrong types), or replaced by bytes that are no JSON at all. Headers are drawn too:
the credential (valid, missing, forged), the protocol version, the content type and encoding,
and the declared Content-Length and upload offsets (huge, negative, not numbers at all).

What a fuzzed request may store: a refused request (4xx) stores nothing, in any of HQ's
tables or in its blob folder. A request HQ accepts may store only what it acknowledges: a
change answered with an HQ sequence, a change quarantined with a reason (kept for a person to
read), a device enrolled with a valid code, a file whose bytes match its content hash. After
the fuzz, every record HQ holds passes the value checks of its table, every feed entry is one
HQ acknowledged to the fuzzing laptop, and every stored file matches its hash. Without a valid
credential nothing may be stored at all.

The runs are derandomized and bounded, so CI sees the same requests every time.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.hlc import COUNTER_DIGITS, WALL_DIGITS
from db.values import check_change
from sync.merge import META_FIELDS
from sync.protocol import (
    OFFSET_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SEQ_LIMIT,
    TOTAL_HEADER,
    EnrolRequest,
    Entry,
    MissingBlobsRequest,
    PushRequest,
)
from sync.server.schema import hq_blob, hq_change, hq_device, hq_quarantine, hq_row, metadata
from sync.server.store import TABLES
from tests.sync.conftest import HQ

DEVICE_ID = "01900000-0000-7000-8000-0000000f022e"
# The model each operation that takes a JSON body parses it with; the upload takes a file.
BODIES: dict[tuple[str, str], type[Any]] = {
    ("post", "/v1/enrol"): EnrolRequest,
    ("post", "/v1/push"): PushRequest,
    ("post", "/v1/blobs/missing"): MissingBlobsRequest,
}
UPLOAD = ("put", "/v1/blobs/{sha256}")
# Per database: examples with a valid credential for each operation and spoiled aspect, then
# examples without a credential for each operation.
EXAMPLES = {"sqlite": (16, 25), "postgresql": (8, 8)}

_FILE = b"a scanned national ID card"
_SHA = hashlib.sha256(_FILE).hexdigest()


# -- values -----------------------------------------------------------------------------

_HUGE_INTS = [2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**64, 10**40, -(10**40), -1, 0]
_ODD_TEXT = [
    "",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "x" * 70_000,
    "\u202e\u0627\u0644\u0627\u0633\u0645",
    "١٢٣",
    "²",
    "2026-13-45",
    "9999-12-31T23:59:59",
    "0001-01-01",
    "NaN",
    "' OR 1=1 --",
    "../../hq.sqlite3",
]
hostile_scalars = st.one_of(
    st.sampled_from(_HUGE_INTS),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(_ODD_TEXT),
    st.text(max_size=20),
    st.booleans(),
    st.none(),
)
hostile_json = st.recursive(
    hostile_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def _fits(text: str, nul: bool) -> bool:
    return (nul or "\x00" not in text) and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def from_schema(
    schema: dict[str, Any], defs: dict[str, Any] | None = None
) -> st.SearchStrategy[Any]:
    """Values that satisfy `schema`, for the keywords pydantic writes for the protocol's
    models. A keyword this does not know fails the test, so the fuzz never silently draws
    less than the schema asks."""
    defs = schema.get("$defs", {}) if defs is None else defs
    known = {
        "$defs", "$ref", "title", "description", "default", "type", "properties", "required",
        "additionalProperties", "patternProperties", "propertyNames", "items", "maxItems",
        "minLength", "maxLength", "pattern", "minimum", "exclusiveMaximum", "enum", "anyOf",
    }  # fmt: skip
    unknown = set(schema) - known
    assert not unknown, f"the fuzz cannot draw from the schema keywords {unknown}"
    if "$ref" in schema:
        return from_schema(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        return st.one_of([from_schema(option, defs) for option in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind is None:
        return hostile_json
    if kind == "null":
        return st.none()
    if kind == "integer":
        top = schema.get("exclusiveMaximum")
        return st.integers(schema.get("minimum"), None if top is None else top - 1)
    if kind == "string":
        low, high = schema.get("minLength", 0), schema.get("maxLength", 80)
        # Text JSON can carry (no lone surrogates: those are among the hostile values).
        alphabet = st.characters(blacklist_categories=["Cs"])
        if "pattern" in schema:
            assert schema["pattern"] == r"^[^\x00]*$", schema["pattern"]
            alphabet = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
        # Odd texts that still fit the schema: NUL (where it allows one), RTL marks, and so on.
        nul = "pattern" not in schema
        odd = [t for t in _ODD_TEXT if low <= len(t) <= high and _fits(t, nul)]
        return st.text(alphabet, min_size=low, max_size=high) | st.sampled_from(odd)
    if kind == "array":
        return st.lists(from_schema(schema["items"], defs), max_size=min(schema["maxItems"], 4))
    assert kind == "object", kind
    if "properties" in schema:
        required = set(schema.get("required", ()))
        fixed = {k: from_schema(v, defs) for k, v in schema["properties"].items() if k in required}
        optional = {
            k: from_schema(v, defs) for k, v in schema["properties"].items() if k not in required
        }
        return st.fixed_dictionaries(fixed, optional=optional)
    ((_, values),) = schema["patternProperties"].items()
    names = st.text(st.characters(blacklist_characters="\x00"), max_size=60)
    return st.dictionaries(names, from_schema(values, defs), max_size=4)


@st.composite
def spoiled(draw: st.DrawFn, document: Any) -> Any:
    """`document` with one value somewhere replaced by a hostile one, a key added or taken
    away (or left as it is)."""
    if isinstance(document, dict) and document and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(document)))
        how = draw(st.sampled_from(["replace", "descend", "drop", "add"]))
        if how == "replace":
            return {**document, key: draw(hostile_json)}
        if how == "descend":
            return {**document, key: draw(spoiled(document[key]))}
        if how == "drop":
            return {k: v for k, v in document.items() if k != key}
        return {**document, draw(st.text(max_size=10)): draw(hostile_json)}
    if isinstance(document, list) and document and draw(st.booleans()):
        at = draw(st.integers(0, len(document) - 1))
        return [*document[:at], draw(spoiled(document[at])), *document[at + 1 :]]
    if draw(st.integers(0, 3)) == 0:
        return draw(hostile_json)
    return document


def stamp(offset_ms: int = 0) -> str:
    wall = time.time_ns() // 1_000_000 + offset_ms
    return f"{wall:0{WALL_DIGITS}d}-{0:0{COUNTER_DIGITS}d}-{DEVICE_ID}"


@st.composite
def plausible_changes(draw: st.DrawFn) -> dict[str, Any]:
    """A change to a real table with real field names and hostile values: the ones that
    reach HQ's value checks and the merge, not only the model."""
    table = draw(st.sampled_from(sorted(TABLES)))
    columns = sorted(TABLES[table].columns)
    fields = draw(st.dictionaries(st.sampled_from(columns), hostile_json, max_size=4))
    return {
        "s": draw(st.integers(1, 50) | st.sampled_from([SEQ_LIMIT - 1, SEQ_LIMIT, 0, -1])),
        "t": table,
        "r": draw(st.sampled_from([f"01900000-0000-7000-8000-00000000{n:04d}" for n in range(4)])),
        "o": draw(st.sampled_from(["i", "u", "d"])),
        "c": fields,
        "b": draw(
            st.dictionaries(st.sampled_from(columns), st.sampled_from(_HUGE_INTS), max_size=2)
        ),
        "h": draw(st.sampled_from([stamp(), stamp(10**9), "0" * 16 + "-00000-x", "garbage"])),
    }


def _without(body: bytes, *keys: str) -> bytes:
    """`body` without `keys`, when it is a JSON object."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return body
    if not isinstance(document, dict):
        return body
    return _dumps({k: v for k, v in document.items() if k not in keys}, True)


def _dumps(document: Any, ascii_only: bool) -> bytes:
    text = json.dumps(document, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


_RAW_BODIES = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"text"',
    b"\xff\xfe\x00garbage",
    b"[" * 10_000,
    b'{"changes": [' + b"1e999999" + b"]}",
    b'{"hashes": [' + b'"' + b"a" * 200_000 + b'"]}',
    b'{"code": "\\u0000\\u0000\\u0000\\u0000", "device_id": "x", "name": "y", "prefix": "ab"}',
    b'{"changes": [], "changes": [1]}',
]


@st.composite
def body_of(draw: st.DrawFn, model: type[Any] | None, spoil: bool, plausible: bool) -> bytes:
    """A body for `model` drawn from its schema; spoiled, or bytes that are no JSON, when
    `spoil`. A `plausible` push names real tables and fields (with hostile values)."""
    if model is None or (spoil and draw(st.integers(0, 3)) == 0):
        return draw(st.sampled_from(_RAW_BODIES) | st.binary(max_size=64))
    document = draw(from_schema(model.model_json_schema()))
    if plausible and model is PushRequest:
        document = {"changes": draw(st.lists(plausible_changes(), min_size=1, max_size=3))}
    if spoil:
        document = draw(spoiled(document))
    return _dumps(document, draw(st.booleans()))


# -- requests ---------------------------------------------------------------------------


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    content: bytes | None
    params: dict[str, str] = field(default_factory=dict)
    valid_code: bool = False

    def __repr__(self) -> str:
        body = None if self.content is None else self.content[:200]
        return f"{self.method} {self.path} {self.params} {self.headers} {body!r}"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


_NUMBERS = st.one_of(
    st.sampled_from([str(n) for n in (2**63, 2**64, 10**40, -1, -(2**63) - 1)]),
    st.sampled_from(["", " 1", "+1", "1e3", "١", "²", "-0"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=4),
)


_PATH_VALUES = st.one_of(
    st.just(_SHA),
    st.just("0" * 64),
    st.text("0123456789abcdef", min_size=64, max_size=64),
    st.sampled_from(["..", "%00", "a/b", "..%2F..%2Fhq.sqlite3", "\x00", "ü" * 40, "x" * 5000]),
    st.text(min_size=1, max_size=70),
)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    query: tuple[str, ...]


def operations(openapi: dict[str, Any]) -> list[Operation]:
    """Every path and method of HQ's OpenAPI document, with its query parameters."""
    return [
        Operation(
            method,
            path,
            tuple(p["name"] for p in item.get("parameters", ()) if p["in"] == "query"),
        )
        for path, methods in sorted(openapi["paths"].items())
        for method, item in sorted(methods.items())
    ]


# What a request may have wrong. Each request spoils a few of these (often one, sometimes
# none) and keeps the rest right, so that a hostile value meets the code past the checks of
# the others.
ASPECTS = (
    "method",
    "protocol",
    "credential",
    "content-type",
    "encoding",
    "length",
    "query",
    "path",
    "body",
    "upload",
)


@st.composite
def calls(
    draw: st.DrawFn,
    operation: Operation,
    valid: str | None,
    forged: st.SearchStrategy[str | None],
    aspect: str | None = None,
) -> Call:
    """A request for `operation` with `aspect` (and maybe another) spoiled; `valid` is the
    credential of an enrolled laptop (None: no request has one), `forged` draws the wrong
    ones."""
    method, path = operation.method, operation.path
    model = BODIES.get((method, path))
    spoil = draw(st.sets(st.sampled_from(applicable(operation)), max_size=1)) | ({aspect} - {None})
    if "method" in spoil:  # the same path with a method it does not take
        method = draw(st.sampled_from(["delete", "patch", "options", "head", "put", "get"]))
    headers: dict[str, str] = {}
    version = str(PROTOCOL_VERSION)
    if "protocol" in spoil:
        version = draw(st.sampled_from(["", "2", "0", "1.0", " 1", "9" * 30, "²"]))
    if version:
        headers[PROTOCOL_HEADER] = version
    credential = draw(forged) if valid is None or "credential" in spoil else valid
    if credential is not None:
        headers["Authorization"] = credential
    headers["Content-Type"] = "application/json"
    if "content-type" in spoil:
        headers["Content-Type"] = draw(
            st.sampled_from(
                [
                    "text/plain; charset=latin-1",
                    "multipart/form-data; boundary=x",
                    "application/x-www-form-urlencoded",
                    "application/octet-stream",
                    "garbage",
                    "",
                ]
            )
        )
    params: dict[str, str] = {}
    for name in operation.query:
        if draw(st.integers(0, 3)) > 0:
            params[name] = str(draw(st.integers(1, 100)))
    if "query" in spoil:  # one of them hostile, the others right
        params[draw(st.sampled_from(operation.query))] = draw(_NUMBERS)
    if "{sha256}" in path:
        value = draw(_PATH_VALUES) if "path" in spoil else _SHA
        # Some as typed (percent escapes and dots reach the router as they are); the rest
        # escaped, so that what the route sees is the odd text itself.
        typed = value.isascii() and value.isprintable() and not set(value) & set("?# ")
        raw = typed and draw(st.integers(0, 4)) == 0
        path = path.replace("{sha256}", value if raw else quote(value, safe=""))
    content: bytes | None = None
    valid_code = False
    if method in ("post", "put"):
        if (method, operation.path) == UPLOAD:  # an upload: a file, its hash in the path
            content = draw(st.sampled_from([_FILE, _FILE[:5], b""]) | st.binary(max_size=64))
            if "path" not in spoil and path.startswith("/v1/blobs/"):
                path = f"/v1/blobs/{hashlib.sha256(content).hexdigest()}"
            offset, total = "0", str(len(content))
            if "upload" in spoil:
                offset, total = draw(_NUMBERS), draw(_NUMBERS)
                offset, total = draw(
                    st.sampled_from([(offset, total), ("0", total), (offset, "5")])
                )
            headers[OFFSET_HEADER], headers[TOTAL_HEADER] = offset, total
        else:
            content = draw(body_of(model, "body" in spoil, plausible=draw(st.booleans())))
            # Mostly with a code HQ issued, and some without the optional fields: the
            # enrolment's checks past the code and the branch are reached.
            valid_code = model is EnrolRequest and draw(st.integers(0, 3)) > 0
            if valid_code and draw(st.booleans()):
                content = _without(content, "branch_code", "signing_key")
        encoding = draw(st.sampled_from([None, "gzip"]))
        if "encoding" in spoil:
            encoding = draw(st.sampled_from(["gzip-garbage", "br", "identity", "gzip, gzip", ""]))
        if encoding == "gzip":
            content = gzip.compress(content)
            headers["Content-Encoding"] = "gzip"
        elif encoding == "gzip-garbage":
            headers["Content-Encoding"] = "gzip"
            content = zlib.compress(content)
        elif encoding is not None:
            headers["Content-Encoding"] = encoding
    if "length" in spoil:
        headers["Content-Length"] = draw(_NUMBERS)
    return Call(method.upper(), path, headers, content, params, valid_code)


def _credentials(valid: str) -> st.SearchStrategy[str | None]:
    device, _, token = valid.removeprefix("Bearer ").partition(".")
    return _forged(device, token)


def _forged(device: str, token: str) -> st.SearchStrategy[str | None]:
    printable = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)
    return st.one_of(
        st.none(),
        st.sampled_from(
            [
                "",
                "Bearer",
                "Bearer ",
                "Bearer .",
                "Basic dXNlcjpwYXNz",
                f"Bearer {device}",
                f"Bearer {device}.",
                f"Bearer {device}.{token}x",
                f"Bearer {device}.{token[:-1]}",
                f"bearer {device}.{token}",
                f"Bearer  {device}.{token}",
                f"Bearer {device.upper()}.{token}",
                f"Bearer {'x' * 5000}.{token}",
                "Bearer ²³.¹",
            ]
        ),
        printable.map(lambda text: f"Bearer {text}"),
        printable,
    )


# -- what HQ holds ----------------------------------------------------------------------


def snapshot(hq: HQ) -> tuple[tuple[int, ...], frozenset[str]]:
    """The number of rows of each of HQ's tables, and the files of its blob folder (with
    their sizes: a partial upload that grows is something stored)."""
    with hq.hub.engine.connect() as connection:
        counts = tuple(
            int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
            for table in metadata.sorted_tables
        )
    folder = hq.data_dir / "blobs"
    files = frozenset(
        f"{path.relative_to(folder)}:{path.stat().st_size}"
        for path in folder.rglob("*")
        if path.is_file()
    )
    return counts, files


def _count(hq: HQ, table: sa.Table) -> int:
    with hq.hub.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


@dataclass
class Acknowledged:
    """What HQ said it took from the fuzz."""

    seqs: set[int] = field(default_factory=set)
    quarantined: int = 0
    devices: set[str] = field(default_factory=set)
    answers: dict[int, int] = field(default_factory=dict)
    accepted: set[str] = field(default_factory=set)


def _header_bytes(value: str) -> bytes:
    """Latin-1, as HTTP carries header values and Starlette decodes them; other text as
    UTF-8 (which the server then reads as Latin-1)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode()


def send(hq: HQ, call: Call, seen: Acknowledged) -> None:
    """Send `call`; check the answer, and that a refused request stored nothing."""
    content = call.content
    if call.valid_code and content is not None:
        zipped = call.headers.get("Content-Encoding") == "gzip" and content[:2] == b"\x1f\x8b"
        try:
            asked = json.loads(gzip.decompress(content) if zipped else content)
        except (ValueError, RecursionError, OSError):
            asked = None
        if isinstance(asked, dict):
            asked["code"] = hq.hub.new_enrolment_code("RYD")
            content = _dumps(asked, True)
            content = gzip.compress(content) if zipped else content
    before = snapshot(hq)
    headers = {name.encode(): _header_bytes(value) for name, value in call.headers.items()}
    answer = hq.http.request(
        call.method, call.path, content=content, params=call.params, headers=headers
    )
    status = answer.status_code
    seen.answers[status] = seen.answers.get(status, 0) + 1
    assert status < 500, (status, answer.text[:500], call)
    if status >= 400:
        if call.method != "HEAD":
            reason = answer.json().get("reason")
            assert isinstance(reason, str) and reason.strip(), (status, answer.text, call)
        assert snapshot(hq) == before, f"HQ stored something for a refused request: {call}"
        return
    assert 200 <= status < 300, (status, call)
    seen.accepted.add(f"{call.method} {call.path}")
    if call.method == "POST" and call.path == "/v1/push":
        results = answer.json()["results"]
        seen.seqs.update(r["g"] for r in results if r.get("g") is not None)
        seen.quarantined += sum(1 for r in results if r.get("q"))
    elif call.method == "POST" and call.path == "/v1/enrol":
        seen.devices.add(answer.json()["device_id"])


def enrolled(hq: HQ) -> dict[str, str]:
    asked = {
        "code": hq.hub.new_enrolment_code("RYD"),
        "device_id": DEVICE_ID,
        "name": "fuzz",
        "prefix": "FZ",
    }
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    answer = hq.http.post("/v1/enrol", content=_dumps(asked, True), headers=headers)
    assert answer.status_code == 200, answer.text
    return {**headers, "Authorization": f"Bearer {DEVICE_ID}.{answer.json()['token']}"}


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def _dialect(hq: HQ) -> str:
    return hq.hub.engine.dialect.name


# -- the tests --------------------------------------------------------------------------


def applicable(operation: Operation) -> list[str]:
    """The aspects of a request for `operation` that can be spoiled."""
    method, path = operation.method, operation.path
    return [
        aspect
        for aspect in ASPECTS
        if (aspect != "query" or operation.query)
        and (aspect != "path" or "{" in path)
        and (aspect != "upload" or (method, path) == UPLOAD)
        and (aspect not in ("body", "encoding") or method in ("post", "put"))
    ]


def _operations(hq: HQ) -> list[Operation]:
    return operations(hq.http.app.openapi())  # type: ignore[attr-defined]


def test_the_fuzz_covers_every_operation_of_the_api(hq: HQ) -> None:
    """Every operation that takes a body is one the fuzz knows the body of."""
    found = {(op.method, op.path) for op in _operations(hq)}
    assert {key for key in found if key[0] in ("post", "put", "patch")} == {*BODIES, UPLOAD}
    assert {("get", "/v1/pull"), ("get", "/v1/info")} <= found
    for model in BODIES.values():
        from_schema(model.model_json_schema())  # every keyword is one the fuzz can draw


def test_no_request_of_an_enrolled_laptop_gets_a_5xx_or_stores_what_was_refused(hq: HQ) -> None:
    device = enrolled(hq)
    with hq.hub.engine.connect() as connection:
        head = connection.execute(sa.select(sa.func.max(hq_change.c.seq))).scalar_one() or 0
    quarantined, devices = _count(hq, hq_quarantine), _count(hq, hq_device)
    seen = Acknowledged()

    forged = _credentials(device["Authorization"])
    for operation in _operations(hq):
        for aspect in [None, *applicable(operation)]:

            @_settings(EXAMPLES[_dialect(hq)][0])
            @given(calls(operation, device["Authorization"], forged, aspect))
            def fuzz(call: Call) -> None:
                send(hq, call, seen)

            fuzz()
    # The fuzz reached past the refusals: HQ took some of its requests.
    assert sum(n for status, n in seen.answers.items() if status < 300) > 0, seen.answers

    # Only what HQ acknowledged was stored, and every record holds values its table allows.
    with hq.hub.engine.connect() as connection:
        stored = set(connection.scalars(sa.select(hq_change.c.seq).where(hq_change.c.seq > head)))
        records = connection.execute(sa.select(hq_row.c.table_name, hq_row.c.data)).all()
        blob_rows = dict(connection.execute(sa.select(hq_blob.c.sha256, hq_blob.c.size)).all())
    assert stored <= seen.seqs
    for table, data in records:
        values = {k: v for k, v in data.items() if k not in META_FIELDS}
        assert check_change(table, values) is None, (table, values)
    assert _count(hq, hq_quarantine) - quarantined <= seen.quarantined
    assert _count(hq, hq_device) - devices == len(seen.devices)

    # The feed pages cleanly and carries nothing HQ did not acknowledge.
    after = 0
    while True:
        page = hq.http.get("/v1/pull", params={"after": after}, headers=device)
        assert page.status_code == 200, page.text
        body = page.json()
        for entry in body["entries"]:
            Entry.model_validate(entry)
            assert entry["g"] <= head or entry["g"] in seen.seqs, entry
        after = body["next"]
        if not body["more"]:
            break

    # Every file HQ holds is whole and matches its hash.
    for sha256, size in blob_rows.items():
        from db.files import attachment_path

        held = attachment_path(hq.data_dir / "blobs", sha256).read_bytes()
        assert (hashlib.sha256(held).hexdigest(), len(held)) == (sha256, size)


def test_without_a_valid_credential_nothing_is_answered_but_refusals_nor_stored(hq: HQ) -> None:
    device = enrolled(hq)
    before = snapshot(hq)
    seen = Acknowledged()

    for operation in _operations(hq):

        @_settings(EXAMPLES[_dialect(hq)][1])
        @given(calls(operation, None, _credentials(device["Authorization"])))
        def fuzz(call: Call) -> None:
            call.valid_code = False
            send(hq, call, seen)

        fuzz()
    assert seen.accepted <= {"GET /v1/info", "HEAD /v1/info"}, seen.accepted
    assert snapshot(hq) == before
