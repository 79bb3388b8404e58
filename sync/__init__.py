"""Sync: plan the brand's listings per channel (pure), then apply the plan through adapters.

Entry points: `plan_all`, `apply_all` (service), `render_plans`, `render_report`, `to_json` (render).
"""

from sync.applier import ApplyReport, ChannelResult, ItemProblem, Progress, apply_plan
from sync.plan import ChannelPlan, PlanAction
from sync.planner import desired_state, plan_channel
from sync.render import render_plans, render_report, to_json
from sync.service import apply_all, plan_all, select_channels

__all__ = [
    "ApplyReport",
    "ChannelPlan",
    "ChannelResult",
    "ItemProblem",
    "PlanAction",
    "Progress",
    "apply_all",
    "apply_plan",
    "desired_state",
    "plan_all",
    "plan_channel",
    "render_plans",
    "render_report",
    "select_channels",
    "to_json",
]
