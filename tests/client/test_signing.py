"""AK/SK signing (`SDK-HMAC-SHA256`): the published test vector, and byte-for-byte agreement with the vendor SDK."""

from __future__ import annotations

import hashlib
import time
import types
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oms_sync_client import OmsClient, SdkHmacSha256Auth
from oms_sync_client._signing import UNSIGNED_HEADERS

from .fake_oms import PROJECT_ID, FakeOms, LocalServer, Reply


def fixed_clock(moment: datetime) -> Any:
    return lambda: moment


@pytest.fixture(scope="module")
def vendor_signer_class(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """huaweicloudsdkcore's Signer, imported with HOME pointing at a temporary folder (it writes under ~)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("vendor-home")))
        from huaweicloudsdkcore.signer.signer import Signer

        yield Signer


def vendor_authorization(
    signer_class: Any, ak: str, sk: str, request: httpx.Request, pairs: list[tuple[str, str]]
) -> str:
    """The Authorization header the vendor SDK computes for the request as it would be sent."""
    from huaweicloudsdkcore.sdk_request import SdkRequest

    headers = {name: value for name, value in request.headers.items() if name not in ("authorization",)}
    sdk_request = SdkRequest(
        method=request.method,
        schema=request.url.scheme,
        host=request.headers["host"],
        resource_path=request.url.raw_path.decode().split("?", 1)[0],
        query_params=list(pairs),
        header_params=headers,
        body=request.content or None,
    )
    signed = signer_class(types.SimpleNamespace(ak=ak, sk=sk)).sign(sdk_request)
    return str(signed.header_params["Authorization"])


def test_signature_matches_the_published_test_vector() -> None:
    auth = SdkHmacSha256Auth("AccessKey", "SecretKey", clock=fixed_clock(datetime(2020, 6, 8, 2, 39, tzinfo=UTC)))
    request = httpx.Request("GET", "https://service.endpoint.myhuaweicloud.com/resources?size=1")

    auth.sign(request)

    assert request.headers["Authorization"] == (
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, "
        "Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842"
    )


header_names = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,14}", fullmatch=True).filter(
    lambda name: name.lower() not in UNSIGNED_HEADERS | {"host", "authorization", "x-sdk-date", "content-length"}
)
header_values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=24)
query_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
path_segments = st.lists(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=10), max_size=4
)


@st.composite
def signable_requests(draw: st.DrawFn) -> tuple[httpx.Request, list[tuple[str, str]], datetime]:
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]))
    host = draw(st.sampled_from(["oms.cn-north-4.myhuaweicloud.com", "127.0.0.1:8080", "example.com:443"]))
    path = "/" + "/".join(draw(path_segments)) + draw(st.sampled_from(["", "/"]))
    pairs = draw(st.lists(st.tuples(query_text.filter(bool), query_text), max_size=5))
    headers = draw(st.dictionaries(header_names, header_values, max_size=5))
    unique_headers = {
        name: value for name, value in {key.lower(): (key, value) for key, value in headers.items()}.values()
    }
    body = draw(st.binary(max_size=64)) if method in ("POST", "PUT", "PATCH") else b""
    if body and draw(st.booleans()):
        unique_headers["Content-Type"] = draw(st.sampled_from(["application/json", "text/plain", "application/bson"]))
    moment = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))).replace(tzinfo=UTC)
    request = httpx.Request(
        method, f"https://{host}{path}", params=tuple(pairs), headers=unique_headers, content=body or None
    )
    return request, pairs, moment


@settings(max_examples=300, deadline=None)
@given(case=signable_requests())
def test_signature_matches_huaweicloudsdkcore_for_generated_requests(
    vendor_signer_class: Any, case: tuple[httpx.Request, list[tuple[str, str]], datetime]
) -> None:
    request, pairs, moment = case
    SdkHmacSha256Auth("AK-property", "SK-property/secret", clock=fixed_clock(moment)).sign(request)

    expected = vendor_authorization(vendor_signer_class, "AK-property", "SK-property/secret", request, pairs)

    assert request.headers["Authorization"] == expected


def test_sdk_date_is_added_in_utc_basic_format() -> None:
    request = httpx.Request("GET", "https://oms.test/v2/p/sync-tasks")
    SdkHmacSha256Auth("AK", "SK", clock=fixed_clock(datetime(2024, 2, 29, 23, 5, 9, tzinfo=UTC))).sign(request)

    assert request.headers["X-Sdk-Date"] == "20240229T230509Z"


def test_hop_by_hop_headers_are_not_signed() -> None:
    request = httpx.Request("GET", "https://oms.test/v2/p/sync-tasks", headers={"Connection": "keep-alive", "X-A": "1"})
    SdkHmacSha256Auth("AK", "SK").sign(request)

    assert "SignedHeaders=host;x-a;x-sdk-date," in request.headers["Authorization"]


def test_header_values_are_sent_trimmed_as_they_were_signed() -> None:
    request = httpx.Request("GET", "https://oms.test/", headers={"X-Padded": "  value  "})
    SdkHmacSha256Auth("AK", "SK").sign(request)

    assert request.headers["X-Padded"] == "value"


def test_secret_key_is_not_in_the_signer_repr() -> None:
    assert "the-secret" not in repr(SdkHmacSha256Auth("AK", "the-secret"))


def test_ak_sk_client_sends_a_signature_the_vendor_sdk_accepts(
    vendor_signer_class: Any, local_server: LocalServer, live_fake: FakeOms
) -> None:
    with OmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, ak="AK-live", sk="SK-live") as client:
        client.list_sync_tasks(limit=5, status="SYNCHRONIZING")

    seen = live_fake.requests[0]
    resent = httpx.Request(
        seen.method,
        f"{local_server.base_url}{seen.raw_path}",
        params=tuple(seen.query),
        headers={name: value for name, value in seen.headers.items() if name not in UNSIGNED_HEADERS},
    )
    assert seen.headers["x-project-id"] == PROJECT_ID
    assert "x-auth-token" not in seen.headers
    assert seen.headers["authorization"] == vendor_authorization(
        vendor_signer_class, "AK-live", "SK-live", resent, seen.query
    )


def test_a_retried_request_is_signed_afresh(fake: FakeOms) -> None:
    fake.replies.append(Reply(503, {"error_code": "X", "error_msg": "busy"}))
    moments = iter([datetime(2025, 1, 1, 0, 0, 0, tzinfo=UTC), datetime(2025, 1, 1, 0, 0, 7, tzinfo=UTC)])
    http = httpx.Client(transport=fake.client_transport())
    client = OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, ak="AK", sk="SK", http_client=http)
    client.auth._clock = lambda: next(moments)  # type: ignore[attr-defined]

    client.list_sync_tasks()

    first, second = fake.requests
    assert (first.headers["x-sdk-date"], second.headers["x-sdk-date"]) == ("20250101T000000Z", "20250101T000007Z")
    assert first.headers["authorization"] != second.headers["authorization"]


def test_signing_twice_replaces_the_signature_instead_of_signing_it() -> None:
    auth = SdkHmacSha256Auth("AK", "SK", clock=fixed_clock(datetime(2024, 1, 1, tzinfo=UTC)))
    request = httpx.Request("GET", "https://oms.test/v2/p/sync-tasks")
    auth.sign(request)
    first = request.headers["Authorization"]

    auth.sign(request)

    assert request.headers["Authorization"] == first


# --- Edge cases of the fast (byte-level) signer -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "pairs"),
    [
        ("/v2/p/sync-tasks", [("limit", "10"), ("limit", "5"), ("offset", "0")]),  # a repeated key: values sorted
        ("/v2/p/sync-tasks", [("b", "2"), ("a", "2"), ("a", "1"), ("a-b", "0"), ("a.b", ""), ("a", "")]),
        ("/v2/p/sync-tasks", [("empty", ""), ("also", ""), ("x", "")]),  # empty values
        ("/v2/p/sync-tasks", [("näme", "wért"), ("名前", "値"), ("emoji", "\U0001f600")]),  # unicode
        ("/v2/p/sync-tasks", [("q", "!*'();:@&=+$,/?#[] %~-._"), ("k=&", "v+v"), ("plus", "+"), ("pct", "%41")]),
        ("/v2/p/sync-tasks/", [("limit", "1")]),  # a trailing slash is kept, not doubled
        ("/", []),
        ("/a%2Fb/c%20d/ü/~x/", [("status", "SYNCHRONIZING")]),  # encoded reserved characters in segments
        ("/v2/p/x;y=1/@:!$&'()*+,/", []),
    ],
)
def test_signature_matches_huaweicloudsdkcore_for_query_and_path_edge_cases(
    vendor_signer_class: Any, path: str, pairs: list[tuple[str, str]]
) -> None:
    request = httpx.Request("GET", f"https://oms.test{path}", params=tuple(pairs), headers={"X-Project-Id": "p"})
    SdkHmacSha256Auth("AK", "SK", clock=fixed_clock(datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC))).sign(request)

    assert request.headers["Authorization"] == vendor_authorization(vendor_signer_class, "AK", "SK", request, pairs)


def test_non_ascii_header_values_are_signed_as_the_vendor_sdk_signs_them(vendor_signer_class: Any) -> None:
    request = httpx.Request("GET", "https://oms.test/v2/p/sync-tasks?limit=1", headers={b"X-Note": "grüße".encode()})
    assert request.headers.encoding == "utf-8"
    SdkHmacSha256Auth("AK", "SK", clock=fixed_clock(datetime(2025, 3, 4, tzinfo=UTC))).sign(request)

    expected = vendor_authorization(vendor_signer_class, "AK", "SK", request, [("limit", "1")])
    assert request.headers["Authorization"] == expected


def reference_sign(ak: str, sk: str, moment: datetime, request: httpx.Request) -> None:
    """The signer as it was before it worked on raw bytes (text headers, the query re-parsed): the reference the
    byte-level signer must match exactly, in the signature and in every header it sends."""
    from oms_sync_client._signing import (
        _EMPTY_BODY_HASH,
        CONTENT_HASH_HEADER,
        DATE_FORMAT,
        DATE_HEADER,
        authorization_header,
        canonical_request,
        signature,
        signed_header_names,
        string_to_sign,
    )

    request.headers.pop("Authorization", None)
    content_type = request.headers.get("Content-Type")
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        request.headers[CONTENT_HASH_HEADER] = "UNSIGNED-PAYLOAD"
    if DATE_HEADER not in request.headers:
        request.headers[DATE_HEADER] = moment.strftime(DATE_FORMAT)
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        trimmed = value.strip()
        if trimmed != value:
            request.headers[name] = trimmed
        if name not in UNSIGNED_HEADERS:
            headers[name] = trimmed
    body = request.content
    payload_hash = request.headers.get(CONTENT_HASH_HEADER) or (
        hashlib.sha256(body).hexdigest() if body else _EMPTY_BODY_HASH
    )
    raw_path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
    canonical = canonical_request(request.method, raw_path, request.url.params.multi_items(), headers, payload_hash)
    to_sign = string_to_sign(canonical, headers[DATE_HEADER.lower()])
    names = signed_header_names(headers)
    request.headers["Authorization"] = authorization_header(ak, names, signature(sk, to_sign))


# Query text as it may arrive in a URL: escapes (valid or not), `+`, keys without `=`, empty components.
raw_query_text = st.text(alphabet="ab=&+%2AF0zé~-._!*", max_size=16)
ascii_header_values = st.text(
    alphabet=st.sampled_from([*"abcXYZ019 -_=;,", "\t", "\x0b", "\x0c", "\x1c", "\x1f"]), max_size=10
)
repeatable_header_names = st.sampled_from(
    ["X-A", "x-a", "X_B", "Content-Type", "X-Sdk-Date", "X-Sdk-Content-Sha256", "Authorization", "Connection", "Host"]
)


@st.composite
def edgy_requests(draw: st.DrawFn) -> tuple[str, str, list[tuple[str, str]], bytes]:
    method = draw(st.sampled_from(["GET", "POST", "delete"]))
    path = "/" + "/".join(draw(st.lists(st.text(alphabet="ab%2F ü/;~", min_size=1, max_size=6), max_size=3)))
    query = draw(raw_query_text)
    url = f"https://oms.test{path}" + (f"?{query}" if query or draw(st.booleans()) else "")
    headers = draw(st.lists(st.tuples(repeatable_header_names, ascii_header_values), max_size=6))
    body = draw(st.binary(max_size=16)) if method == "POST" else b""
    return method, url, headers, body


@settings(max_examples=300, deadline=None)
@given(case=edgy_requests(), moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)))
def test_byte_level_signer_sends_exactly_what_the_text_signer_sent(
    case: tuple[str, str, list[tuple[str, str]], bytes], moment: datetime
) -> None:
    method, url, headers, body = case
    fast, reference = (httpx.Request(method, url, headers=headers, content=body or None) for _ in range(2))

    SdkHmacSha256Auth("AK-edge", "SK-edge", clock=fixed_clock(moment)).sign(fast)
    reference_sign("AK-edge", "SK-edge", moment, reference)

    assert fast.headers.raw == reference.headers.raw


def test_default_clock_dates_requests_now_in_utc_and_follows_the_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    auth = SdkHmacSha256Auth("AK", "SK")
    before = datetime.now(UTC).replace(microsecond=0)
    request = httpx.Request("GET", "https://oms.test/")
    auth.sign(request)
    after = datetime.now(UTC)
    sent = datetime.strptime(request.headers["X-Sdk-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= sent <= after

    seconds = iter([1_700_000_000.25, 1_700_000_000.75, 1_700_000_001.0])
    monkeypatch.setattr(time, "time", lambda: next(seconds))
    dates = []
    for _ in range(3):
        request = httpx.Request("GET", "https://oms.test/")
        auth.sign(request)
        dates.append(request.headers["X-Sdk-Date"])
    assert dates == ["20231114T221320Z", "20231114T221320Z", "20231114T221321Z"]
