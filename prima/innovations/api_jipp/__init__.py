"""The replication network API (JIPP, pkri.md §9), mounted at /api/v1/jipp."""

from ninja import Router

from prima.innovations.api_jipp import catalogue, exchange, hubs, links

router = Router(tags=["jipp"])
router.add_router("/", links.router)
router.add_router("/", hubs.router)
router.add_router("/", exchange.router)
router.add_router("/", catalogue.router)
