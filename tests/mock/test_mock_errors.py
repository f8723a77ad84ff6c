"""Error answers: invalid parameters (400), unknown paths (404), other methods (405), request ids, no 5xx."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import httpx
import pytest
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, MockConfig, run_server

PATH = "/v2/project/sync-tasks"
TOKEN_HEADER = [(b"x-auth-token", DEFAULT_TOKEN.encode())]


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ({"limit": "0"}, "limit must be between 1 and 100, got 0"),
        ({"limit": "101"}, "limit must be between 1 and 100, got 101"),
        ({"limit": "-5"}, "limit must be between 1 and 100, got -5"),
        ({"limit": "abc"}, "limit must be an integer between 1 and 100, got 'abc'"),
        ({"limit": "1e3"}, "limit must be an integer between 1 and 100, got '1e3'"),
        ({"limit": "5.0"}, "limit must be an integer between 1 and 100, got '5.0'"),
        ({"limit": " 5"}, "limit must be an integer between 1 and 100, got ' 5'"),
        ({"limit": ""}, "limit must be an integer between 1 and 100, got ''"),
        ({"limit": "9" * 5000}, "limit must be between 1 and 100, got '9999999999"),
        ({"offset": "-1"}, "offset must be between 0 and 10000, got -1"),
        ({"offset": "10001"}, "offset must be between 0 and 10000, got 10001"),
        ({"status": "RUNNING"}, "status must be one of SYNCHRONIZING, STOPPED, got 'RUNNING'"),
        ({"status": "stopped"}, "status must be one of SYNCHRONIZING, STOPPED, got 'stopped'"),
        ({"status": ""}, "status must be one of SYNCHRONIZING, STOPPED, got ''"),
        ({"status": "S" * 256}, "status must be at most 255 characters long, got 256"),
    ],
)
def test_invalid_parameter_gets_400_naming_the_parameter_and_its_limit(
    client: httpx.Client, query: dict[str, str], detail: str
) -> None:
    response = client.get(PATH, params=query)
    assert response.status_code == 400
    assert response.json()["error_detail"].startswith(detail)


def test_invalid_parameter_answer_has_the_oms_error_shape(client: httpx.Client) -> None:
    body = client.get(PATH, params={"limit": "101"}).json()
    assert body == {
        "error_code": "OMS.0064",
        "error_msg": "Invalid request parameters.",
        "error_detail": "limit must be between 1 and 100, got 101",
    }


def test_every_invalid_parameter_is_named_in_one_answer(client: httpx.Client) -> None:
    detail = client.get(PATH, params={"limit": "0", "offset": "-1", "status": "X"}).json()["error_detail"]
    assert "limit must be" in detail
    assert "offset must be" in detail
    assert "status must be" in detail


def test_repeated_parameter_is_rejected(client: httpx.Client) -> None:
    response = client.get(PATH, params=[("limit", "5"), ("limit", "6")])
    assert response.status_code == 400
    assert response.json()["error_detail"] == "limit must be given at most once, got 2 values"


def test_project_id_longer_than_the_spec_allows_is_rejected(client: httpx.Client) -> None:
    response = client.get(f"/v2/{'p' * 1025}/sync-tasks")
    assert response.status_code == 400
    assert response.json()["error_detail"] == "project_id must be at most 1024 characters long, got 1025"


def test_empty_project_id_is_rejected(client: httpx.Client) -> None:
    response = client.get("/v2//sync-tasks")
    assert response.status_code == 400
    assert response.json()["error_detail"] == "project_id must be at least 1 characters long, got 0"


def test_error_detail_stays_short_whatever_value_was_sent(client: httpx.Client) -> None:
    detail = client.get(PATH, params={"status": "Z" * 255}).json()["error_detail"]
    assert len(detail) < 200


def test_non_utf8_query_bytes_get_400_naming_the_parameter(
    app_1000: Starlette, raw_call: Callable[..., httpx.Response]
) -> None:
    response = raw_call(app_1000, PATH.encode(), b"status=%FF%FE", TOKEN_HEADER)
    assert response.status_code == 400
    assert b"status must be valid UTF-8" in response.content


def test_non_utf8_project_id_gets_400(app_1000: Starlette, raw_call: Callable[..., httpx.Response]) -> None:
    response = raw_call(app_1000, b"/v2/%C3%28/sync-tasks", b"", TOKEN_HEADER)
    assert response.status_code == 400
    assert b"project_id must be valid UTF-8" in response.content


def test_unknown_path_gets_404_in_the_gateway_error_shape(client: httpx.Client) -> None:
    response = client.get("/v2/project/migration-tasks")
    assert response.status_code == 404
    body = response.json()
    assert body["error_code"] == "APIG.0101"
    assert body["request_id"] == response.headers["x-request-id"]


def test_path_with_a_trailing_slash_is_unknown(client: httpx.Client) -> None:
    assert client.get(PATH + "/").status_code == 404


def test_literal_slash_in_project_id_is_an_unknown_path(client: httpx.Client) -> None:
    assert client.get("/v2/a/b/sync-tasks").status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_get_405_with_an_allow_header(client: httpx.Client, method: str) -> None:
    response = client.request(method, PATH)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json()["error_code"] == "MOCK.0405"


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        (PATH, {}, 200),
        (PATH + "?limit=0", {}, 400),
        (PATH, {"X-Auth-Token": "wrong"}, 401),
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


@pytest.mark.parametrize(
    ("raw_path", "query"),
    [
        (b"/v2/%2e%2e/sync-tasks", b""),
        (b"/v2/%00/sync-tasks", b"limit=%00"),
        (b"/v2/p/sync-tasks", b"limit=5&&&=&status"),
        (b"/v2/p/sync-tasks", b"%FF=1"),
        (b"/v2/p/sync-tasks", b"limit=1e3&limit=%FF"),
        (b"/v2/\xff\xfe/sync-tasks", b"offset=\xff"),
        (b"/v2/p/sync-tasks", b"offset=" + b"1" * 100_000),
        (b"/v2/p%2F%2F/sync-tasks", b"status=SYNCHRONIZING%00"),
    ],
)
def test_odd_request_bytes_never_get_a_server_error(
    app_1000: Starlette, raw_call: Callable[..., httpx.Response], raw_path: bytes, query: bytes
) -> None:
    response = raw_call(app_1000, raw_path, query, TOKEN_HEADER)
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


TOKEN_LINE = b"X-Auth-Token: oms-mock-token\r\n"


def http_request(target: bytes, headers: bytes = TOKEN_LINE) -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n"


@pytest.fixture(scope="module")
def signing_server() -> Iterator[str]:
    with run_server(MockConfig(tasks=5, ak="AK", sk="SK")) as base_url:
        yield base_url


@pytest.mark.parametrize(
    "request_bytes",
    [
        http_request(b"/v2/p/sync-tasks?status=%FF%FE"),
        http_request(b"/v2/p/sync-tasks?status=\xff\xfe"),
        http_request(b"/v2/\xc3\xa9/sync-tasks"),
        http_request(b"/v2/p/sync-tasks", TOKEN_LINE + b"X-Big: " + b"a" * 1_000_000 + b"\r\n"),
        http_request(b"/v2/p/sync-tasks", b"X-Auth-Token: " + b"\xff" * 20_000 + b"\r\n"),
        http_request(b"/v2/p/sync-tasks", b"Authorization: SDK-HMAC-SHA256 \xff\r\n"),
        http_request(b"/v2/p/sync-tasks?" + b"a=1&" * 50_000),
        http_request(b"/v2/p%0A/sync-tasks?limit=1e3"),
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
    assert httpx.get(signing_server + PATH, headers={"X-Auth-Token": DEFAULT_TOKEN}).status_code == 200
