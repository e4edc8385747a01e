"""A TCP proxy that delays each direction of a connection by a fixed time, as a LAN would.

`tc netem` would do this in the kernel but needs privileges; this small asyncio proxy runs
as any user. Each chunk read is written on after `delay` seconds (order kept, chunks do not
wait for each other), so a request and its answer cost 2 × `delay` more per round trip.

It also counts round trips: a *turn* is the client sending after the server last spoke,
i.e. the client waiting for an answer before its next request. Over many actions, turns
per action is how many round trips an action takes, counted rather than inferred.
"""

from __future__ import annotations

import asyncio
import threading
import time


class LatencyProxy:
    """Listen on 127.0.0.1:`port` (0: a free one), forward to 127.0.0.1:`upstream`."""

    def __init__(self, upstream: int, delay: float, port: int = 0):
        self.upstream, self.delay = upstream, delay
        self.turns = 0
        self._port = port
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LatencyProxy:
        self._thread.start()
        self._ready.wait()
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()

    @property
    def port(self) -> int:
        return self._port

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", self._port))
        self._port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    async def _serve(self, client_in: asyncio.StreamReader,
                     client_out: asyncio.StreamWriter) -> None:
        server_in, server_out = await asyncio.open_connection("127.0.0.1", self.upstream)
        spoke = {"last": "server"}
        await asyncio.gather(self._pump(client_in, server_out, spoke, "client"),
                             self._pump(server_in, client_out, spoke, "server"),
                             return_exceptions=True)

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter,
                    spoke: dict[str, str], side: str) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        writer = asyncio.ensure_future(self._deliver(queue, sink))
        try:
            while data := await source.read(65536):
                if side == "client" and spoke["last"] == "server":
                    self.turns += 1
                spoke["last"] = side
                queue.put_nowait((time.monotonic() + self.delay, data))
        finally:
            queue.put_nowait((0.0, b""))
            await writer

    @staticmethod
    async def _deliver(queue: asyncio.Queue, sink: asyncio.StreamWriter) -> None:
        while True:
            due, data = await queue.get()
            if not data:
                sink.close()
                return
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            sink.write(data)
            await sink.drain()
