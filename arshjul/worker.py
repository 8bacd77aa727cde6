"""Entrypoints for Prefect workers (`prefect.yaml`): the flows, with the runtime built from settings on first use."""

from __future__ import annotations

from arshjul.bootstrap import bootstrap
from flows.december_adoption import december_adoption
from flows.dispatcher import dispatcher
from flows.january_evaluation import january_evaluation
from flows.september_draft import september_draft
from flows.spring_input import spring_input
from tasks.runtime import build_on_first_use

# A worker process loads this module to find the deployment's flow; its tasks then need a runtime, built from the
# worker's ARSHJUL_ settings the first time one is asked for (nothing is connected here).
build_on_first_use(bootstrap)

__all__ = ["december_adoption", "dispatcher", "january_evaluation", "september_draft", "spring_input"]
