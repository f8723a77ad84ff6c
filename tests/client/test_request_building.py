"""Request URLs built on every call's path: the shortcuts taken there give exactly what httpx itself builds."""

from __future__ import annotations

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from oms_sync_client._urls import encode_query, request_url

unicode_text = st.text(st.characters(codec="utf-8"), max_size=8)  # the utf-8 codec already leaves out surrogates
query_keys = unicode_text
query_values = st.one_of(
    st.integers(-(10**12), 10**12),
    st.text(alphabet="azAZ09-._~ +%&=/é", max_size=8),
    unicode_text,
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(query=st.dictionaries(query_keys, query_values, max_size=4))
def test_query_is_encoded_as_httpx_encodes_params(query: dict[str, str | int]) -> None:
    assert encode_query(query) == str(httpx.QueryParams(query))


@settings(max_examples=100, deadline=None)
@given(
    base=st.sampled_from(["https://oms.test", "https://oms.test/", "http://127.0.0.1:8080/prefix/", "https://h/a/b"]),
    query=st.dictionaries(st.sampled_from(["limit", "offset", "status"]), query_values, max_size=3),
)
def test_request_url_is_the_url_httpx_builds_from_params(base: str, query: dict[str, str | int]) -> None:
    path = "/v2/p%2Fq/sync-tasks"
    expected = httpx.URL(base.rstrip("/") + path, params=query)

    built = request_url(httpx.URL(base), path, query)

    assert built == expected
    assert request_url(httpx.URL(base), path, query) == built  # and again (remembered)
    assert built.raw_path == expected.raw_path
