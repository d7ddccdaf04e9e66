"""The evaluation engine (DESIGN.md §5): assignment, scoring, aggregation, ranking."""
