"""JIPP pages: exchange (mounted under /inovasi/)."""

from django.urls import URLPattern, path

from prima.innovations.views import exchange

urlpatterns: list[URLPattern] = [
    path("jipp/data/", exchange.jipp_data, name="jipp_data"),
    path("jipp/data/ekspor/", exchange.jipp_export, name="jipp_export"),
    path("jipp/data/impor/", exchange.jipp_import, name="jipp_import"),
    path("jipp/data/permintaan/", exchange.jipp_request_updates, name="jipp_request_updates"),
    path("jipp/data/publik.json", exchange.jipp_open_data, name="jipp_open_data"),
    path("jipp/data/publik-nodes.csv", exchange.jipp_open_data_nodes, name="jipp_open_data_nodes"),
    path("jipp/data/publik-edges.csv", exchange.jipp_open_data_edges, name="jipp_open_data_edges"),
    path("jipp/permintaan/", exchange.jipp_update_requests, name="jipp_update_requests"),
]
