"""The linked-data server: SPARQL 1.1 Protocol endpoint, dereferenceable IRIs
and the YASGUI query page, as an ASGI application run by uvicorn."""
