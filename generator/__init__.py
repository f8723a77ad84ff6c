"""The omsgen generation pipeline: the OpenAPI spec in, the installable `generated/` project out."""
