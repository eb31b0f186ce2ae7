import socket

import pytest

from tests.network_guard import OutboundNetworkError


def test_outbound_connection_fails_loudly() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(OutboundNetworkError):
            sock.connect(("93.184.216.34", 443))


def test_name_resolution_of_a_public_host_fails_loudly() -> None:
    with pytest.raises(OutboundNetworkError):
        socket.getaddrinfo("api.twilio.com", 443)


def test_loopback_is_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
