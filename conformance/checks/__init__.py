"""Semantic checks no schema can express. Each raises RequirementFailure naming its rule.

May import: contract, target, steps.
"""
