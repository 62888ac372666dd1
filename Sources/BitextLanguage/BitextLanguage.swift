// BitextLanguage: language identification per block and document, and pairing of
// English and Spanish versions.
