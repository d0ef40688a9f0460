"""Query strings of list and aggregate routes → ORM predicates, orderings and pages.

Every name is looked up in the resource's ``QuerySurface``; nothing a client sends reaches the
ORM as a name. No FastAPI here.
"""

from .aggregate import AggregateQuery, parse_aggregate_query
from .cursor import decode_cursor, encode_cursor
from .params import ListQuery, OrderTerm, parse_list_query

__all__ = [
    "AggregateQuery",
    "ListQuery",
    "OrderTerm",
    "decode_cursor",
    "encode_cursor",
    "parse_aggregate_query",
    "parse_list_query",
]
