"""The SKM part of the national demo (`load_skm_demo`)."""

from prima.skm.demo.loader import load_skm_demo

__all__ = ["load_skm_demo"]
