"""The installed `gongkai` program (`cli.run`) ends without freeing its objects one by one, yet as the interpreter
would: its exit handlers run, what it printed into a pipe arrives, its exit status is the command's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gongkai import __version__

GONGKAI = Path(sys.executable).parent / "gongkai"


def _run(script: str) -> subprocess.CompletedProcess[str]:
    """`script` run by this interpreter, as the console script runs the program."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_output_into_a_pipe_and_the_exit_handlers_are_not_lost():
    script = ("import atexit, sys, gongkai.cli; atexit.register(print, 'exit handler ran'); "
              "sys.argv = ['gongkai', '--version']; gongkai.cli.run()")
    done = _run(script)
    assert done.returncode == 0
    assert done.stdout == f"gongkai {__version__}\nexit handler ran\n"


def test_a_refusal_keeps_its_exit_status_and_its_message(tmp_path: Path):
    done = subprocess.run([str(GONGKAI), "check"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("错误：") and "mkdocs.yml" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_usage_error_keeps_click_s_status(tmp_path: Path):
    done = subprocess.run([str(GONGKAI), "build", "--no-such-option"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_a_reader_that_stops_reading_gets_no_traceback(tmp_path: Path):
    done = subprocess.run(f"{GONGKAI} rules | head -n 1", shell=True, capture_output=True, text=True, cwd=tmp_path,
                          timeout=60)
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""


def test_an_exit_with_a_message_prints_it_and_fails():
    script = ("import sys, gongkai.cli; gongkai.cli.main.main = lambda *a, **k: sys.exit('消息'); gongkai.cli.run()")
    done = _run(script)
    assert (done.returncode, done.stderr) == (1, "消息\n")


def test_ctrl_c_while_the_program_is_still_loading_is_said_in_chinese():
    """Ctrl+C in the first second (the command line's modules loading): no traceback, the status of an interrupt."""
    script = ("import sys\n"
              "class Interrupt:\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name == 'gongkai.click_chinese':\n"
              "            raise KeyboardInterrupt\n"
              "sys.meta_path.insert(0, Interrupt())\n"
              "from gongkai.program import run\n"
              "sys.argv = ['gongkai', 'check']\n"
              "run()\n")
    done = _run(script)
    assert done.returncode == 130, done.stderr
    assert done.stderr.startswith("已中断：收到 Ctrl+C") and "Traceback" not in done.stderr, done.stderr


def test_the_installed_program_starts_through_the_guarded_entry_point():
    assert "from gongkai.program import run" in GONGKAI.read_text(encoding="utf-8")


def test_ctrl_c_as_the_command_ends_cuts_off_nothing():
    """Ctrl+C just after the command finished (its file written) arrived while the exit handlers ran: a traceback.
    The command is done then: its status and output stand, its exit handlers all run."""
    script = ("import atexit, os, signal, sys, gongkai.cli\n"
              "atexit.register(print, 'second handler ran')\n"
              "atexit.register(os.kill, os.getpid(), signal.SIGINT)\n"
              "gongkai.cli.main.main = lambda *a, **k: sys.exit(0)\n"
              "gongkai.cli.run()\n")
    done = _run(script)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout == "second handler ran\n"


def test_ctrl_c_outside_the_command_s_own_handling_is_said_in_chinese():
    script = ("import sys, gongkai.cli\n"
              "def interrupted(*a, **k):\n"
              "    raise KeyboardInterrupt\n"
              "gongkai.cli.main.main = interrupted\n"
              "gongkai.cli.run()\n")
    done = _run(script)
    assert done.returncode == 130 and done.stderr.startswith("已中断：收到 Ctrl+C"), done.stderr
    assert "Traceback" not in done.stderr
