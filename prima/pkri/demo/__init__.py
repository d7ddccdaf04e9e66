"""The PKRI part of the national demo (pkri.md §10): a finished 2024 edition reproducing
the published record and a 2025 edition with its forms open."""
