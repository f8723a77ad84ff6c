"""Errors: one tree under OmsError, a class per documented status, nothing raw from httpx or pydantic escapes."""

from __future__ import annotations

import inspect

import httpx
import pytest
from oms_sync_client import OmsClient, errors

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
