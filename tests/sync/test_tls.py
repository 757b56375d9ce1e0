"""HQ over HTTPS, against a real `romah-hq serve` process with a throwaway society CA.

A laptop checks HQ's certificate with the society's CA file or a pinned fingerprint given at
enrolment, and every later sync checks it the same way; a laptop that cannot verify HQ is
refused in one sentence before it sends anything. HQ will not serve plain HTTP to the network
by mistake, and a laptop will not enrol over plain HTTP with another machine.
"""

from __future__ import annotations

import datetime
import ipaddress
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from romah_desktop.cli import main as romah
from romah_desktop.i18n import current_language, set_language
from romah_desktop.paths import DATABASE_FILE
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.workspace import Workspace
from sync.client import SyncClient
from sync.enrolment import enrol
from sync.tls import InsecureAddress
from sync.transport import CertificateRefused
from tests.helpers.people import person_form
from tests.sync.helpers import PASSWORD, ROOT, HQProcess, actor_of, free_port

REFUSED = "HQ's certificate could not be verified: "


@dataclass
class Certificates:
    ca_file: Path
    certfile: Path
    keyfile: Path
    pin: str  # HQ's certificate fingerprint as `openssl x509 -fingerprint -sha256` prints it


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def society_ca(folder: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A society's own certificate authority (its key stays in the test)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("Romah Society test CA"))
        .issuer_name(_name("Romah Society test CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    (folder / "society-ca.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate


def hq_certificate(
    folder: Path, ca: tuple[ec.EllipticCurvePrivateKey, x509.Certificate], label: str = "hq"
) -> Certificates:
    """HQ's certificate for 127.0.0.1, signed by the society's CA."""
    ca_key, ca_certificate = ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    certfile, keyfile = folder / f"{label}.pem", folder / f"{label}-key.pem"
    certfile.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(_pem_key(key))
    keyfile.chmod(0o600)
    digest = certificate.fingerprint(hashes.SHA256()).hex().upper()
    pin = "sha256 Fingerprint=" + ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
    return Certificates(folder / "society-ca.pem", certfile, keyfile, pin)


def https_hq(folder: Path, certificates: Certificates, port: int | None = None) -> HQProcess:
    hq = HQProcess(
        folder,
        f"sqlite+pysqlite:///{folder / 'hq.sqlite3'}",
        certfile=certificates.certfile,
        keyfile=certificates.keyfile,
        ca_file=certificates.ca_file,
    )
    if port is not None:
        hq.port = port
    return hq


@pytest.fixture(scope="module")
def society(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HQProcess, Certificates]]:
    """A seeded HQ serving HTTPS with a certificate from the society's CA."""
    folder = tmp_path_factory.mktemp("tls")
    certificates = hq_certificate(folder / "certs", society_ca(folder / "certs"))
    hq = https_hq(folder / "hq", certificates)
    hq.seed()
    hq.start()
    try:
        yield hq, certificates
    finally:
        hq.close()


@pytest.fixture
def cli() -> Iterator[CliRunner]:
    """`romah` in English (the language is the process's: put back after)."""
    before = current_language()
    yield CliRunner()
    set_language(before)


def run(runner: CliRunner, data_dir: Path, *args: str, user: str | None = None) -> Result:
    base = ["--data-dir", str(data_dir), "--lang", "en"]
    if user is not None:
        base += ["--user", user]
    return runner.invoke(romah, [*base, *args], env={"ROMAH_PASSWORD": PASSWORD})


def register_person(workspace: Workspace) -> str:
    actor = actor_of(workspace, "clerk.ryd")
    with workspace.transaction() as session:
        return register_beneficiary(session, actor, person_form(), confirmed_not_duplicate=True).id


def test_a_laptop_enrolled_with_the_society_ca_syncs_over_https(
    society: tuple[HQProcess, Certificates], cli: CliRunner, tmp_path: Path
) -> None:
    hq, certificates = society
    assert hq.url.startswith("https://")
    laptop = tmp_path / "laptop"
    code = hq.hub.new_enrolment_code("RYD")

    enrolled = run(
        cli,
        laptop,
        "enrol",
        "--server",
        hq.url,
        "--code",
        code,
        "--ca-file",
        str(certificates.ca_file),
        "--name",
        "ryd-1",
    )
    assert enrolled.exit_code == 0, enrolled.output
    assert "enrolled in branch RYD" in enrolled.output

    # A later sync (its own process state: only what enrolment stored) checks HQ the same way.
    workspace, _ = Workspace.unlock(laptop, "clerk.ryd", PASSWORD)
    try:
        person = register_person(workspace)
    finally:
        workspace.close()
    synced = run(cli, laptop, "sync", user="clerk.ryd")
    assert synced.exit_code == 0, synced.output
    assert person in hq.people(hq.hub.branch_id("RYD"))


def test_a_laptop_that_trusts_only_the_system_authorities_is_refused_before_sending(
    society: tuple[HQProcess, Certificates], cli: CliRunner, tmp_path: Path
) -> None:
    hq, certificates = society
    code = hq.hub.new_enrolment_code("RYD")

    refused = run(cli, tmp_path / "laptop", "enrol", "--server", hq.url, "--code", code)
    assert refused.exit_code == 1
    lines = refused.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(REFUSED), refused.output
    assert "Traceback" not in refused.output
    assert not (tmp_path / "laptop" / DATABASE_FILE).exists()

    # Nothing reached HQ: the same one-time code still enrols a laptop that has the CA.
    workspace = enrol(tmp_path / "other", hq.url, code, "ryd-2", ca_file=certificates.ca_file)
    workspace.close()


def test_a_pinned_certificate_is_accepted_and_any_other_refused(tmp_path: Path) -> None:
    """A self-signed HQ pinned at enrolment: the pin is kept, and a different certificate
    later (another machine answering at HQ's address) is refused by the next sync."""
    ca = society_ca(tmp_path / "certs")
    genuine = hq_certificate(tmp_path / "certs", ca)
    impostor = hq_certificate(tmp_path / "certs", ca, label="impostor")
    hq = https_hq(tmp_path / "hq", genuine)
    hq.seed()
    hq.start()
    try:
        pin = genuine.pin.split("=", 1)[1]
        assert pin.replace(":", "").lower() in (hq.data_dir / "server.log").read_text()

        with pytest.raises(CertificateRefused) as wrong:
            enrol(
                tmp_path / "wrong", hq.url, hq.hub.new_enrolment_code("RYD"), "w", pin=impostor.pin
            )
        assert str(wrong.value).startswith(REFUSED)
        assert not (tmp_path / "wrong" / DATABASE_FILE).exists()

        workspace = enrol(tmp_path / "ryd", hq.url, hq.hub.new_enrolment_code("RYD"), "r", pin=pin)
        client = SyncClient(workspace.db, workspace.attachments_dir)
        try:
            person = register_person(workspace)
            client.sync()
            assert person in hq.people(hq.hub.branch_id("RYD"))

            client.close()  # no kept-alive connection: the next sync reads what enrolment kept
            hq.stop()
            hq.certfile, hq.keyfile = impostor.certfile, impostor.keyfile
            hq.start()
            register_person(workspace)
            with pytest.raises(CertificateRefused) as moved:
                client.sync()
            assert str(moved.value).startswith(REFUSED)
            assert "is not the pinned" in str(moved.value)
        finally:
            client.close()
            workspace.close()
    finally:
        hq.close()


def test_hq_refuses_to_serve_plain_http_to_the_network(tmp_path: Path) -> None:
    hq = HQProcess(tmp_path / "hq", f"sqlite+pysqlite:///{tmp_path / 'hq' / 'hq.sqlite3'}")
    try:
        refused = subprocess.run(
            hq.command("serve", "--host", "0.0.0.0", "--port", str(free_port())),
            capture_output=True,
            text=True,
            timeout=30,
            cwd=ROOT,
            check=False,
        )
        assert refused.returncode == 1
        assert "--certfile" in refused.stderr and "Traceback" not in refused.stderr

        # On this machine only, plain HTTP still serves (tests, a TLS proxy), with a warning.
        hq.start()
        assert "serving plain HTTP" in (hq.data_dir / "server.log").read_text()
    finally:
        hq.close()


def test_a_laptop_does_not_enrol_over_plain_http_with_another_machine(tmp_path: Path) -> None:
    with pytest.raises(InsecureAddress) as refused:
        enrol(tmp_path / "laptop", "http://192.0.2.10:8470", "ABCD-EFGH", "ryd")
    assert "https://" in str(refused.value)
    assert not (tmp_path / "laptop" / DATABASE_FILE).exists()
