"""The external engine's answers read as pyoxigraph objects, each to its end as it arrives.

An answer is read whole before anything is done with it, so that a row the
engine wrote badly is the engine's failure (:class:`problems.BadGateway`, 502)
before a page is begun, never an error midway through one.
"""

from __future__ import annotations

from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, parse, parse_query_results

from ..http import problems
from . import backend


def solutions(reply: backend.Reply) -> tuple[list[str], list]:
    """The variables and solutions of the engine's answer to one of our SELECTs, read to the end here
    (a bad row must not surface mid-page); an answer that is not solutions is the engine's failure."""
    try:
        result = parse_query_results(reply.body, format=results_format(reply.media_type))
        if not isinstance(result, QuerySolutions):
            raise problems.BadGateway("the SPARQL engine did not answer a page's SELECT with solutions")
        return [v.value for v in result.variables], list(result)
    except (SyntaxError, ValueError) as error:
        raise unreadable(error) from None


def results_format(media_type: str) -> QueryResultsFormat:
    """The SPARQL results format of ``media_type``; SyntaxError if it names none."""
    found = QueryResultsFormat.from_media_type(media_type)
    if found is None:
        raise SyntaxError(f"{media_type} is not a SPARQL results format")
    return found


def unreadable(error: Exception) -> problems.BadGateway:
    """The engine's failure to send an answer that can be read, told by what could not be read."""
    return problems.BadGateway(f"the SPARQL engine's answer could not be read: {backend.clean_message(str(error))}")


def parsed(media_type: str, body: bytes):
    """The engine's answer as pyoxigraph objects; an answer that cannot be read is the engine's failure."""
    try:
        if media_type == "application/n-triples":
            return [quad.triple for quad in parse(body, format=RdfFormat.N_TRIPLES)]
        result = parse_query_results(body, format=results_format(media_type))
        if isinstance(result, QuerySolutions):  # read it all here: a bad row must not surface mid-page
            result = parse_query_results(result.serialize(format=QueryResultsFormat.TSV),
                                         format=QueryResultsFormat.TSV)
        return result
    except (SyntaxError, ValueError) as error:
        raise unreadable(error) from None
