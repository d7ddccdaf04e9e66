"""The deterministic national demo dataset (`prima demo`) and its generator (also used by bench/).

- `plan`: the dataset as plain values from one seeded generator (no database);
- `loader`: writes a plan with bulk inserts in one transaction and one audit entry;
- `central`, `localgov`, `units`, `themes`, `places`, `accounts`: the data and rules.
"""
