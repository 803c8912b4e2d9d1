"""The embedded S3 server and the store, against a real SeaweedFS process."""

from pathlib import Path

import pytest

from processing.core.config import Settings
from processing.core.embedded_s3 import EmbeddedS3, EmbeddedS3Error
from processing.core.s3 import StoreUnavailable, open_store

pytestmark = pytest.mark.integration


def test_store_round_trip_and_ranges(store):
    store.put_bytes("a/b.bin", b"0123456789")
    assert store.get_bytes("a/b.bin") == b"0123456789"
    assert store.get_range("a/b.bin", 3, 4) == b"3456"
    assert store.exists("a/b.bin") and not store.exists("a/c.bin")
    assert list(store.list_keys("a/")) == ["a/b.bin"]
    store.put_json("a/x.json", {"k": "ق"})
    assert store.get_json("a/x.json") == {"k": "ق"}
    assert store.get_json_or_none("a/none.json") is None
    assert store.delete_prefix("a/") == 2
    assert list(store.list_keys("a/")) == []


def test_conditional_put_is_exclusive(store):
    assert store.put_if_absent("locks/x", b"1")
    assert not store.put_if_absent("locks/x", b"2")
    assert store.get_bytes("locks/x") == b"1"


def test_second_open_reuses_running_server(env, s3_server):
    state, port = s3_server
    status = EmbeddedS3(state, port).status()
    assert status.running and status.pid
    store = open_store(env)
    assert store.endpoint == f"http://127.0.0.1:{port}"
    assert EmbeddedS3(state, port).status().pid == status.pid


def test_up_status_down_cycle(tmp_path):
    from tests.conftest import _free_port_block

    server = EmbeddedS3(tmp_path, _free_port_block())
    assert not server.status().running
    try:
        st = server.up()
        assert st.running and (tmp_path / "seaweedfs" / "data").is_dir()
        assert server.up().pid == st.pid  # idempotent
    finally:
        assert server.down()
    assert not server.status().running
    assert not server.down()


def test_port_taken_by_another_server_is_named(tmp_path, s3_server):
    _state, port = s3_server
    with pytest.raises(EmbeddedS3Error, match=rf"port {port} \(S3\) is taken by another SeaweedFS"):
        EmbeddedS3(tmp_path, port).up()
    # NEWSLOOM_S3_PORT = another server's port + 10000 collides with its S3 gRPC port
    with pytest.raises(EmbeddedS3Error, match=rf"port {port + 10000} \(S3\) is taken by another"):
        EmbeddedS3(tmp_path / "b", port + 10000).up()
    with pytest.raises(EmbeddedS3Error, match="cannot work"):
        EmbeddedS3(tmp_path / "c", 65000).up()


def _up(state: str, port: int, out: object) -> None:
    from processing.core.embedded_s3 import EmbeddedS3 as E

    st = E(Path(state), port).up()
    out.put((st.running, st.pid))  # type: ignore[attr-defined]


@pytest.mark.reliability
def test_concurrent_first_users_all_succeed_with_one_server(tmp_path):
    """Five processes start the same embedded server at the same moment (what two Airflow
    DAGs' first tasks did): all succeed, one server runs, its pid is known."""
    import multiprocessing

    from tests.conftest import _free_port_block
    from tests.reliability import record

    port = _free_port_block()
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_up, args=(str(tmp_path), port, out)) for _ in range(5)]
    server = EmbeddedS3(tmp_path, port)
    try:
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        results = [out.get(timeout=5) for _ in procs]
        codes = [p.exitcode for p in procs]
        pids = {pid for _, pid in results}
        ours = server._ours()
        record(
            "operations",
            "5 processes start the embedded S3 server at once",
            "all 5 succeed, 1 server",
            "all 5 succeed, 1 server"
            if codes.count(0) == 5 and len(ours) == 1
            else f"{codes.count(0)} succeeded, {len(ours)} server(s)",
        )
        assert codes == [0] * 5 and all(ok for ok, _ in results)
        assert len(pids) == 1 and ours == sorted(pids)
        # a lost pid file does not lose the server: it is found and adopted
        server.pid_file.unlink()
        assert server.status().running and server.up().pid == ours[0]
    finally:
        server.down()
    assert server._ours() == []


def test_unreachable_external_endpoint_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSLOOM_S3_ENDPOINT", "http://127.0.0.1:9")  # discard port: closed
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1:9"):
        open_store(Settings.from_env())


def test_external_endpoint_with_credentials(monkeypatch, s3_server):
    """The non-embedded path (what AWS users take), pointed at the test server."""
    from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY

    _, port = s3_server
    monkeypatch.setenv("NEWSLOOM_S3_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", "external-path")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", EMBEDDED_ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", EMBEDDED_SECRET_KEY)
    store = open_store(Settings.from_env(), create_bucket=True)
    store.put_bytes("k", b"v")
    assert store.get_bytes("k") == b"v"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    with pytest.raises(StoreUnavailable):
        open_store(Settings.from_env()).put_bytes("k", b"v")
