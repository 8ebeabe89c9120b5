"""An https target whose certificate a private CA signed, as staging servers often have: with
--ca-bundle the whole suite runs (its own requests and schemathesis's); without it the run ends
with one line saying the certificate was rejected."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import trustme

from conformance.plugin import EXIT_UNUSABLE_TARGET
from conformance.reference.app import ReferenceApp
from conformance.reference.server import credentials, serve
from tests.harness import run_suite


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA(organization_name="Devices API test CA")


@pytest.fixture(scope="module")
def https_url(authority: trustme.CA) -> Iterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with serve(ReferenceApp(), ssl_context=context) as server:
        yield server.base_url


def test_the_suite_trusts_the_ca_it_is_given(
    authority: trustme.CA, https_url: str, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    run = run_suite(https_url, "--ca-bundle", str(bundle), "--fuzz-examples", "3")
    assert https_url.startswith("https://")
    assert run.returncode == 0, run.output[-3000:]
    fuzzing = [r for r in run.report["requirements"] if r["id"].startswith("DEV-FUZZ")]
    assert {r["status"] for r in fuzzing} == {"pass"}, fuzzing


def test_an_unknown_ca_ends_the_run_with_its_reason(https_url: str) -> None:
    run = run_suite(https_url)
    assert run.returncode == EXIT_UNUSABLE_TARGET, run.output[-2000:]
    assert "TLS certificate rejected" in run.output, run.output[-2000:]
    assert "Traceback" not in run.output


def test_the_reference_server_gives_https_uris_over_tls(
    authority: trustme.CA, https_url: str, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    admin, password = credentials()["admin"]
    answer = requests.get(f"{https_url}/devices", auth=(admin, password), verify=str(bundle))
    uris = answer.json()["uris"]
    assert uris, answer.text
    assert all(uri.startswith(f"{https_url}/devices/") for uri in uris), uris
