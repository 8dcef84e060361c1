"""Two processes editing the same case at once lose nothing: every read-modify-write holds the file lock."""
from __future__ import annotations

import os
import subprocess
import sys

from app.wiring import AppServices
from tests.conftest import REPO

EDITS_PER_PROCESS = 30

WORKER = """
import sys
from app.wiring import open_from_environment
case_id, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
repository = open_from_environment(web_mode=False).cases.desktop()
for number in range(count):
    repository.add_analysis(case_id, {"title": f"{tag}-{number}"})
    if number % 10 == 0:
        repository.update(case_id, notes=f"{tag} {number}")
"""


def test_two_processes_adding_analyses_keep_every_edit(isolated_data_dir) -> None:
    case = AppServices.open(isolated_data_dir, web_mode=False).cases.desktop().create("동시 편집")
    env = {**os.environ, "SANJAE_DATA_DIR": str(isolated_data_dir), "PYTHONPATH": str(REPO)}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, case.id, tag, str(EDITS_PER_PROCESS)], cwd=REPO,
                                env=env, stderr=subprocess.PIPE, text=True) for tag in ("left", "right")]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    final = AppServices.open(isolated_data_dir, web_mode=False).cases.desktop().get(case.id)
    titles = {analysis["title"] for analysis in final.analyses}
    expected = {f"{tag}-{n}" for tag in ("left", "right") for n in range(EDITS_PER_PROCESS)}
    assert titles == expected
    assert len(final.analyses) == 2 * EDITS_PER_PROCESS
    notes_updates = 2 * len(range(0, EDITS_PER_PROCESS, 10))
    assert final.rev == 1 + 2 * EDITS_PER_PROCESS + notes_updates
