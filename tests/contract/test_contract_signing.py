"""The AK/SK signer: the published test vector, agreement with the official SDK, and the mock's verifier."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from oms_contract.signing import AkSkAuth, Credentials, sign
from oms_mock.signing import SignedRequest, verify

VECTOR_TIME = datetime(2020, 6, 8, 2, 39, 0, tzinfo=UTC)
VECTOR_SIGNATURE = "cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842"
SDK_DATE = "20200608T023900Z"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """huaweicloudsdkcore's signer module, imported with HOME in a temporary directory (it writes under ~)."""
    home = os.environ.get("HOME")
    os.environ["HOME"] = str(tmp_path_factory.mktemp("sdk-home"))
    try:
        from huaweicloudsdkcore.sdk_request import SdkRequest
        from huaweicloudsdkcore.signer.signer import Signer

        yield Signer, SdkRequest
    finally:
        if home is None:
            del os.environ["HOME"]
        else:
            os.environ["HOME"] = home


class _SdkCredentials:
    def __init__(self, ak: str, sk: str) -> None:
        self.ak, self.sk = ak, sk


def test_signature_matches_the_published_test_vector() -> None:
    added = sign(
        "GET",
        "https://service.endpoint.myhuaweicloud.com/resources?size=1",
        {},
        Credentials("AccessKey", "SecretKey"),
        now=VECTOR_TIME,
    )

    assert added["X-Sdk-Date"] == SDK_DATE
    assert added["Host"] == "service.endpoint.myhuaweicloud.com"
    assert added["Authorization"] == (
        f"SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature={VECTOR_SIGNATURE}"
    )


# The utf-8 codec leaves out surrogates, which no URL can carry.
_text = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=75, deadline=None, derandomize=True)
@given(
    segments=st.lists(_text.filter(lambda s: "/" not in s), min_size=1, max_size=4),
    query=st.lists(st.tuples(_text, _text), max_size=5),
    project=st.text(st.sampled_from("0123456789abcdef"), min_size=1, max_size=32),
)
def test_signature_matches_the_official_sdk_signer(
    sdk: Any, segments: list[str], query: list[tuple[str, str]], project: str
) -> None:
    signer_class, request_class = sdk
    path = "/" + "/".join(quote(segment, safe="") for segment in segments)
    headers = {"X-Sdk-Date": SDK_DATE, "X-Project-Id": project}
    sdk_request = request_class(
        method="GET",
        schema="https",
        host="oms.cn-north-4.myhuaweicloud.com",
        resource_path=path,
        query_params=list(query),
        header_params=dict(headers),
        body="",
    )
    expected = signer_class(_SdkCredentials("AK1", "SK1")).sign(sdk_request).header_params["Authorization"]
    url = f"https://oms.cn-north-4.myhuaweicloud.com{path}?{urlencode(query)}"

    added = sign("GET", url, headers, Credentials("AK1", "SK1"), now=VECTOR_TIME)

    assert added["Authorization"] == expected


def test_a_request_signed_through_requests_passes_the_mock_verifier() -> None:
    credentials = Credentials("AK2", "SK2")
    auth = AkSkAuth(credentials, project_id="p1", clock=lambda: VECTOR_TIME)
    prepared = requests.Request(
        "GET", "http://127.0.0.1:8080/v2/p1/items", params={"size": "5", "state": "on"}, auth=auth
    ).prepare()
    url = urlsplit(prepared.url or "")
    headers = {name.lower(): str(value) for name, value in prepared.headers.items()}

    verify(SignedRequest("GET", url.path, url.query, headers, b""), "AK2", "SK2", VECTOR_TIME, 900)

    assert headers["x-project-id"] == "p1"
    assert "x-project-id" in headers["authorization"]


def test_a_signed_request_whose_query_changed_fails_the_mock_verifier() -> None:
    from oms_mock.signing import SignatureError

    auth = AkSkAuth(Credentials("AK2", "SK2"), clock=lambda: VECTOR_TIME)
    prepared = requests.Request("GET", "http://127.0.0.1:8080/v2/p1/items?size=5", auth=auth).prepare()
    headers = {name.lower(): str(value) for name, value in prepared.headers.items()}

    with pytest.raises(SignatureError):
        verify(SignedRequest("GET", "/v2/p1/items", "size=6", headers, b""), "AK2", "SK2", VECTOR_TIME, 900)


def test_credentials_never_show_the_secret_key() -> None:
    credentials = Credentials("visible-ak", "hidden-secret-key")

    assert "hidden-secret-key" not in repr(credentials)
    assert "visible-ak" in repr(credentials)


@pytest.mark.parametrize(("ak", "sk", "field"), [("", "sk", "ak"), ("ak", "", "sk")])
def test_empty_keys_are_rejected_naming_the_key(ak: str, sk: str, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field} must not be empty"):
        Credentials(ak, sk)
