"""Construction: endpoint by base URL or region, default project with per-call override, credentials, from_env."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from oms_sync_client import AsyncOmsClient, OmsClient, SdkHmacSha256Auth, TokenAuth, UnknownEnumValueWarning, errors

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, LocalServer, Reply, make_task

ENV_NAMES = ("OMS_ENDPOINT", "OMS_REGION", "OMS_PROJECT_ID", "OMS_AUTH_TOKEN", "CLOUD_SDK_AK", "CLOUD_SDK_SK")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def server_variables(spec: dict[str, Any]) -> dict[str, Any]:
    region: dict[str, Any] = spec["servers"][0]["variables"]["region"]
    return region


def test_region_selects_the_spec_server_url(spec: dict[str, Any]) -> None:
    region = server_variables(spec)["enum"][0]

    client = OmsClient(region=region, token=TOKEN)

    assert str(client.base_url) == spec["servers"][0]["url"].replace("{region}", region)


def test_without_base_url_or_region_the_spec_default_region_is_used(spec: dict[str, Any]) -> None:
    default = server_variables(spec)["default"]

    assert str(OmsClient(token=TOKEN).base_url) == spec["servers"][0]["url"].replace("{region}", default)


def test_unknown_region_is_rejected_listing_the_valid_ones(spec: dict[str, Any]) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        OmsClient(region="mars-north-1", token=TOKEN)

    assert str(caught.value) == f"region must be one of {', '.join(server_variables(spec)['enum'])}, got 'mars-north-1'"


def test_base_url_and_region_together_are_rejected() -> None:
    with pytest.raises(errors.ValidationError, match="base_url and region are mutually exclusive"):
        OmsClient(base_url="https://oms.test", region="cn-north-4", token=TOKEN)


@pytest.mark.parametrize("base_url", ["oms.test", "ftp://oms.test", "https://", "https://oms.test/?x=1"])
def test_base_url_that_is_not_an_http_url_is_rejected(base_url: str) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        OmsClient(base_url=base_url, token=TOKEN)

    assert caught.value.field == "base_url"


def test_base_url_path_prefix_is_kept(fake: FakeOms) -> None:
    http = httpx.Client(transport=fake.client_transport())
    client = OmsClient(base_url="https://gateway.test/oms/", project_id=PROJECT_ID, token=TOKEN, http_client=http)

    client.list_sync_tasks()

    assert fake.requests[0].raw_path == f"/oms/v2/{PROJECT_ID}/sync-tasks"


def test_project_id_of_a_call_overrides_the_client_default(client: OmsClient, fake: FakeOms) -> None:
    client.list_sync_tasks()
    client.list_sync_tasks(project_id="other-project")

    assert [request.raw_path for request in fake.requests] == [
        f"/v2/{PROJECT_ID}/sync-tasks",
        "/v2/other-project/sync-tasks",
    ]


def test_project_id_is_percent_encoded_into_one_path_segment(client: OmsClient, fake: FakeOms) -> None:
    client.list_sync_tasks(project_id="a/b c?é")

    assert fake.requests[0].raw_path == "/v2/a%2Fb%20c%3F%C3%A9/sync-tasks"


def test_token_is_sent_in_the_x_auth_token_header(client: OmsClient, fake: FakeOms) -> None:
    client.list_sync_tasks()

    assert fake.requests[0].headers["x-auth-token"] == TOKEN
    assert "authorization" not in fake.requests[0].headers


def test_token_and_ak_sk_together_are_rejected() -> None:
    with pytest.raises(errors.ValidationError, match="token and ak/sk are mutually exclusive"):
        OmsClient(token=TOKEN, ak="AK", sk="SK")


def test_missing_credentials_are_rejected() -> None:
    with pytest.raises(errors.ValidationError, match="token or ak and sk are required"):
        OmsClient(base_url="https://oms.test")


def test_ak_without_sk_is_rejected() -> None:
    with pytest.raises(errors.ValidationError, match="sk must be a non-empty string when ak is given"):
        OmsClient(ak="AK")


def test_repr_shows_endpoint_and_project_but_no_secret() -> None:
    token_client = OmsClient(base_url="https://oms.test", project_id="p1", token="tok-secret")
    signing_client = AsyncOmsClient(base_url="https://oms.test", ak="AK-id", sk="sk-secret")

    assert repr(token_client) == (
        "OmsClient(base_url='https://oms.test', project_id='p1', auth=TokenAuth(header='X-Auth-Token', token='***'))"
    )
    assert (
        repr(signing_client)
        == "AsyncOmsClient(base_url='https://oms.test', project_id=None, auth=SdkHmacSha256Auth(ak='AK-id', sk='***'))"
    )
    assert "tok-secret" not in str(token_client) and "sk-secret" not in str(signing_client)


def test_from_env_reads_endpoint_project_and_token(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("OMS_ENDPOINT", "https://oms.example.test")
    clean_env.setenv("OMS_PROJECT_ID", "env-project")
    clean_env.setenv("OMS_AUTH_TOKEN", "env-token")

    client = OmsClient.from_env()

    assert (str(client.base_url), client.project_id, repr(client.auth)) == (
        "https://oms.example.test",
        "env-project",
        repr(TokenAuth("env-token")),
    )
    assert list(client.auth.static_headers.values()) == ["env-token"]  # type: ignore[attr-defined]


def test_from_env_reads_the_region(clean_env: pytest.MonkeyPatch, spec: dict[str, Any]) -> None:
    region = server_variables(spec)["enum"][-1]
    clean_env.setenv("OMS_REGION", region)
    clean_env.setenv("OMS_AUTH_TOKEN", "env-token")

    assert region in str(AsyncOmsClient.from_env().base_url)


def test_from_env_reads_the_vendor_sdk_ak_sk_names(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("CLOUD_SDK_AK", "env-ak")
    clean_env.setenv("CLOUD_SDK_SK", "env-sk")

    client = OmsClient.from_env()

    assert isinstance(client.auth, SdkHmacSha256Auth) and client.auth.access_key == "env-ak"


def test_from_env_rejects_a_token_and_an_ak_sk_pair_together(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("OMS_AUTH_TOKEN", "env-token")
    clean_env.setenv("CLOUD_SDK_AK", "env-ak")
    clean_env.setenv("CLOUD_SDK_SK", "env-sk")

    with pytest.raises(errors.ValidationError, match="OMS_AUTH_TOKEN and CLOUD_SDK_AK/CLOUD_SDK_SK are both set"):
        OmsClient.from_env()


def test_from_env_names_the_missing_half_of_the_ak_sk_pair(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("CLOUD_SDK_AK", "env-ak")

    with pytest.raises(errors.ValidationError, match="CLOUD_SDK_SK is not set but CLOUD_SDK_AK is"):
        OmsClient.from_env()


def test_from_env_without_credentials_names_the_variables(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(
        errors.ValidationError, match="OMS_AUTH_TOKEN is not set, nor are CLOUD_SDK_AK and CLOUD_SDK_SK"
    ):
        OmsClient.from_env()


def test_client_closes_its_connection_pool_when_leaving_the_with_block() -> None:
    with OmsClient(base_url="https://oms.test", token=TOKEN) as client:
        pass

    assert client._http.is_closed


def test_async_client_closes_its_connection_pool_when_leaving_the_async_with_block() -> None:
    async def use() -> AsyncOmsClient:
        async with AsyncOmsClient(base_url="https://oms.test", token=TOKEN) as client:
            return client

    assert asyncio.run(use())._http.is_closed


def test_http_client_passed_in_is_left_open() -> None:
    http = httpx.Client()
    with OmsClient(base_url="https://oms.test", token=TOKEN, http_client=http):
        pass

    assert not http.is_closed
    http.close()


def test_calls_reuse_one_keep_alive_connection(local_server: LocalServer, live_fake: FakeOms) -> None:
    with OmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN) as client:
        for _ in range(5):
            client.list_sync_tasks()

    assert len({request.peer for request in live_fake.requests}) == 1


def test_credentials_in_the_base_url_are_redacted_in_the_repr() -> None:
    client = OmsClient(base_url="https://user:s3cret@oms.test/base", project_id="p1", token="t")

    assert "s3cret" not in repr(client) and "user" not in repr(client)
    assert "https://***@oms.test/base" in repr(client)


def test_credentials_in_the_base_url_are_redacted_in_error_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.Client(transport=httpx.MockTransport(refuse))
    client = OmsClient(base_url="https://user:s3cret@oms.test", project_id="p1", token="t", http_client=http)

    with pytest.raises(errors.APIConnectionError) as caught:
        client.list_sync_tasks(max_retries=0)

    assert "s3cret" not in str(caught.value) and "s3cret" not in caught.value.url
    assert "***@oms.test" in str(caught.value)


@pytest.mark.parametrize("base_url", ["ftp://user:s3cret@oms.test", "https://user:s3cret@oms.test/?query=1"])
def test_a_refused_base_url_is_named_without_its_credentials(base_url: str) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        OmsClient(base_url=base_url, token="t")

    assert "s3cret" not in str(caught.value)
    assert "***@oms.test" in str(caught.value)


def test_an_unknown_enum_value_warning_points_at_the_callers_line(client: OmsClient, fake: FakeOms) -> None:
    fake.replies.append(Reply(200, {"tasks": [make_task(1, status=f"NEW-{uuid.uuid4().hex}")], "count": 1}, {}))

    with pytest.warns(UnknownEnumValueWarning) as caught:
        client.list_sync_tasks()  # the line the warning must name

    assert caught[0].filename == __file__
