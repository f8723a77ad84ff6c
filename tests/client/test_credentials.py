"""Temporary credentials (STS) and the vendor SDK's credential sources: variables, credentials file, precedence."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from oms_sync_client import OmsClient, SdkHmacSha256Auth, TokenAuth, errors
from oms_sync_client._signing import UNSIGNED_HEADERS

from .fake_oms import PROJECT_ID

SECURITY_TOKEN_HEADER = "x-security-token"


@pytest.fixture(scope="module")
def vendor_credentials_class(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """huaweicloudsdkcore's BasicCredentials, imported with HOME pointing at a temporary folder (it writes under ~)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("vendor-home")))
        from huaweicloudsdkcore.auth.credentials import BasicCredentials

        yield BasicCredentials


def sent_request(client: OmsClient) -> httpx.Request:
    """The request `client.list_sync_tasks()` sends (answered by a local MockTransport)."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"tasks": [], "count": 0})

    client._http = httpx.Client(transport=httpx.MockTransport(answer))
    client.list_sync_tasks()
    return seen[0]


def write_credentials_file(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_temporary_credentials_send_the_security_token_and_sign_it() -> None:
    client = OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, ak="AK", sk="SK", security_token="STS-1")

    request = sent_request(client)

    assert request.headers[SECURITY_TOKEN_HEADER] == "STS-1"
    signed_headers = request.headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert SECURITY_TOKEN_HEADER in signed_headers


def test_temporary_credentials_are_signed_as_the_vendor_sdk_signs_them(vendor_credentials_class: Any) -> None:
    from huaweicloudsdkcore.sdk_request import SdkRequest

    client = OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, ak="AK", sk="SK", security_token="STS-2")
    request = sent_request(client)
    # The vendor SDK adds these itself; hop-by-hop headers are added by its transport, after signing.
    added_by_the_vendor = {"authorization", SECURITY_TOKEN_HEADER, "x-project-id", *UNSIGNED_HEADERS}
    sdk_request = SdkRequest(
        method=request.method,
        schema=request.url.scheme,
        host=request.headers["host"],
        resource_path=request.url.raw_path.decode().split("?", 1)[0],
        query_params=list(request.url.params.multi_items()),
        header_params={name: value for name, value in request.headers.items() if name not in added_by_the_vendor},
    )

    credentials = vendor_credentials_class("AK", "SK", PROJECT_ID).with_security_token("STS-2")
    signed = credentials.sign_request(sdk_request)

    assert request.headers["authorization"] == signed.header_params["Authorization"]


def test_the_security_token_is_in_no_repr() -> None:
    auth = SdkHmacSha256Auth("AK", "SK", security_token="secret-sts")

    assert "secret-sts" not in repr(auth)
    assert "secret-sts" not in repr(OmsClient(ak="AK", sk="SK", security_token="secret-sts"))


def test_a_security_token_without_ak_and_sk_is_refused() -> None:
    with pytest.raises(errors.ValidationError, match="security_token goes with ak and sk"):
        OmsClient(token="t", security_token="sts")


def test_from_env_reads_the_vendor_sdk_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "vendor-ak")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "vendor-sk")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", "vendor-sts")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "vendor-project")

    client = OmsClient.from_env()

    assert client.project_id == "vendor-project"
    assert isinstance(client.auth, SdkHmacSha256Auth) and client.auth.access_key == "vendor-ak"
    assert sent_request(client).headers[SECURITY_TOKEN_HEADER] == "vendor-sts"


def test_from_env_reads_the_credentials_file_named_by_the_vendor_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_credentials_file(
        tmp_path / "creds.ini", "[basic]\nak = file-ak\nsk = file-sk\nproject_id = file-project\n"
    )
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(path))

    client = OmsClient.from_env()

    assert client.project_id == "file-project"
    assert isinstance(client.auth, SdkHmacSha256Auth) and client.auth.access_key == "file-ak"


def test_from_env_reads_the_default_credentials_file_in_the_home_folder() -> None:
    home = Path.home()
    write_credentials_file(home / ".huaweicloud" / "credentials", "[basic]\nak = home-ak\nsk = home-sk\n")

    client = OmsClient.from_env()

    assert isinstance(client.auth, SdkHmacSha256Auth) and client.auth.access_key == "home-ak"


def test_from_env_reads_the_profile_asked_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_credentials_file(
        tmp_path / "creds.ini",
        "[basic]\nak = basic-ak\nsk = basic-sk\n\n[staging]\nak = staging-ak\nsk = staging-sk\nsecurity_token = t\n",
    )
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(path))

    client = OmsClient.from_env(profile="staging")

    assert isinstance(client.auth, SdkHmacSha256Auth) and client.auth.access_key == "staging-ak"


def test_a_missing_profile_is_refused_naming_the_file_and_the_section(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_credentials_file(tmp_path / "creds.ini", "[basic]\nak = a\nsk = s\n")
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(path))

    with pytest.raises(errors.ValidationError, match=r"creds\.ini has no section \[prod\]"):
        OmsClient.from_env(profile="prod")


def test_a_credentials_file_named_but_missing_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(tmp_path / "nowhere.ini"))

    with pytest.raises(errors.ValidationError, match=r"HUAWEICLOUD_SDK_CREDENTIALS_FILE names .* not a readable file"):
        OmsClient.from_env()


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"OMS_AUTH_TOKEN": "our-token", "HUAWEICLOUD_SDK_AK": "v-ak", "HUAWEICLOUD_SDK_SK": "v-sk"}, "token"),
        (
            {"CLOUD_SDK_AK": "sample-ak", "CLOUD_SDK_SK": "s", "HUAWEICLOUD_SDK_AK": "v-ak", "HUAWEICLOUD_SDK_SK": "s"},
            "sample-ak",
        ),
        ({"HUAWEICLOUD_SDK_AK": "v-ak", "HUAWEICLOUD_SDK_SK": "v-sk"}, "v-ak"),
    ],
)
def test_variables_are_read_in_the_documented_order_before_the_credentials_file(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: str
) -> None:
    write_credentials_file(Path.home() / ".huaweicloud" / "credentials", "[basic]\nak = file-ak\nsk = file-sk\n")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    auth = OmsClient.from_env().auth

    assert (isinstance(auth, TokenAuth) and expected == "token") or (
        isinstance(auth, SdkHmacSha256Auth) and auth.access_key == expected
    )


def test_half_a_pair_is_refused_and_never_completed_from_another_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "v-ak")
    monkeypatch.setenv("CLOUD_SDK_SK", "sample-sk")

    with pytest.raises(errors.ValidationError, match="CLOUD_SDK_AK is not set but CLOUD_SDK_SK is"):
        OmsClient.from_env()


def test_our_project_variable_wins_over_the_vendor_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMS_AUTH_TOKEN", "t")
    monkeypatch.setenv("OMS_PROJECT_ID", "ours")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "vendor")

    assert OmsClient.from_env().project_id == "ours"


def test_from_env_takes_project_base_url_and_region_overrides(
    monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any]
) -> None:
    monkeypatch.setenv("OMS_AUTH_TOKEN", "t")
    monkeypatch.setenv("OMS_PROJECT_ID", "from-env")
    monkeypatch.setenv("OMS_ENDPOINT", "https://env.example")
    region = spec["servers"][0]["variables"]["region"]["enum"][0]

    by_url = OmsClient.from_env(project_id="given", base_url="https://given.example")
    by_region = OmsClient.from_env(region=region)

    assert (by_url.project_id, str(by_url.base_url)) == ("given", "https://given.example")
    assert str(by_region.base_url) == spec["servers"][0]["url"].replace("{region}", region)


def test_reading_credentials_contacts_no_address(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sockets(*args: object, **kwargs: object) -> socket.socket:
        raise AssertionError("a socket was opened while reading credentials")

    monkeypatch.setattr(socket, "socket", no_sockets)
    monkeypatch.setattr(socket, "create_connection", no_sockets)

    with pytest.raises(errors.ValidationError, match="OMS_AUTH_TOKEN is not set"):
        OmsClient.from_env()


def test_the_vendor_sdk_reads_the_same_credentials_file_the_same_way(
    vendor_credentials_class: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from huaweicloudsdkcore.auth.provider import ProfileCredentialProvider

    path = write_credentials_file(
        tmp_path / "creds.ini", "[basic]\nak = same-ak\nsk = same-sk\nsecurity_token = same-sts\nproject_id = p\n"
    )
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(path))

    vendor = ProfileCredentialProvider.get_basic().get_credentials()
    ours = OmsClient.from_env().auth

    assert isinstance(ours, SdkHmacSha256Auth)
    assert (vendor.ak, vendor.security_token, vendor.project_id) == (ours.access_key, "same-sts", "p")
