// BitextIngest: bytes to documents.
