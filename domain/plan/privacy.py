"""The plan as the public reads it: tillitsvalgte by union, not by name, unless the municipality decides otherwise.

Union membership is a special category of personal data (GDPR art. 9); publishing it with a name needs a basis the
municipality must decide on, so the public plan leaves the names out by default. HR's pages keep them.
"""

from __future__ import annotations

from domain.plan.content import ConsultationEntry, PlanContent

UNNAMED = "Tillitsvalgt"


def without_names(content: PlanContent) -> PlanContent:
    """A copy whose tillitsvalgte are shown by their union ("Fagforbundet"), or as "Tillitsvalgt" without one."""
    consultation = [_unnamed_entry(e) for e in content.consultation]
    union_input = [u.model_copy(update={"name": UNNAMED}) for u in content.union_input]
    return content.model_copy(update={"consultation": consultation, "union_input": union_input})


def _unnamed_entry(entry: ConsultationEntry) -> ConsultationEntry:
    return entry.model_copy(update={"name": entry.union or UNNAMED, "union": ""})


__all__ = ["UNNAMED", "without_names"]
