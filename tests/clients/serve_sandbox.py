"""Serve the sandbox for the generated clients: a fresh database, a free port, then uvicorn.

Usage: ``python tests/clients/serve_sandbox.py PORT_FILE`` with ``DJGATEWAY_DATABASE_URL`` set to
a throwaway database. The socket is bound before uvicorn starts (port 0: the system picks a free
one) and its port written to ``PORT_FILE``, so no other process can take the port in between.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn

from djgateway.cli.serve import prepare_sandbox
from djgateway.sandbox.gateway import create_app

HOST = "127.0.0.1"


def main(port_file: Path) -> None:
    prepare_sandbox()  # migrate and load the demo data, as `djgateway serve` does
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, 0))
    config = uvicorn.Config(create_app(), log_level="warning")
    server = uvicorn.Server(config)
    port_file.write_text(str(listener.getsockname()[1]), encoding="utf-8")
    server.run(sockets=[listener])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
