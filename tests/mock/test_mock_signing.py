"""AK/SK signatures: requests signed by huaweicloudsdkcore's own signer verify; anything altered gets 401."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from spec_facts import FILTER_NAME, FILTER_VALUES, ITEMS, LIMIT, PATH, TOKEN_HEADER, listing_path
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, MockConfig, create_app
from oms_mock.signing import canonical_request, signature, string_to_sign

AK, SK = "MOCKACCESSKEY0001", "mock-secret-key-0001"
HOST = "testserver"
Signer = Callable[..., tuple[str, dict[str, str]]]


@pytest.fixture(scope="module")
def signing_app() -> Starlette:
    return create_app(MockConfig(tasks=30, ak=AK, sk=SK))


@pytest.fixture
def http(signing_app: Starlette, client_for: Callable[[Starlette], httpx.Client]) -> httpx.Client:
    return client_for(signing_app)


def sdk_date(offset: timedelta) -> str:
    return (datetime.now(UTC) + offset).strftime("%Y%m%dT%H%M%SZ")


def test_published_test_vector_is_reproduced() -> None:
    headers = {"host": "service.endpoint.myhuaweicloud.com", "x-sdk-date": "20200608T023900Z"}
    canonical = canonical_request("GET", "/resources", "size=1", headers, ["host", "x-sdk-date"], b"")
    assert (
        signature("SecretKey", string_to_sign(canonical, "20200608T023900Z"))
        == "cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842"
    )


def test_request_signed_by_the_vendor_signer_is_accepted(http: httpx.Client, vendor_signer: Signer) -> None:
    value = FILTER_VALUES[-1]
    uri, headers = vendor_signer(AK, SK, HOST, PATH, [(LIMIT, 5), (FILTER_NAME, value)])
    response = http.get(uri, headers=headers)
    assert response.status_code == 200
    assert {item[FILTER_NAME] for item in response.json()[ITEMS]} == {value}


def test_signed_request_with_the_project_header_the_sdk_adds_is_accepted(
    http: httpx.Client, vendor_signer: Signer
) -> None:
    uri, headers = vendor_signer(
        AK, SK, HOST, PATH, [], {"X-Project-Id": "project", "Content-Type": "application/json"}
    )
    assert http.get(uri, headers=headers).status_code == 200


def test_encoded_slash_in_a_signed_project_id_verifies(http: httpx.Client, vendor_signer: Signer) -> None:
    uri, headers = vendor_signer(AK, SK, HOST, listing_path("a%2Fb%20c"), [(LIMIT, 1)])
    assert http.get(uri, headers=headers).status_code == 200


def test_signed_query_with_spaces_and_unicode_verifies_then_fails_validation(
    http: httpx.Client, vendor_signer: Signer
) -> None:
    uri, headers = vendor_signer(AK, SK, HOST, PATH, [(FILTER_NAME, "a b/ü~*&=")])
    response = http.get(uri, headers=headers)
    assert response.status_code == 400
    assert response.json()["error_code"] == "OMS.0064"


def test_request_signed_with_another_secret_key_gets_401(http: httpx.Client, vendor_signer: Signer) -> None:
    uri, headers = vendor_signer(AK, SK + "x", HOST, PATH, [(LIMIT, 5)])
    response = http.get(uri, headers=headers)
    assert response.status_code == 401
    assert "signature does not match" in response.json()["error_msg"]


def test_request_signed_for_an_unknown_access_key_gets_401(http: httpx.Client, vendor_signer: Signer) -> None:
    uri, headers = vendor_signer("OTHERKEY", SK, HOST, PATH)
    response = http.get(uri, headers=headers)
    assert response.status_code == 401
    assert "AK is not known" in response.json()["error_msg"]


def test_signed_request_whose_query_was_changed_gets_401(http: httpx.Client, vendor_signer: Signer) -> None:
    uri, headers = vendor_signer(AK, SK, HOST, PATH, [(LIMIT, 5)])
    assert http.get(uri.replace(f"{LIMIT}=5", f"{LIMIT}=6"), headers=headers).status_code == 401


def test_signed_request_whose_path_was_changed_gets_401(http: httpx.Client, vendor_signer: Signer) -> None:
    uri, headers = vendor_signer(AK, SK, HOST, PATH)
    assert http.get(uri.replace(PATH, listing_path("other")), headers=headers).status_code == 401


def test_signed_request_dated_more_than_15_minutes_ago_gets_401(http: httpx.Client, vendor_signer: Signer) -> None:
    uri, headers = vendor_signer(AK, SK, HOST, PATH, [], {"X-Sdk-Date": sdk_date(-timedelta(minutes=16))})
    response = http.get(uri, headers=headers)
    assert response.status_code == 401
    assert "off the server clock" in response.json()["error_msg"]


def test_signed_request_dated_more_than_15_minutes_ahead_gets_401(http: httpx.Client, vendor_signer: Signer) -> None:
    uri, headers = vendor_signer(AK, SK, HOST, PATH, [], {"X-Sdk-Date": sdk_date(timedelta(minutes=16))})
    assert http.get(uri, headers=headers).status_code == 401


def test_signed_request_dated_14_minutes_ago_is_accepted(http: httpx.Client, vendor_signer: Signer) -> None:
    uri, headers = vendor_signer(AK, SK, HOST, PATH, [], {"X-Sdk-Date": sdk_date(-timedelta(minutes=14))})
    assert http.get(uri, headers=headers).status_code == 200


def test_signature_that_does_not_cover_the_date_gets_401(http: httpx.Client) -> None:
    date = sdk_date(timedelta())
    canonical = canonical_request("GET", PATH, "", {"host": HOST}, ["host"], b"")
    value = signature(SK, string_to_sign(canonical, date))
    authorization = f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host, Signature={value}"
    response = http.get(PATH, headers={"X-Sdk-Date": date, "Authorization": authorization})
    assert response.status_code == 401
    assert "X-Sdk-Date must be among the signed headers" in response.json()["error_msg"]


@pytest.mark.parametrize(
    "authorization",
    [
        "SDK-HMAC-SHA256",
        "SDK-HMAC-SHA256 Access=AK",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=not-hex",
        "SDK-HMAC-SHA256 " + "x" * 10_000,
    ],
)
def test_malformed_authorization_header_gets_401(http: httpx.Client, authorization: str) -> None:
    response = http.get(PATH, headers={"Authorization": authorization, "X-Sdk-Date": sdk_date(timedelta())})
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIG.0301"


def test_signed_request_is_refused_when_the_mock_has_no_ak_sk(
    app_1000: Starlette, client_for: Callable[[Starlette], httpx.Client], vendor_signer: Signer
) -> None:
    uri, headers = vendor_signer(AK, SK, HOST, PATH)
    response = client_for(app_1000).get(uri, headers=headers)
    assert response.status_code == 401
    assert "signing is not enabled" in response.json()["error_msg"]


def test_token_still_works_when_signing_is_enabled(http: httpx.Client) -> None:
    assert http.get(PATH, headers={TOKEN_HEADER: DEFAULT_TOKEN}).status_code == 200
