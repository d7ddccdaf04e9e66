"""The KIPP part of the national demo (`prima demo`): KIPP 2021, closed with published
winners, and KIPP 2025 in desk evaluation.

- `plan`: the two editions as plain values, built from the national demo plan (no
  database), with the real eligibility checks, assignment solver and weighted totals;
- `loader`: writes a plan with bulk inserts inside the national demo's transaction;
- `texts`, `people`: proposal answers, review notes, names, universities and expertise.
"""
