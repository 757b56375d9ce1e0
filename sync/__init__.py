"""HQ sync: protocol schemas, the client engine and the HQ server."""
