"""The course's Python kernel: ipykernel's, minus the Python version in ``language_info``.

JupyterLab writes the kernel's ``language_info`` into a notebook as soon as the kernel connects,
and marks the notebook modified when it differs from what is stored. ipykernel's includes the
exact Python version ("3.11.7"), so every course notebook showed as modified on open for anyone
whose Python differed by a patch release. The course's notebooks store the fields below, and
this kernel reports exactly them (``scripts/install_course.py`` makes it the environment's
``python3`` kernel). Everything else is ipykernel's own behaviour.
"""

from __future__ import annotations

from ipykernel.ipkernel import IPythonKernel

LANGUAGE_INFO = {k: v for k, v in IPythonKernel.language_info.items() if k != "version"}


class CourseKernel(IPythonKernel):
    language_info = LANGUAGE_INFO
