"""Long work as jobs on a task queue (huey): registry, submission, runner, recovery, queries.

Bodies live in the domain that owns them and register with `@job(...)`; see
docs/architecture.md and the job interface in docs/jobs.md.
"""

from registry.jobs.context import JobContext, JobSuperseded
from registry.jobs.models import Job, JobState
from registry.jobs.registry import JOB_MODULES, job
from registry.jobs.running import run_job_now
from registry.jobs.service import submit_job

__all__ = [
    "JOB_MODULES",
    "Job",
    "JobContext",
    "JobState",
    "JobSuperseded",
    "job",
    "run_job_now",
    "submit_job",
]
