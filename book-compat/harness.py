"""What every pair check of book-compat/check.py uses: the registry, processes, ports.

A pair is one sample in one direction: the book's Go client against our Rust server, or our
Rust client against the book's Go server. A pair check is a function of a `Binaries` that
starts both programs, raises `CheckFailed` with what it saw when a program does not do what
the book shows, and returns a short detail for the PASS line.
"""

import os
import queue
import re
import signal
import subprocess
import threading
import time

STARTUP_TIMEOUT = 30.0
CLIENT_TIMEOUT = 60.0

GO_TO_RUST = "go-client->rust-server"
RUST_TO_GO = "rust-client->go-server"

PAIRS = []


class CheckFailed(Exception):
    pass


def pair(sample, direction):
    """Registers a pair check for `sample` (the book's folder, e.g. ch05-deadlines)."""

    def register(function):
        PAIRS.append((sample, direction, function))
        return function

    return register


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


class Binaries:
    """Where the programs are: our Rust binaries, the Go ones, and a folder for files."""

    def __init__(self, rust_dir, go_dir, work_dir):
        self.rust_dir = rust_dir
        self.go_dir = go_dir
        self.work_dir = work_dir

    def rust(self, name, *args):
        return [os.path.join(self.rust_dir, name), *args]

    def go(self, name, *args):
        return [os.path.join(self.go_dir, name), *args]


def process_options(env, cwd):
    """How every program runs: no input, its stdout and stderr as one text stream, our servers
    logging at info level, `env` added to the environment."""
    return {
        "stdout": subprocess.PIPE,
        "stderr": subprocess.STDOUT,
        "stdin": subprocess.DEVNULL,
        "text": True,
        "errors": "replace",
        "env": dict(os.environ, RUST_LOG="info", **(env or {})),
        "cwd": cwd,
    }


class Running:
    """A program whose output, stdout and stderr together, is read line by line in the background.

    Used as a context manager: on exit the program gets SIGTERM, then SIGKILL after 10 s.
    """

    def __init__(self, command, env=None, cwd=None):
        self.command = command
        self.process = subprocess.Popen(command, **process_options(env, cwd))
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, pattern, timeout=STARTUP_TIMEOUT):
        """The first match of `pattern` in the lines not yet read, waiting up to `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(remaining, 0))
            except queue.Empty:
                raise CheckFailed(f"{name(self.command)}: no line matching {pattern!r} in {timeout}s; saw {self.seen[-8:]}")
            if line is None:
                self.lines.put(None)
                raise CheckFailed(f"{name(self.command)} exited before printing {pattern!r}; saw {self.seen[-8:]}")
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match

    def listening_addr(self):
        """The address from the start line: `Server started, listening on ADDR` (ours) or
        `listening on ADDR` (the Go servers'), with 0.0.0.0 or [::] made loopback."""
        addr = self.wait_for(r"listening on (\S+)").group(1)
        host, port = addr.rsplit(":", 1)
        if host in ("0.0.0.0", "[::]", ""):
            host = "127.0.0.1"
        return f"{host}:{port}"

    def stop(self):
        """SIGTERM, and the exit status (SIGKILL after 10 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Finished:
    """A client's run: its exit status and its output lines, stdout and stderr together."""

    def __init__(self, command, returncode, output):
        self.command = command
        self.returncode = returncode
        self.output = output
        self.lines = output.splitlines()

    def expect_ok(self):
        expect(self.returncode == 0, f"{name(self.command)} exited {self.returncode}: {self.tail()}")
        return self

    def find(self, pattern):
        """The first match of `pattern` in the output, or CheckFailed."""
        for line in self.lines:
            match = re.search(pattern, line)
            if match:
                return match
        raise CheckFailed(f"{name(self.command)} printed no line matching {pattern!r}: {self.tail()}")

    def find_all(self, pattern):
        return [m for m in (re.search(pattern, line) for line in self.lines) if m]

    def tail(self, count=12):
        return " | ".join(self.lines[-count:])


def run_client(command, env=None, cwd=None, timeout=CLIENT_TIMEOUT):
    """Runs a client to its end and returns a `Finished` (CheckFailed when it outlives `timeout`)."""
    try:
        done = subprocess.run(command, timeout=timeout, **process_options(env, cwd))
    except subprocess.TimeoutExpired as expired:
        raise CheckFailed(f"{name(command)} still running after {timeout}s: {expired.output!r}")
    return Finished(command, done.returncode, done.stdout)


def name(command):
    return os.path.basename(command[0])
