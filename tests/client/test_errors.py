"""Errors: one tree under OmsError, a class per documented status, nothing raw from httpx or pydantic escapes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import pickle

import httpx
import pytest
from oms_sync_client import AsyncOmsClient, OmsClient, errors

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, Reply


def serve(fake: FakeOms, status: int, body: object, headers: dict[str, str] | None = None) -> None:
    fake.replies.append(Reply(status, body, headers or {}))


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (429, errors.RateLimitError),
        (500, errors.ServerError),
        (503, errors.ServerError),
        (404, errors.NotFoundError),
        (409, errors.APIStatusError),
    ],
)
def test_each_error_status_raises_its_error_class(
    client: OmsClient, fake: FakeOms, status: int, error_class: type[errors.APIError]
) -> None:
    serve(fake, status, {"error_code": "OMS.0064", "error_msg": "Invalid request parameters."})

    with pytest.raises(error_class) as caught:
        client.list_sync_tasks(max_retries=0)

    assert caught.value.status_code == status
    assert isinstance(caught.value, errors.APIError)


def test_api_error_carries_code_message_detail_and_request_id(client: OmsClient, fake: FakeOms) -> None:
    body = {
        "error_code": "OMS.0064",
        "error_msg": "Invalid request parameters.",
        "error_detail": "request parameter [limit] invalid.",
    }
    serve(fake, 400, body, {"X-Request-Id": "rid-400"})

    with pytest.raises(errors.BadRequestError) as caught:
        client.list_sync_tasks()

    error = caught.value
    assert (error.error_code, error.error_msg, error.error_detail, error.request_id) == (
        "OMS.0064",
        "Invalid request parameters.",
        "request parameter [limit] invalid.",
        "rid-400",
    )
    assert str(error) == (
        "HTTP 400 OMS.0064: Invalid request parameters. (request parameter [limit] invalid.) [request id rid-400]"
    )


def test_request_id_comes_from_the_gateway_error_body_when_the_header_is_missing(fake: FakeOms) -> None:
    def without_request_id(request: httpx.Request) -> httpx.Response:
        body = {
            "error_code": "APIG.0301",
            "error_msg": "Incorrect IAM authentication information.",
            "request_id": "body-rid",
        }
        return httpx.Response(401, json=body)

    http = httpx.Client(transport=httpx.MockTransport(without_request_id))
    client = OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=TOKEN, http_client=http)
    with pytest.raises(errors.AuthenticationError) as caught:
        client.list_sync_tasks()

    assert (caught.value.error_code, caught.value.request_id) == ("APIG.0301", "body-rid")


def test_error_body_that_is_not_json_still_raises_the_status_error_with_the_body(
    client: OmsClient, fake: FakeOms
) -> None:
    serve(fake, 502, b"<html>Bad Gateway</html>")

    with pytest.raises(errors.ServerError) as caught:
        client.list_sync_tasks(max_retries=0)

    assert caught.value.error_code is None
    assert caught.value.body == b"<html>Bad Gateway</html>"
    assert "Bad Gateway" in str(caught.value)


def test_error_body_breaking_the_spec_is_read_as_far_as_possible_in_tolerant_mode(
    client: OmsClient, fake: FakeOms
) -> None:
    serve(fake, 400, {"error_code": "OMS.0064", "error_msg": "m" * 5000})

    with pytest.raises(errors.BadRequestError) as caught:
        client.list_sync_tasks()

    assert caught.value.error_code == "OMS.0064"


def test_strict_mode_rejects_a_documented_error_body_that_breaks_the_spec(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, 403, {"error_msg": "forbidden"})

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.list_sync_tasks(strict=True)

    assert (caught.value.path, caught.value.status_code) == ("$.error_code", 403)


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (httpx.ConnectError("connection refused"), errors.APIConnectionError),
        (httpx.ReadError("connection reset"), errors.APIConnectionError),
        (httpx.RemoteProtocolError("server disconnected"), errors.APIConnectionError),
        (httpx.LocalProtocolError("illegal header"), errors.APIConnectionError),
        (httpx.UnsupportedProtocol("no transport"), errors.APIConnectionError),
        (httpx.ConnectTimeout("slow connect"), errors.APITimeoutError),
        (httpx.ReadTimeout("slow read"), errors.APITimeoutError),
        (httpx.PoolTimeout("pool exhausted"), errors.APITimeoutError),
        (httpx.DecodingError("bad gzip"), errors.OmsError),
    ],
)
def test_httpx_exceptions_are_translated_into_package_errors(
    raised: Exception, expected: type[errors.OmsError]
) -> None:
    def failing(request: httpx.Request) -> httpx.Response:
        raise raised

    http = httpx.Client(transport=httpx.MockTransport(failing))
    with (
        OmsClient(
            base_url="https://oms.test", project_id=PROJECT_ID, token=TOKEN, max_retries=0, http_client=http
        ) as client,
        pytest.raises(expected) as caught,
    ):
        client.list_sync_tasks()

    assert caught.value.__cause__ is raised


def test_every_public_error_derives_from_oms_error_and_says_when_it_is_raised() -> None:
    classes = [cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, Exception)]

    assert {cls.__name__ for cls in classes} >= set(errors.__all__)
    for cls in classes:
        assert issubclass(cls, errors.OmsError), cls
        assert cls.__doc__ and cls.__doc__.strip(), cls


def test_token_appears_in_no_error_message(fake: FakeOms) -> None:
    secret = "tok-secret-123"
    fake.token = "another-token"
    http = httpx.Client(transport=fake.client_transport())
    client = OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=secret, http_client=http)
    with pytest.raises(errors.AuthenticationError) as caught:
        client.list_sync_tasks()

    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert secret not in str(vars(caught.value))


def every_error() -> list[errors.OmsError]:
    """One instance of every error class, with its fields set."""
    api_fields = {
        "error_code": "OMS.0064",
        "error_msg": "Invalid request parameters.",
        "error_detail": "limit",
        "request_id": "rid-1",
        "body": b'{"error_code": "OMS.0064"}',
        "method": "GET",
        "url": "https://oms.test/v2/p/sync-tasks",
        "retry_after": 2.0,
    }
    made: list[errors.OmsError] = [
        errors.ValidationError("limit", "must be between 1 and 100, got 101", limit=(1, 100)),
        errors.ResponseParseError("response body is empty", status_code=200, request_id="rid", body=b""),
        errors.ResponseValidationError("$.count", "bad", status_code=200, request_id="rid", body=b"{}"),
        errors.APIConnectionError("connection failed: refused", method="GET", url="https://oms.test/x"),
        errors.APITimeoutError("read timeout expired", method="GET", url="https://oms.test/x"),
        errors.ClientClosedError("OmsClient was closed"),
        errors.EventLoopError("another loop"),
    ]
    for cls in (errors.APIError, errors.BadRequestError, errors.NotFoundError, errors.RateLimitError):
        made.append(cls(400, **api_fields))  # type: ignore[arg-type]
    return made


@pytest.mark.parametrize("error", every_error(), ids=lambda error: type(error).__name__)
def test_every_error_survives_pickling_with_its_fields_and_message(error: errors.OmsError) -> None:
    restored = pickle.loads(pickle.dumps(error))

    assert type(restored) is type(error)
    assert str(restored) == str(error)
    assert restored.__dict__ == error.__dict__


def test_an_error_raised_in_a_process_pool_worker_reaches_the_caller_whole() -> None:
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_raise_validation_error)
        with pytest.raises(errors.ValidationError) as caught:
            future.result(timeout=60)

    assert (caught.value.field, caught.value.limit) == ("limit", (1, 100))


def _raise_validation_error() -> None:
    raise errors.ValidationError("limit", "must be between 1 and 100, got 101", limit=(1, 100))


def test_a_call_after_close_raises_client_closed_error(client: OmsClient, fake: FakeOms) -> None:
    client.close()

    with pytest.raises(errors.ClientClosedError, match="was closed"):
        client.list_sync_tasks()

    assert fake.requests == []


def test_a_call_after_close_of_a_passed_in_http_client_raises_client_closed_error(fake: FakeOms) -> None:
    http = httpx.Client(transport=fake.client_transport())
    client = OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token="t", http_client=http)
    http.close()

    with pytest.raises(errors.ClientClosedError):
        client.list_sync_tasks()


def test_an_async_client_used_in_a_second_event_loop_raises_event_loop_error(async_client: AsyncOmsClient) -> None:
    asyncio.run(async_client.list_sync_tasks())

    with pytest.raises(errors.EventLoopError, match="first used in another event loop"):
        asyncio.run(async_client.list_sync_tasks())
