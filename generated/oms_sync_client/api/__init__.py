"""One module per operation of the spec."""
