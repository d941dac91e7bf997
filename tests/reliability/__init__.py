"""Helpers of the reliability suite: watching the server's processes, generating load.

``python3 -m tests.reliability.bench`` runs the long load benchmark on 127.0.0.1.
"""
