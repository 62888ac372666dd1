// BitextEntities: entity extraction, normalization and cross-language linking.
