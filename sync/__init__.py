"""Sync: read each channel, plan (pure), guard, apply through adapters, verify and check for drift.

Entry points: `plan_all`, `apply_all`, `link_all`, `retry_all` (service), `check_all`
(verifier), and the render helpers.
"""

from sync.applier import RetryPolicy, apply_plan, change_for
from sync.governor import RateGovernor
from sync.guards import check_guards
from sync.plan import ChannelPlan, GuardTrip, PlanAction
from sync.planner import desired_state, plan_channel
from sync.render import render_plans, render_report, to_json
from sync.report import ApplyReport, ChannelResult, ItemProblem, Progress
from sync.service import ApplyOptions, apply_all, link_all, plan_all, retry_all, select_channels

__all__ = [
    "ApplyOptions",
    "ApplyReport",
    "ChannelPlan",
    "ChannelResult",
    "GuardTrip",
    "ItemProblem",
    "PlanAction",
    "Progress",
    "RateGovernor",
    "RetryPolicy",
    "apply_all",
    "apply_plan",
    "change_for",
    "check_guards",
    "desired_state",
    "link_all",
    "plan_all",
    "plan_channel",
    "render_plans",
    "render_report",
    "retry_all",
    "select_channels",
    "to_json",
]
