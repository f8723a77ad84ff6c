"""Error answers: invalid parameters (400), unknown paths (404), other methods (405), request ids, no 5xx."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import httpx
import pytest
from spec_facts import (
    API,
    FILTER_MAX_LENGTH,
    FILTER_NAME,
    FILTER_VALUES,
    LIMIT,
    LIMIT_MAX,
    LIMIT_MIN,
    LISTING,
    OFFSET,
    OFFSET_MAX,
    OFFSET_MIN,
    PATH,
    PATH_MAX_LENGTH,
    PATH_MIN_LENGTH,
    PATH_NAME,
    TOKEN_HEADER,
    listing_path,
)
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, MockConfig, run_server
from oms_mock.routing import template_pattern

TOKEN_HEADER_BYTES = [(TOKEN_HEADER.lower().encode(), DEFAULT_TOKEN.encode())]
LIMITS = f"between {LIMIT_MIN} and {LIMIT_MAX}"
OFFSETS = f"between {OFFSET_MIN} and {OFFSET_MAX}"
ONE_OF = f"one of {', '.join(FILTER_VALUES)}"


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ({LIMIT: str(LIMIT_MIN - 1)}, f"{LIMIT} must be {LIMITS}, got {LIMIT_MIN - 1}"),
        ({LIMIT: str(LIMIT_MAX + 1)}, f"{LIMIT} must be {LIMITS}, got {LIMIT_MAX + 1}"),
        ({LIMIT: "-5"}, f"{LIMIT} must be {LIMITS}, got -5"),
        ({LIMIT: "abc"}, f"{LIMIT} must be an integer {LIMITS}, got 'abc'"),
        ({LIMIT: "1e3"}, f"{LIMIT} must be an integer {LIMITS}, got '1e3'"),
        ({LIMIT: "5.0"}, f"{LIMIT} must be an integer {LIMITS}, got '5.0'"),
        ({LIMIT: " 5"}, f"{LIMIT} must be an integer {LIMITS}, got ' 5'"),
        ({LIMIT: "+5"}, f"{LIMIT} must be an integer {LIMITS}, got '+5'"),
        ({LIMIT: ""}, f"{LIMIT} must be an integer {LIMITS}, got ''"),
        ({LIMIT: "9" * 5000}, f"{LIMIT} must be {LIMITS}, got '9999999999"),
        ({OFFSET: str(OFFSET_MIN - 1)}, f"{OFFSET} must be {OFFSETS}, got {OFFSET_MIN - 1}"),
        ({OFFSET: str(OFFSET_MAX + 1)}, f"{OFFSET} must be {OFFSETS}, got {OFFSET_MAX + 1}"),
        ({FILTER_NAME: "RUNNING"}, f"{FILTER_NAME} must be {ONE_OF}, got 'RUNNING'"),
        (
            {FILTER_NAME: FILTER_VALUES[-1].lower()},
            f"{FILTER_NAME} must be {ONE_OF}, got '{FILTER_VALUES[-1].lower()}'",
        ),
        ({FILTER_NAME: ""}, f"{FILTER_NAME} must be {ONE_OF}, got ''"),
        (
            {FILTER_NAME: "S" * (FILTER_MAX_LENGTH + 1)},
            f"{FILTER_NAME} must be at most {FILTER_MAX_LENGTH} characters long, got {FILTER_MAX_LENGTH + 1}",
        ),
    ],
)
def test_invalid_parameter_gets_400_naming_the_parameter_and_its_limit(
    client: httpx.Client, query: dict[str, str], detail: str
) -> None:
    response = client.get(PATH, params=query)
    assert response.status_code == 400
    assert response.json()["error_detail"].startswith(detail)


def test_invalid_parameter_answer_has_the_oms_error_shape(client: httpx.Client) -> None:
    body = client.get(PATH, params={LIMIT: str(LIMIT_MAX + 1)}).json()
    assert body == {
        "error_code": "OMS.0064",
        "error_msg": "Invalid request parameters.",
        "error_detail": f"{LIMIT} must be {LIMITS}, got {LIMIT_MAX + 1}",
    }


def test_every_invalid_parameter_is_named_in_one_answer(client: httpx.Client) -> None:
    query = {LIMIT: str(LIMIT_MIN - 1), OFFSET: str(OFFSET_MIN - 1), FILTER_NAME: "X"}
    detail = client.get(PATH, params=query).json()["error_detail"]
    assert f"{LIMIT} must be" in detail
    assert f"{OFFSET} must be" in detail
    assert f"{FILTER_NAME} must be" in detail


def test_repeated_parameter_is_rejected(client: httpx.Client) -> None:
    response = client.get(PATH, params=[(LIMIT, "5"), (LIMIT, "6")])
    assert response.status_code == 400
    assert response.json()["error_detail"] == f"{LIMIT} must be given at most once, got 2 values"


def test_path_parameter_longer_than_the_spec_allows_is_rejected(client: httpx.Client) -> None:
    response = client.get(listing_path("p" * (PATH_MAX_LENGTH + 1)))
    assert response.status_code == 400
    expected = f"{PATH_NAME} must be at most {PATH_MAX_LENGTH} characters long, got {PATH_MAX_LENGTH + 1}"
    assert response.json()["error_detail"] == expected


def test_empty_path_parameter_is_rejected(client: httpx.Client) -> None:
    response = client.get(listing_path(""))
    assert response.status_code == 400
    assert response.json()["error_detail"] == f"{PATH_NAME} must be at least {PATH_MIN_LENGTH} characters long, got 0"


def test_error_detail_stays_short_whatever_value_was_sent(client: httpx.Client) -> None:
    detail = client.get(PATH, params={FILTER_NAME: "Z" * FILTER_MAX_LENGTH}).json()["error_detail"]
    assert len(detail) < 200


def test_non_utf8_query_bytes_get_400_naming_the_parameter(
    app_1000: Starlette, raw_call: Callable[..., httpx.Response]
) -> None:
    response = raw_call(app_1000, PATH.encode(), FILTER_NAME.encode() + b"=%FF%FE", TOKEN_HEADER_BYTES)
    assert response.status_code == 400
    assert f"{FILTER_NAME} must be valid UTF-8".encode() in response.content


def test_non_utf8_path_parameter_gets_400(app_1000: Starlette, raw_call: Callable[..., httpx.Response]) -> None:
    response = raw_call(app_1000, listing_path("%C3%28").encode(), b"", TOKEN_HEADER_BYTES)
    assert response.status_code == 400
    assert f"{PATH_NAME} must be valid UTF-8".encode() in response.content


def test_unknown_path_gets_404_in_the_gateway_error_shape(client: httpx.Client) -> None:
    response = client.get(PATH + "-elsewhere")
    assert response.status_code == 404
    body = response.json()
    assert body["error_code"] == "APIG.0101"
    assert body["request_id"] == response.headers["x-request-id"]


def test_path_with_a_trailing_slash_is_unknown_unless_a_template_ends_in_a_parameter_there(
    client: httpx.Client,
) -> None:
    trailing = PATH + "/"
    # e.g. a lookup `<listing>/{id}`: the empty last segment is its id, refused for its minimum length (a 400)
    taken = any(template_pattern(operation.path).fullmatch(trailing.encode()) for operation in API.operations)

    assert client.get(trailing).status_code == (400 if taken else 404)


def test_literal_slash_in_a_path_parameter_is_an_unknown_path(client: httpx.Client) -> None:
    assert client.get(listing_path("a/b")).status_code == 404


@pytest.mark.parametrize(
    "method", [m for m in ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS") if m != LISTING.method]
)
def test_other_methods_get_405_with_an_allow_header(client: httpx.Client, method: str) -> None:
    response = client.request(method, PATH)
    assert response.status_code == 405
    assert response.headers["allow"] == ", ".join(sorted({LISTING.method, "HEAD"}))
    assert response.json()["error_code"] == "MOCK.0405"


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        (PATH, {}, 200),
        (f"{PATH}?{LIMIT}={LIMIT_MIN - 1}", {}, 400),
        (PATH, {TOKEN_HEADER: "wrong"}, 401),
        ("/nowhere", {}, 404),
        ("/openapi.yaml", {}, 200),
        ("/openapi.json", {}, 200),
    ],
)
def test_every_answer_carries_an_x_request_id(
    client: httpx.Client, path: str, headers: dict[str, str], status: int
) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert len(response.headers["x-request-id"]) == 32


def test_request_ids_differ_between_requests(client: httpx.Client) -> None:
    ids = {client.get(PATH).headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


ENCODED_DOTS, P = listing_path("%2e%2e").encode(), PATH.encode()
LIMIT_B, OFFSET_B, FILTER_B = LIMIT.encode(), OFFSET.encode(), FILTER_NAME.encode()


@pytest.mark.parametrize(
    ("raw_path", "query"),
    [
        (ENCODED_DOTS, b""),
        (listing_path("%00").encode(), LIMIT_B + b"=%00"),
        (P, LIMIT_B + b"=5&&&=&" + FILTER_B),
        (P, b"%FF=1"),
        (P, LIMIT_B + b"=1e3&" + LIMIT_B + b"=%FF"),
        (listing_path("\xff\xfe").encode("latin-1"), OFFSET_B + b"=\xff"),
        (P, OFFSET_B + b"=" + b"1" * 100_000),
        (listing_path("p%2F%2F").encode(), FILTER_B + b"=" + FILTER_VALUES[0].encode() + b"%00"),
    ],
)
def test_odd_request_bytes_never_get_a_server_error(
    app_1000: Starlette, raw_call: Callable[..., httpx.Response], raw_path: bytes, query: bytes
) -> None:
    response = raw_call(app_1000, raw_path, query, TOKEN_HEADER_BYTES)
    assert 200 <= response.status_code < 500


def raw_http(port: int, request: bytes) -> bytes:
    """Send raw bytes on a fresh connection and return the status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while b"\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    return received.split(b"\r\n", 1)[0]


TOKEN_LINE = f"{TOKEN_HEADER}: {DEFAULT_TOKEN}\r\n".encode()


def http_request(target: bytes, headers: bytes = TOKEN_LINE) -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n"


@pytest.fixture(scope="module")
def signing_server() -> Iterator[str]:
    with run_server(MockConfig(tasks=5, ak="AK", sk="SK")) as base_url:
        yield base_url


@pytest.mark.parametrize(
    "request_bytes",
    [
        http_request(P + b"?" + FILTER_B + b"=%FF%FE"),
        http_request(P + b"?" + FILTER_B + b"=\xff\xfe"),
        http_request(listing_path("\xc3\xa9").encode("latin-1")),
        http_request(P, TOKEN_LINE + b"X-Big: " + b"a" * 1_000_000 + b"\r\n"),
        http_request(P, TOKEN_HEADER.encode() + b": " + b"\xff" * 20_000 + b"\r\n"),
        http_request(P, b"Authorization: SDK-HMAC-SHA256 \xff\r\n"),
        http_request(P + b"?" + b"a=1&" * 50_000),
        http_request(listing_path("p%0A").encode() + b"?" + LIMIT_B + b"=1e3"),
    ],
    ids=[
        "encoded-non-utf8-query",
        "raw-non-ascii-query",
        "raw-non-ascii-path",
        "megabyte-header",
        "non-utf8-token",
        "non-utf8-authorization",
        "fifty-thousand-parameters",
        "encoded-newline-in-project-id",
    ],
)
def test_odd_bytes_over_http_get_a_client_error_or_an_answer_never_a_server_error(
    signing_server: str, request_bytes: bytes
) -> None:
    port = int(signing_server.rsplit(":", 1)[1])
    status_line = raw_http(port, request_bytes)
    assert status_line.startswith((b"HTTP/1.1 2", b"HTTP/1.1 4")), status_line
    assert httpx.get(signing_server + PATH, headers={TOKEN_HEADER: DEFAULT_TOKEN}).status_code == 200
