"""Schemathesis engine events → :class:`FuzzReport` (and progress updates on the way)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .options import Progress
from .report import FuzzFailure, FuzzReport

ENGINE_ERROR = "run_error"
RESPONSE_EXCERPT = 400  # bytes of a failing response's body kept in the report
#: Phases that send requests; the others (probing, schema analysis, …) have no progress.
TESTING_PHASES = ("examples", "coverage", "fuzzing", "stateful")


class Collector:
    def __init__(
        self, report: FuzzReport, progress: Callable[[Progress], None] | None, operations: int
    ) -> None:
        self.report = report
        self.progress = progress
        self.operations = operations
        self.phase = ""
        self.done = 0
        self.total = operations
        self.scenarios = 0  # of the stateful phase

    def expect_scenarios(self, scenarios: int) -> None:
        """How many scenarios the stateful phase runs (in all its groups)."""
        self.scenarios = scenarios

    def links_found(self, links: list[str]) -> None:
        """Links the stateful phase can follow (in its next group)."""
        self.report.add_links(links)

    def handle(self, event: Any) -> None:
        from schemathesis.engine import events

        if isinstance(event, events.PhaseStarted):
            self._phase_started(event)
        elif isinstance(event, events.ScenarioFinished):
            self._scenario_finished(event)
        elif isinstance(event, events.NonFatalError):
            self._error(event.label, event.info.title, event.info.message, event.info.code_sample)
        elif isinstance(event, events.FatalError):
            self._error("", "Fatal error", str(event.exception), None)

    def _phase_started(self, event: Any) -> None:
        phase = event.phase.name.value
        if phase == "stateful" == self.phase:
            return  # the next group of linked operations: one bar for all
        self.phase = phase
        self.done = 0
        self.total = len(event.operations) if event.operations else self.operations
        if self.phase == "stateful":
            self.total = self.scenarios

    def _scenario_finished(self, event: Any) -> None:
        from schemathesis.engine import Status

        recorder = event.recorder
        for case_id, interaction in recorder.interactions.items():
            if interaction.response is not None:
                stats = self.report.operation(_label(recorder, case_id, event.label))
                stats.requests += 1
                stats.statuses[interaction.response.status_code] += 1
                self.report.phases[self.phase] += 1
        for failure in _failures(recorder):
            self.report.add_failure(failure)
        for link in _links_followed(recorder):
            self.report.follow_link(link)
        if event.status == Status.ERROR and event.label and not self._has_error(event.label):
            self._error(event.label, "Error", "the scenario ended with an error", None)
        self.done += 1
        self._tell()

    def _error(self, label: str, title: str, message: str, curl: str | None) -> None:
        reproduction = (curl,) if curl else ()
        failure = FuzzFailure(ENGINE_ERROR, "", title, label, message.strip(), reproduction)
        self.report.add_failure(failure)

    def _has_error(self, label: str) -> bool:
        return any(f.check == ENGINE_ERROR and f.operation == label for f in self.report.failures)

    def _tell(self) -> None:
        if self.progress is not None and self.phase in TESTING_PHASES:
            failures = len(self.report.failures)
            self.progress(Progress(self.phase, self.done, max(self.total, self.done), failures))


def _failures(recorder: Any) -> Iterator[FuzzFailure]:
    for case_id, checks in recorder.checks.items():
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            failure = info.failure
            failing_case = failure.case_id or case_id
            yield FuzzFailure(
                check=check.name,
                code=getattr(failure, "code", "") or "",
                title=failure.title,
                operation=_label(recorder, failing_case, failure.operation),
                message=(failure.message or "").strip(),
                reproduction=tuple(step.curl for step in info.steps) or (info.code_sample,),
                response=_response(recorder, failing_case),
            )


def _response(recorder: Any, case_id: str) -> str:
    interaction = recorder.interactions.get(case_id)
    if interaction is None or interaction.response is None:
        return ""
    response = interaction.response
    body = response.content[:RESPONSE_EXCERPT].decode("utf-8", "replace")
    more = "…" if len(response.content) > RESPONSE_EXCERPT else ""
    return f"{response.status_code} {body}{more}".strip()


def _label(recorder: Any, case_id: str, default: str | None) -> str:
    node = recorder.cases.get(case_id)
    return str(node.value.operation.label) if node is not None else default or "?"


def _links_followed(recorder: Any) -> Iterator[str]:
    for node in recorder.cases.values():
        if node.transition is not None and node.is_transition_applied:
            yield node.transition.id
