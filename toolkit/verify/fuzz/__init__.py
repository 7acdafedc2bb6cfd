"""`ctk fuzz`: schemathesis' engine against a service, every failure sorted (implementation
bug, contract defect, tool limitation) and kept as a replayable regression test."""
